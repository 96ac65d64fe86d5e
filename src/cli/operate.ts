/**
 * run / status / backfill / deploy: the operator commands, over `src/ops`. They
 * read the compiled manifest (`--build`), find the deployed state machine and
 * print what `src/ops` returns.
 */
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { withThousands } from '../build/limits.ts';
import type { Manifest } from '../build/types.ts';
import { CHANGES_LIST_LIMIT } from '../ops/deploy-changes.ts';
import { sfnExecutions } from '../starter/sfn.ts';
import { startDetached } from '../ops/backfill-detach.ts';
import { downstreamOf } from '../ops/downstream.ts';
import { nextRun, runsToStart } from '../ops/plan.ts';
import type { Reprocess } from '../ops/attempts.ts';
import {
  backfill,
  backfillStatus,
  statusLimit,
  checkAccount,
  deploy,
  formatBackfill,
  formatBackfillStatus,
  formatGate,
  formatJson,
  formatNextRun,
  formatRun,
  formatStatus,
  formatUseCaseStatus,
  formatTriggers,
  hasTriggers,
  triggerStates,
  type TriggerClients,
  type TriggerState,
  type NextRun,
  loadManifest,
  locateStateMachine,
  missingCredentialsHint,
  OpsError,
  planBackfill,
  planDeploy,
  resolveWorkflow,
  resolveUseCase,
  useCaseStatus,
  runWorkflow,
  workflowStatus,
  readGate,
  type ResolvedWorkflow,
  type WorkflowTarget,
} from '../ops/index.ts';
import { builtManifest, compileCommand } from './commands.ts';
import { overlayPath } from '../spec/environment.ts';
import type { Io } from './io.ts';
import { awsSources, formatStatusQuality, statusQuality } from './quality.ts';
import { type DagJoins, formatJoins, readJoins, upstreamsOf } from '../ops/joins.ts';
import { oneLine } from '../ops/table.ts';
import { paced, stepFunctionsQuotas } from '../ui/throttle.ts';

export interface TargetOptions {
  ref: string;
  buildDir: string;
  account?: string;
}

/**
 * An AWS SDK failure (service error, missing credentials, no network) as a
 * one-line message and exit 1; anything else is a bug and propagates.
 */
function awsFailure(err: unknown): Error | undefined {
  if (!(err instanceof Error) || err instanceof OpsError) return undefined;
  if (err.name === 'CredentialsProviderError') return Object.assign(new Error(`no AWS credentials: ${err.message}. ${missingCredentialsHint()}`), { exitCode: 1 });
  if ('$metadata' in err || /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)$/.test((err as { code?: string }).code ?? '')) {
    return Object.assign(new Error(`AWS call failed: ${err.name}: ${err.message}`), { exitCode: 1 });
  }
  return undefined;
}

/** Runs an operator command, turning AWS failures into exit 1 with their message. */
export async function aws<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw awsFailure(err) ?? err;
  }
}

/**
 * The manifest's workflow and the checks of `--account`, made before any AWS
 * client exists: every argument error is reported without asking for credentials.
 */
export async function offline(io: Io, opts: TargetOptions): Promise<ResolvedWorkflow> {
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const wf = resolveWorkflow(manifest, opts.ref);
  checkAccount(opts.account);
  return wf;
}

/** Manifest → workflow → client of the manifest's region → state machine ARN. */
export async function target(io: Io, opts: TargetOptions): Promise<{ client: SFNClient; target: WorkflowTarget }> {
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const wf = resolveWorkflow(manifest, opts.ref);
  const client = (io.sfn ?? ((region: string) => new SFNClient({ region })))(manifest.platform.region);
  return { client, target: await locateStateMachine(client, wf, opts.account === undefined ? {} : { account: opts.account }) };
}

/** Trigger states for `status`; a failed lookup (e.g. no scheduler:GetSchedule permission) is shown, not fatal. */
async function pausedState(io: Io, t: ResolvedWorkflow, manifest: Manifest): Promise<TriggerState[] | string> {
  if (!hasTriggers(t.workflow)) return [];
  try {
    return await triggerStates(triggerClients(io, t.region, manifest), t.ref, t.workflow);
  } catch (err) {
    return `triggers: unknown (${(err as Error).name}: ${(err as Error).message})`;
  }
}

