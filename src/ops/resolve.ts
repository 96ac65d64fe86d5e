/**
 * Finds a workflow of the manifest by `<use-case>/<dag>` and the ARN of its state
 * machine. The ARN needs the account: with `--account` it is built directly;
 * without it, `ListStateMachines` in the client's region is searched for the
 * deterministic name, which needs no extra SDK package (no STS) and also proves
 * the machine is deployed.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachines.html
 */
import { paginateListStateMachines, type SFNClient } from '@aws-sdk/client-sfn';
import type { Manifest, ManifestUseCase, ManifestWorkflow } from '../build/types.ts';
import { escapeForTerminal } from '../diagnostics.ts';
import { executionArnOf } from '../naming.ts';
import { OpsError } from './errors.ts';
import { closestNames, didYouMean } from './suggest.ts';

export interface ResolvedWorkflow {
  /** `<use-case>/<dag>`. */
  ref: string;
  useCase: string;
  dag: string;
  stateMachineName: string;
  region: string;
  workflow: ManifestWorkflow;
}

export interface WorkflowTarget extends ResolvedWorkflow {
  stateMachineArn: string;
}

export interface LocateOptions {
  /** 12-digit AWS account id; when given no API call is made. */
  account?: string;
  /** Defaults to the partition of the region (`aws`, `aws-cn`, `aws-us-gov`, …). */
  partition?: string;
}

/** `--account`, when given: a 12-digit AWS account id, else an {@link OpsError} `USAGE` (exit 2). */
export function checkAccount(account: string | undefined): void {
  if (account !== undefined && !/^\d{12}$/.test(account)) throw new OpsError('USAGE', `--account must be a 12-digit AWS account id, got "${account}"`);
}

/**
 * Looks a use case up in the manifest; throws {@link OpsError} `QUARANTINED` with its first error,
 * or `UNKNOWN_USE_CASE` with the names close to it.
 */
export function resolveUseCase(manifest: Manifest, useCase: string): ManifestUseCase {
  const quarantined = manifest.quarantined.find((q) => q.useCase === useCase);
  if (quarantined) {
    const errors = quarantined.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    throw new OpsError(
      'QUARANTINED',
      `use case "${useCase}" is quarantined: its specs have ${errors.length} error(s)` +
        (first ? ` (first: ${first.file}:${first.line}:${first.column} ${first.code} ${first.message})` : '') +
        `, so it was not compiled or deployed; its last good deployment, if any, is what runs in AWS (\`lakestep status ${useCase}\` shows it). Fix the specs and deploy again.`,
    );
  }
  const uc = manifest.useCases.find((u) => u.name === useCase);
  if (!uc) {
    const names = [...manifest.useCases.map((u) => u.name), ...manifest.quarantined.map((q) => q.useCase)];
    throw new OpsError('UNKNOWN_USE_CASE', `unknown use case "${escapeForTerminal(useCase)}"${didYouMean(closestNames(useCase, names))}`);
  }
  return uc;
}

/** Looks `<use-case>/<dag>` up in the manifest; throws {@link OpsError} with close names or the quarantine. */
export function resolveWorkflow(manifest: Manifest, ref: string): ResolvedWorkflow {
  const parts = ref.split('/');
  const [useCase, dag] = parts;
  if (parts.length !== 2 || !useCase || !dag) {
    throw new OpsError('USAGE', `workflow must be given as <use-case>/<dag>, got "${escapeForTerminal(ref)}"${didYouMean(refsNamed(manifest, ref))}`);
  }
  const uc = resolveUseCase(manifest, useCase);
  const workflow = uc.workflows.find((w) => w.name === dag);
  if (!workflow) {
    const close = closestNames(dag, uc.workflows.map((w) => w.name)).map((n) => `${useCase}/${n}`);
    const elsewhere = refsNamed(manifest, dag);
    throw new OpsError(
      'UNKNOWN_WORKFLOW',
      `use case "${useCase}" has no dag "${escapeForTerminal(dag)}"${didYouMean([...elsewhere, ...close].slice(0, 3))}`,
    );
  }
  return { ref, useCase, dag, stateMachineName: workflow.stateMachineName, region: manifest.platform.region, workflow };
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
export function stateMachineArn(name: string, at: { partition?: string; region: string; account: string }): string {
  return `arn:${at.partition ?? partitionOf(at.region)}:states:${at.region}:${at.account}:stateMachine:${name}`;
}

/** ARN of an execution of a state machine, from the machine's ARN and the execution name. */
export const executionArn = executionArnOf;

/** AWS partition of a region code. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/**
 * Adds the state machine ARN: built from `account` when given, otherwise found
 * with `ListStateMachines` (the client must be configured for the manifest's region).
 */
export async function locateStateMachine(
  client: SFNClient,
  wf: ResolvedWorkflow,
  opts: LocateOptions = {},
): Promise<WorkflowTarget> {
  if (opts.account !== undefined) {
    checkAccount(opts.account);
    return { ...wf, stateMachineArn: stateMachineArn(wf.stateMachineName, { ...opts, account: opts.account, region: wf.region }) };
  }
  for await (const page of paginateListStateMachines({ client, pageSize: 1000 }, {})) {
    const hit = page.stateMachines?.find((m) => m.name === wf.stateMachineName);
    if (hit?.stateMachineArn) return { ...wf, stateMachineArn: hit.stateMachineArn };
  }
  throw new OpsError(
    'STATE_MACHINE_NOT_FOUND',
    `state machine "${wf.stateMachineName}" of ${wf.ref} is not deployed in region ${wf.region} of this account: run \`npm run deploy\`, or check AWS_PROFILE / --account`,
  );
}

/** `<use-case>/<dag>` refs of every dag with this name, in any use case. */
function refsNamed(manifest: Manifest, dag: string): string[] {
  return manifest.useCases.flatMap((u) => u.workflows.filter((w) => w.name === dag).map((w) => `${u.name}/${w.name}`));
}
