/**
 * `lakestep plan`: what a deploy would change. Offline against the build folder
 * of an earlier compile (`--against`, e.g. the build that was deployed last):
 * state machines, rules and schedules, and role access, per use case. With
 * `--cdk`, `cdk diff` of the compiled build against the deployed stacks (needs
 * AWS credentials, checked first): of the stacks `lakestep deploy` would deploy,
 * those whose inputs changed (src/ops/deploy-changes.ts), so that one changed use
 * case of a large platform is one stack to diff, not every one.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-diff.html
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StateMachineDefinition } from '../asl/types.ts';
import { ManifestError, readManifestDir } from '../build/manifest-files.ts';
import type { Manifest, ManifestWorkflow } from '../build/types.ts';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { changesSinceDeploy, formatChanges, nothingChanged } from '../ops/deploy-changes.ts';
import { errorMessage } from '../ops/errors.ts';
import { CDK_APP, CDK_BIN, changedStackSelection, checkCredentials, defaultSpawn } from '../ops/index.ts';
import { type BuildView, planDiff } from '../plan/diff.ts';
import { formatPlan } from '../plan/format.ts';
import { plainUsage, usage } from './args.ts';
import { builtManifest, compileCommand, EXIT, runCompile } from './commands.ts';
import type { Io } from './io.ts';

export interface PlanOptions {
  specsDir: string;
  against?: string;
  cdk: boolean;
  outDir: string;
  env?: string;
  json: boolean;
}

/** A build folder as plan compares it: its manifest and every definition it names. */
export function readBuildView(dir: string, shown = dir): BuildView {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw plainUsage(`--against ${shown}: no manifest.json there; give the build folder of an earlier \`lakestep compile\``);
  let manifest: Manifest;
  try {
    manifest = readManifestDir(dir);
  } catch (e) {
    if (e instanceof ManifestError) throw plainUsage(`--against ${shown}: ${e.message}`);
    throw e;
  }
  const definitions = new Map<string, StateMachineDefinition>();
  // Builds before the dispatcher named a join machine per dependent workflow (`gate`).
  for (const w of manifest.useCases.flatMap((u) => u.workflows) as (ManifestWorkflow & { gate?: { definition: string } })[]) {
    for (const path of [w.definition, ...(w.gate ? [w.gate.definition] : []), ...(w.watch ? [w.watch.definition] : [])]) {
      const p = join(dir, path);
      if (existsSync(p)) definitions.set(path, JSON.parse(readFileSync(p, 'utf8')) as StateMachineDefinition);
    }
  }
  manifest.quarantined ??= [];
  return { manifest, definitions };
}

export async function planCommand(io: Io, opts: PlanOptions): Promise<number> {
  if (opts.against === undefined && !opts.cdk) throw usage('plan needs --against <build folder> (offline) or --cdk (cdk diff against the deployed stacks)');
  let code: number = EXIT.ok;
  if (opts.against !== undefined) {
    const againstDir = resolve(io.cwd, opts.against);
    if (opts.cdk && againstDir === resolve(io.cwd, opts.outDir)) throw plainUsage(`--against ${opts.against} is the --out folder the build is written to; compare against a copy`);
    const before = readBuildView(againstDir, opts.against);
    const result = runCompile(io, opts.specsDir, opts.env);
    const definitions = new Map<string, StateMachineDefinition>();
    for (const [path, text] of result.files) if (path.endsWith('.asl.json')) definitions.set(path, JSON.parse(text) as StateMachineDefinition);
    const plan = planDiff(before, { manifest: result.manifest, definitions });
    io.out(opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan, opts.against));
    if (result.diagnostics.some((d) => d.severity === 'error')) code = EXIT.diagnostics;
  }
  if (opts.cdk) {
    compileCommand(io, { specsDir: opts.specsDir, outDir: opts.outDir, printSummary: false, env: opts.env });
    const credentials = await (io.checkCredentials ?? (() => checkCredentials({ timeoutMs: 5000 })))();
    if (!credentials.ok) {
      io.err(`lakestep plan: cannot run cdk diff: ${credentials.message}`);
      return EXIT.diagnostics;
    }
    const buildDir = resolve(io.cwd, opts.outDir);
    const manifest = builtManifest(io, opts.outDir);
    const { prefix, region } = manifest.platform;
    const args = ['diff', '--app', CDK_APP, '--context', `buildDir=${buildDir}`];
    try {
      const { changes } = await changesSinceDeploy({ buildDir, manifest }, io.cloudFormation?.(region) ?? new CloudFormationClient({ region }), DEFAULT_SPARK_DIR);
      for (const line of formatChanges(changes, prefix)) io.out(line);
      if (nothingChanged(changes)) {
        io.out('nothing to diff: nothing changed since the last deploy');
        return code;
      }
      const { stacks, context } = changedStackSelection(prefix, changes);
      args.push(...context, '--exclusively', ...stacks);
    } catch (err) {
      io.out(`note: ${errorMessage(err)}; cdk diff compares every stack`);
    }
    const exit = await (io.spawn ?? defaultSpawn)(CDK_BIN, args, { cwd: io.cwd, env: io.env });
    // cdk diff exits 0 with or without differences (unless --fail); anything else is a failure.
    if (exit !== 0) {
      io.err(`lakestep plan: cdk diff exited with code ${exit}`);
      return EXIT.diagnostics;
    }
  }
  return code;
}