/** The clients `pause`, `resume` and `status` read and change triggers with; the schedule group is the platform's prefix. */
export const triggerClients = (io: Io, region: string, manifest: Manifest): TriggerClients => ({
  scheduler: (io.scheduler ?? ((r: string) => new SchedulerClient({ region: r })))(region),
  dynamodb: (io.dynamodb ?? ((r: string) => new DynamoDBClient({ region: r })))(region),
  group: manifest.platform.prefix,
  gatesTable: manifest.platform.dynamodb.gates,
});

const now = (io: Io): Date => (io.now ?? (() => new Date()))();

/**
 * The Step Functions client of the commands that call AWS once per run or per dag (`run`, `backfill` and its
 * `--status`, `status <use-case>`: hundreds of calls): paced to the quotas and retried on throttling with
 * backoff, as the whole-platform reads; the backoff waits through `io.sleep` when a test gives one.
 */
function pacedSfn(io: Io, client: SFNClient, region: string): SFNClient {
  return paced(client, { quotas: stepFunctionsQuotas(region), ...(io.sleep ? { clock: { now: () => Date.now(), sleep: io.sleep } } : {}) }).client;
}

/** `lakestep run`: exit 1 only when a run's latest attempt failed and nothing was started. */
export async function runCommand(io: Io, opts: TargetOptions & { date?: string; rerun: boolean; json: boolean }): Promise<number> {
  const wf = await offline(io, opts);
  // Every date problem (not a date, not a logical date of the schedule, a day without one) before any AWS call.
  if (opts.date !== undefined) runsToStart(wf.workflow, opts.date);
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    return runWorkflow(sfnExecutions(pacedSfn(io, client, t.region)), t, { now: now(io), rerun: opts.rerun, records: awsSources(io, manifest).runs, ...(opts.date === undefined ? {} : { date: opts.date }) });
  });
  io.out(opts.json ? formatJson(result) : formatRun(result));
  return result.ok ? 0 : 1;
}

/**
 * `lakestep status`: the newest executions with the cause of each failure, whether the dag is paused,
 * the last run's checks and its tables' freshness; exit 0 when AWS answered.
 */
export async function statusCommand(io: Io, opts: TargetOptions & { limit?: number; json: boolean }): Promise<number> {
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > 1000)) {
    throw new OpsError('USAGE', `--limit must be an integer from 1 to 1000, got ${opts.limit}`);
  }
  if (!opts.ref.includes('/')) return useCaseStatusCommand(io, opts);
  await offline(io, opts);
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    const status = await workflowStatus(client, t, { now: now(io), ...(opts.limit === undefined ? {} : { limit: opts.limit }) });
    const joins = await joinState(io, t, manifest);
    const next = nextRun(t.workflow, now(io));
    const gate = t.workflow.maxActiveRuns === undefined ? undefined : await readGate(client, t.stateMachineArn, t.workflow.maxActiveRuns);
    return {
      ...status,
      ...(gate ? { gate } : {}),
      triggers: await pausedState(io, t, manifest),
      ...(next ? { next: { logicalDate: next.logicalDate, dataInterval: [next.run.data_interval_start, next.run.data_interval_end], due: next.due, name: next.name, ...(next.after ? { after: next.after } : {}) } satisfies NextRun } : {}),
      quality: await statusQuality(io, manifest, t.ref),
      ...(joins === undefined ? {} : { joins }),
    };
  });
  const triggers = typeof result.triggers === 'string' ? result.triggers : formatTriggers(result.triggers);
  const lines = [
    formatStatus(result),
    formatStatusQuality(result.quality),
    triggers,
    ...(result.next ? [formatNextRun(result.next)] : []),
    ...(result.gate ? [formatGate(result.gate)] : []),
    ...(result.joins === undefined ? [] : [formatJoins(result.joins)]),
  ];
  io.out(opts.json ? formatJson(result) : lines.join('\n'));
  return 0;
}

/** A dag with upstreams: its newest gate entries (ops/joins.ts); a read it could not make is one line, the rest of status still shows. */
async function joinState(io: Io, t: ResolvedWorkflow, manifest: Manifest, limit?: number): Promise<DagJoins | string | undefined> {
  const upstreams = upstreamsOf(manifest, t.workflow);
  if (!upstreams.length) return undefined;
  try {
    return { upstreams, joins: await readJoins(triggerClients(io, t.region, manifest).dynamodb, manifest.platform.dynamodb.gates, t.ref, upstreams, now(io), limit) };
  } catch (err) {
    return `joins: unknown (${oneLine(`${(err as Error).name}: ${(err as Error).message}`, 300)})`;
  }
}

