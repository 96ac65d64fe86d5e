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
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StateMachineDefinition } from '../asl/types.ts';
import { escapeForTerminal } from '../diagnostics.ts';
import { ManifestError, readManifestDir } from '../build/manifest-files.ts';
import type { Manifest } from '../build/types.ts';
import type { StreamResult } from '../compile.ts';
import { digest } from '../compile/cache.ts';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DEFAULT_SPARK_DIR } from '../../infra/inputs-hash.ts';
import { changesSinceDeploy, formatChanges, nothingChanged } from '../ops/deploy-changes.ts';
import { errorMessage } from '../ops/errors.ts';
import { CDK_APP, CDK_BIN, changedStackSelection, checkCredentials, defaultSpawn } from '../ops/index.ts';
import { type BuildView, type Definitions, planDiff } from '../plan/diff.ts';
import { formatPlan } from '../plan/format.ts';
import { plainUsage, usage } from './args.ts';
import { builtManifest, compileCommand, compileView, EXIT, type CacheSetting } from './commands.ts';
import type { Io } from './io.ts';
import { inside } from './paths.ts';

export interface PlanOptions {
  specsDir: string;
  against?: string;
  cdk: boolean;
  outDir: string;
  env?: string;
  json: boolean;
  /** The incremental cache of the compile (`--cache-dir`, `--no-cache`), as `compile` uses it. */
  cache?: CacheSetting;
}

/** A build folder as plan compares it: its manifest, and the definitions it names read from the folder when asked. */
export function readBuildView(dir: string, shown = dir): BuildView & { definitions: FolderDefinitions } {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw plainUsage(`--against ${shown}: no manifest.json there; give the build folder of an earlier \`lakestep compile\``);
  let manifest: Manifest;
  try {
    manifest = readManifestDir(dir);
  } catch (e) {
    if (e instanceof ManifestError) throw plainUsage(`--against ${shown}: ${e.message}`);
    throw e;
  }
  manifest.quarantined ??= [];
  return { manifest, definitions: folderDefinitions(dir, shown) };
}

/** The definitions of a build folder: each file read when asked, its digest remembered (its text is not). */
export interface FolderDefinitions extends Required<Definitions> {}

/**
 * The `*.asl.json` files of the build folder `dir` by their paths in it. The manifest that names them is
 * hostile input (a build folder can be edited by hand): a path whose file is not inside the folder once every
 * link on the way is followed, or is no regular file, reads as missing; a definition that is not JSON is a
 * usage error naming it.
 */
function folderDefinitions(dir: string, shown: string): FolderDefinitions {
  const root = realpathSync(dir);
  const read = (path: string): string | undefined => {
    if (!path.endsWith('.asl.json')) return undefined;
    try {
      const real = realpathSync(resolve(root, path));
      return inside(root, real) && statSync(real).isFile() ? readFileSync(real, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const digests = new Map<string, string | undefined>();
  return {
    get(path) {
      const text = read(path);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as StateMachineDefinition;
      } catch (e) {
        throw plainUsage(escapeForTerminal(`--against ${shown}: ${path} is not valid JSON (${(e as Error).message}): rebuild it with \`lakestep compile\``));
      }
    },
    digest(path) {
      if (!digests.has(path)) {
        const text = read(path);
        digests.set(path, text === undefined ? undefined : digest(text));
      }
      return digests.get(path);
    },
  };
}

/**
 * The build a compile of the specs would write, as plan compares it with `before`: compiled through the
 * incremental cache and streamed (src/cli/commands.ts {@link compileView}); of its definitions only the texts
 * that differ from `before`'s file at the same path are held, the others are `before`'s own.
 */
function compiledBuildView(io: Io, opts: PlanOptions, before: FolderDefinitions): { view: BuildView; result: StreamResult } {
  const digests = new Map<string, string>();
  const texts = new Map<string, string>();
  const { result, manifest } = compileView(io, opts, (f) => {
    if (!f.path.endsWith('.asl.json')) return;
    digests.set(f.path, f.digest);
    if (before.digest(f.path) !== f.digest) texts.set(f.path, f.text());
  });
  const definitions: Definitions = {
    get: (path) => {
      const text = texts.get(path);
      if (text !== undefined) return JSON.parse(text) as StateMachineDefinition;
      return digests.has(path) ? before.get(path) : undefined;
    },
    digest: (path) => digests.get(path),
  };
  return { view: { manifest, definitions }, result };
}

export async function planCommand(io: Io, opts: PlanOptions): Promise<number> {
  if (opts.against === undefined && !opts.cdk) throw usage('plan needs --against <build folder> (offline) or --cdk (cdk diff against the deployed stacks)');
  let code: number = EXIT.ok;
  if (opts.against !== undefined) {
    const againstDir = resolve(io.cwd, opts.against);
    if (opts.cdk && againstDir === resolve(io.cwd, opts.outDir)) throw plainUsage(`--against ${opts.against} is the --out folder the build is written to; compare against a copy`);
    const before = readBuildView(againstDir, opts.against);
    const { view, result } = compiledBuildView(io, opts, before.definitions);
    const plan = planDiff(before, view);
    io.out(opts.json ? JSON.stringify(plan, null, 2) : formatPlan(plan, opts.against));
    if (result.diagnostics.some((d) => d.severity === 'error')) code = EXIT.diagnostics;
  }
  if (opts.cdk) {
    compileCommand(io, { specsDir: opts.specsDir, outDir: opts.outDir, printSummary: false, env: opts.env, cache: opts.cache });
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
