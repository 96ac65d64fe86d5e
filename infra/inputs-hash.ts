/**
 * Content hashes of what each stack is built from, so `lakestep deploy` can tell
 * which stacks changed since they were deployed (their `LakestepInputsHash`
 * output) without synthesizing the others. Plain data and files only: the CDK app
 * stamps them on its stacks and `src/ops/deploy-changes.ts` computes them again.
 *
 * A use case's hash covers its manifest entry, its state machine and job documents,
 * the tables of every database where it owns, writes or reads one, the shares that grant it tables of other use
 * cases, the platform settings and the lakestep version and code. The platform stack's
 * covers the platform settings, its own state machines, the Spark runtime, the version
 * and code, and which use cases upload job documents (their uploads tag the artifacts
 * bucket). The code (src/cli/code-id.ts: the modules this app imports, the templates they
 * read, cdk.json's feature flags and the locked dependencies) is what the build files do not show: a change to the
 * roles or the alarms this app makes redeploys every stack, also when the version did not move.
 * When the platform stack deploys, the app is built whole: its template depends on
 * every use-case stack; otherwise only the changed use cases' stacks are built.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestUseCase } from '../src/build/types.ts';
import { codeId } from '../src/cli/code-id.ts';
import { type LoadedBuild, readBuildFile } from './manifest.ts';

/** The PySpark runtime the platform stack uploads, unless the app is given another. */
export const DEFAULT_SPARK_DIR = join(dirname(fileURLToPath(import.meta.url)), 'spark');

/** Stack outputs that say what a stack was built from. */
export const INPUTS_HASH_OUTPUT = 'LakestepInputsHash';
export const USE_CASE_OUTPUT = 'LakestepUseCase';
/** `<shard>/<shards>`, 1-based, so a missing shard stack is seen. */
export const SHARD_OUTPUT = 'LakestepShard';
/** The IAM roles the stack holds, so a deploy knows how many roles a changed stack adds or removes (src/ops/role-quota.ts). */
export const ROLES_OUTPUT = 'LakestepRoles';
/**
 * The lakestep version that built the stack, and a use-case stack's spec hash (sha256 of its spec files). Outputs,
 * not tags on each resource: a tag that changes with every spec edit or upgrade would update every resource of the
 * stack, where an edit that changes no resource should update none.
 */
export const VERSION_OUTPUT = 'LakestepVersion';
export const SPEC_HASH_OUTPUT = 'LakestepSpecHash';

/** @param code what names the app's code (default: this lakestep's) */
export function useCaseInputsHash(build: LoadedBuild, useCase: ManifestUseCase, code = codeId('app')): string {
  const { manifest } = build;
  const hash = createHash('sha256');
  field(hash, manifest.lakestepVersion);
  field(hash, code);
  field(hash, JSON.stringify(manifest.platform));
  field(hash, JSON.stringify(useCase));
  // The tables it owns, writes or reads, and every other table of their databases: a grant of a whole database
  // (infra/usecase/spark-access.ts) writes only where the use case owns every table, so another use case's new
  // table there changes this stack's role.
  const all = Object.entries(manifest.tables ?? {});
  const databases = new Set(
    all.filter(([, t]) => t.owner === useCase.name || [...t.writers, ...t.readers].some((w) => w.startsWith(`${useCase.name}/`))).map(([fqn]) => fqn.split('.')[0]),
  );
  const tables = all.filter(([fqn]) => databases.has(fqn.split('.')[0])).sort(([a], [b]) => a.localeCompare(b));
  field(hash, JSON.stringify(tables));
  const grants = manifest.useCases.flatMap((u) => (u.shares ?? []).filter((s) => s.with.includes(useCase.name)).map((s) => [u.name, s]));
  field(hash, JSON.stringify(grants));
  for (const w of useCase.workflows) {
    field(hash, readBuildFile(build, w.definition));
    if (w.watch) field(hash, readBuildFile(build, w.watch.definition));
    for (const job of w.jobs) field(hash, readBuildFile(build, job));
  }
  return hash.digest('hex');
}

/** @param code what names the app's code (default: this lakestep's) */
export function platformInputsHash(build: LoadedBuild, sparkDir: string, code = codeId('app')): string {
  const { manifest } = build;
  const hash = createHash('sha256');
  field(hash, manifest.lakestepVersion);
  field(hash, code);
  field(hash, JSON.stringify(manifest.platform));
  field(hash, JSON.stringify(manifest.machines ?? null));
  for (const m of [manifest.machines?.backfill, manifest.machines?.dispatcher]) if (m) field(hash, readBuildFile(build, m.definition));
  for (const file of filesUnder(sparkDir)) field(hash, file.slice(sparkDir.length)).update(readFileSync(file));
  return hash.digest('hex');
}

function field(hash: Hash, text: string): Hash {
  return hash.update(text).update('\0');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== '__pycache__')
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}