/** `lakestep status <use-case>`: every dag of the use case on a line; exit 0 when AWS answered. */
async function useCaseStatusCommand(io: Io, opts: TargetOptions & { limit?: number; json: boolean }): Promise<number> {
  if (opts.limit !== undefined) throw new OpsError('USAGE', `--limit goes with a dag (lakestep status ${opts.ref}/<dag> --limit N): status ${opts.ref} shows each dag's newest execution`);
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  // An unknown use case before any AWS client exists; a quarantined one shows its last deployment.
  if (!manifest.quarantined.some((q) => q.useCase === opts.ref)) resolveUseCase(manifest, opts.ref);
  checkAccount(opts.account);
  const { region } = manifest.platform;
  const account = opts.account ?? manifest.platform.account;
  const result = await aws(async () =>
    useCaseStatus(
      manifest,
      opts.ref,
      {
        // Paced to the Step Functions quotas, as failures and ui --from-aws: a use case may have hundreds of dags.
        sfn: pacedSfn(io, (io.sfn ?? ((r: string) => new SFNClient({ region: r })))(region), region),
        triggers: (wf) => pausedState(io, wf, manifest),
        quality: (ref) => statusQuality(io, manifest, ref),
        join: async (wf) => {
          const j = await joinState(io, wf, manifest, 1);
          return typeof j === 'object' ? j.joins[0] : j;
        },
      },
      { now: now(io), ...(account === undefined ? {} : { account }) },
    ),
  );
  io.out(opts.json ? formatJson(result) : formatUseCaseStatus(result));
  return 0;
}

/** `lakestep backfill`: exit 1 when a run failed to start, or a run it waited for failed. */
export async function backfillCommand(
  io: Io,
  opts: TargetOptions & { from: string; to: string; reprocess?: Reprocess; maxConcurrency?: number; backwards: boolean; dryRun: boolean; detach: boolean; force: boolean; json: boolean },
): Promise<number> {
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  const wf = await offline(io, opts);
  const options = { from: opts.from, to: opts.to, force: opts.force, backwards: opts.backwards, ...(opts.reprocess ? { reprocess: opts.reprocess } : {}), ...(opts.maxConcurrency === undefined ? {} : { maxConcurrency: opts.maxConcurrency }) };
  // Every argument problem before any AWS call.
  const runs = planBackfill(wf, options);
  if (opts.detach && !manifest.machines) throw new OpsError('USAGE', 'this build has no backfill state machine: compile and deploy again to use --detach');
  const downstream = downstreamOf(manifest, wf.ref);
  const result = await aws(async () => {
    const { client: raw, target: t } = await target(io, opts);
    const client = pacedSfn(io, raw, t.region);
    const api = sfnExecutions(client);
    const plan = await backfill(api, t, { ...options, now: now(io), dryRun: opts.dryRun || opts.detach, records: awsSources(io, manifest).runs, ...(io.sleep ? { sleep: io.sleep } : {}) });
    if (!opts.detach) return { plan };
    const detached = await startDetached(client, t, manifest.machines!.backfill.stateMachineName, plan, runs, now(io));
    // Looked up as a dry run, then handed to the machine: what was planned is handed, and nothing was a dry run.
    return { plan: { ...plan, dryRun: false, items: plan.items.map((i) => (i.outcome === 'planned' && i.error === undefined ? { ...i, outcome: 'handed' as const } : i)) }, detached };
  });
  if (opts.json) io.out(formatJson({ ...result.plan, downstream, ...(result.detached ? { detached: result.detached } : {}) }));
  else if (result.detached) {
    const d = result.detached;
    io.out(`${formatBackfill(result.plan, downstream).replace(/\n\d+ started \(.*/, '')}\nhanded ${d.runs} run(s) to ${d.executionName}, at most ${result.plan.maxConcurrency} at a time\n  ${d.executionArn}`);
  } else io.out(formatBackfill(result.plan, downstream));
  return result.plan.ok ? 0 : 1;
}

/** `lakestep backfill --status`: the dag's detached backfills and their runs; exit 0 when AWS answered. */
export async function backfillStatusCommand(io: Io, opts: TargetOptions & { limit?: number; json: boolean }): Promise<number> {
  const manifest: Manifest = await loadManifest(resolve(io.cwd, opts.buildDir));
  await offline(io, opts);
  if (!manifest.machines) throw new OpsError('USAGE', 'this build has no backfill state machine: compile and deploy again to use --detach and --status');
  const limit = statusLimit(opts.limit);
  const result = await aws(async () => {
    const { client, target: t } = await target(io, opts);
    return backfillStatus(pacedSfn(io, client, t.region), t, manifest.machines!.backfill.stateMachineName, { limit, records: awsSources(io, manifest).runs });
  });
  io.out(opts.json ? formatJson(result) : formatBackfillStatus(result));
  return 0;
}

/** The stacks a deploy named, each use case by its stack and the pattern of its other parts; past the list limit, counted. */
function deployedStacks(named: readonly string[], useCases: number, prefix: string): string {
  if (named.length === 0) return 'all stacks';
  if (named.length <= 2 * CHANGES_LIST_LIMIT) return named.join(' ');
  return `the stacks of ${withThousands(useCases)} use case(s)${named.includes(`${prefix}-platform`) ? ' and the platform stack' : ''}`;
}

/**
 * `lakestep deploy`: compile (healthy use cases are written, quarantined ones left
 * out), then `cdk deploy` through `src/ops`, which first checks AWS credentials.
 * Exit 0 when everything deployed; 1 without credentials, when cdk fails, or when
 * a use case was quarantined (the others are still deployed); 2 for an unknown `--use-case` or a bad `--concurrency`.
 */
export async function deployCommand(
  io: Io,
  opts: { specsDir: string; outDir: string; useCases: string[]; env?: string; all?: boolean; dryRun?: boolean; concurrency?: number },
): Promise<number> {
  const { result } = compileCommand(io, { specsDir: opts.specsDir, outDir: opts.outDir, env: opts.env });
  const platformFiles = ['platform.yaml', ...(opts.env === undefined ? [] : [overlayPath(opts.env)])];
  if (result.diagnostics.some((d) => d.severity === 'error' && platformFiles.includes(d.file))) {
    // Every use case is quarantined and the platform settings are defaults: deploying would create stacks under the wrong names.
    io.err(`${platformFiles.join(' + ')} ${platformFiles.length > 1 ? 'have' : 'has'} errors: nothing deployed`);
    return 1;
  }
  const manifest = builtManifest(io, opts.outDir);
  // Unknown names and a bad --concurrency: exit 2 before credentials.
  planDeploy(manifest, { ...(opts.useCases.length ? { useCases: opts.useCases } : {}), buildDir: opts.outDir, ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }) });
  if (result.quarantined.length) {
    io.out(`\n${result.quarantined.length} use case(s) quarantined and left out of this deployment: ${result.quarantined.map((q) => q.useCase).join(', ')}`);
  }
  const deployed = await deploy({
    buildDir: resolve(io.cwd, opts.outDir),
    manifest,
    env: io.env,
    cwd: io.cwd,
    interactive: io.tty,
    log: (line) => io.out(line),
    ...(opts.useCases.length ? { useCases: opts.useCases } : {}),
    ...(opts.all ? { all: true } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
    ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
    ...(io.cloudFormation ? { cloudFormation: io.cloudFormation(manifest.platform.region) } : {}),
    ...(io.iam ? { iam: io.iam(manifest.platform.region) } : {}),
    ...(io.checkCredentials ? { checkCredentials: io.checkCredentials } : {}),
    ...(io.spawn ? { spawn: io.spawn } : {}),
  });
  if (!deployed.ok) {
    io.err(`lakestep deploy: ${deployed.message ?? 'failed'}`);
    return deployed.exitCode === 2 ? 2 : 1;
  }
  if (deployed.stage === 'plan') {
    io.out(deployed.message === 'dry run' ? 'dry run: nothing deployed' : `nothing deployed: ${deployed.message}`);
    return result.quarantined.length ? 1 : 0;
  }
  io.out(`deployed ${deployedStacks(deployed.plan?.stacks ?? [], deployed.changes?.useCases.length ?? opts.useCases.length, manifest.platform.prefix)} from ${opts.outDir}/manifest.json`);
  // The healthy use cases are deployed, but the change to a quarantined one is not: like compile, exit 1.
  return result.quarantined.length ? 1 : 0;
}
