/**
 * `platform.yaml`, and with `--env <env>` its overlay `platform.<env>.yaml`, →
 * the {@link Platform} of one environment: each file parsed, checked and
 * validated on its own (diagnostics point into the file that holds the value),
 * then merged (src/spec/environment.ts), defaults applied and name tokens
 * resolved (names.ts). Any error here quarantines every use case: the
 * environment is shared.
 */
import type { Origin, Report } from '../diagnostics.ts';
import { useCaseFirstFile, type SpecTree } from '../spec/discover.ts';
import { mergePlatform, overlayPath } from '../spec/environment.ts';
import { locate, parseSpecFile, type SourceFile, type SpecFile } from '../spec/files.ts';
import { checkReservedSyntax } from '../spec/reserved.ts';
import { validateSchema } from '../spec/schema.ts';
import { checkSecrets } from '../spec/secrets-check.ts';
import type { PlatformSpec } from '../spec/types.ts';
import { checkEnvironmentNames, environmentNames } from './environment-names.ts';
import { checkLandingFolders } from './shared-datasync.ts';
import { resolvePlatformNames } from './names.ts';
import { warnShortTimeout } from './normalize.ts';
import { checkPlatformSpec, normalizePlatform } from './platform.ts';
import type { Platform } from './types.ts';

export interface LoadedPlatform {
  platform: Platform;
  /** False when a platform file has errors: every use case is quarantined. */
  ok: boolean;
  /** Paths of the platform files read (`platform.yaml`, the overlay). */
  files: string[];
  /** platform.yaml, parsed (where database owners and grants are located): on demand, as it may be parsed again (src/compile/platform.ts). */
  baseFile?: () => SpecFile;
  /** Bucket names of the base settings that the environment renamed (their use in a use case is suspicious). */
  renamedBuckets: Map<string, string>;
}

function has(value: unknown, pointer: string): boolean {
  let node = value;
  for (const seg of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, seg)) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return true;
}

export function loadPlatform(tree: Pick<SpecTree, 'platform' | 'overlays' | 'useCases'>, env: string | undefined, report: Report): LoadedPlatform {
  const files: SpecFile[] = [];
  const useCases = tree.useCases.map((u) => u.name);
  let ok = true;
  /** One file parsed and validated; `view` is what its semantic checks see (the overlay's values over the merged settings). */
  const read = (src: SourceFile, view?: (own: PlatformSpec) => PlatformSpec): PlatformSpec | undefined => {
    const f = parseSpecFile(src);
    files.push(f);
    f.diagnostics.forEach((d) => report.add(d));
    checkReservedSyntax(f, report);
    checkSecrets(f, report);
    let valid = f.value !== undefined && validateSchema(f, 'platform', report);
    if (valid) checkPlatformSpec(f, view ? view((f.value ?? {}) as PlatformSpec) : ((f.value ?? {}) as PlatformSpec), report, useCases);
    valid &&= !report.hasErrors((d) => d.file === f.path);
    if (!valid) ok = false;
    return valid ? ((f.value ?? {}) as PlatformSpec) : undefined;
  };
  const base = tree.platform ? read(tree.platform) : {};
  const envs = base ? environmentNames(tree, base) : [];
  checkEnvironmentNames(envs, tree.useCases.map((u) => ({ name: u.name, firstFile: useCaseFirstFile(u) })), report);
  let spec = base;
  let overlayFile = overlayPath(env ?? '');
  if (env !== undefined) {
    const src = tree.overlays.get(env);
    if (!src) {
      const known = [...tree.overlays.keys()].sort();
      report.error('ENV_UNKNOWN', `environment '${env}' has no ${overlayPath(env)} next to platform.yaml (environments here: ${known.length ? known.join(', ') : 'none'})`, { file: 'platform.yaml', line: 1, column: 1, pointer: '' });
      ok = false;
    } else {
      overlayFile = src.path;
      // Checked with the merged settings, but only for the grants and Spark defaults the overlay sets itself.
      const overlay = read(src, (own) => {
        const merged = mergePlatform(base ?? {}, own);
        return { ...merged, external_locations: own.external_locations, shared_secrets: own.shared_secrets, defaults: { ...merged.defaults, spark_submit_parameters: own.defaults?.spark_submit_parameters } };
      });
      spec = base && overlay ? mergePlatform(base, overlay) : undefined;
    }
  }
  // The value of a setting comes from the last file that has it.
  const origin = (pointer: string): Origin => {
    const f = [...files].reverse().find((x) => has(x.value, pointer)) ?? files[0];
    return f ? locate(f, pointer) : { file: 'platform.yaml', line: 1, column: 1, pointer };
  };
  let platform = normalizePlatform(ok ? spec : undefined, files[0] ? locate(files[0], '') : undefined);
  const renamedBuckets = new Map<string, string>();
  if (ok) {
    const paths = new Set(files.map((f) => f.path));
    platform = resolvePlatformNames(platform, { env, report, origin });
    if (report.hasErrors((d) => paths.has(d.file))) ok = false;
    if (spec?.defaults?.timeout !== undefined) warnShortTimeout(platform.defaults.timeoutSeconds, origin('/defaults/timeout'), report);
  }
  if (ok && env !== undefined) {
    platform = { ...platform, environment: env };
    const plain = normalizePlatform(base);
    // The same account (both named alike, or neither named): an overlay that keeps the prefix and names the account is how
    // the base deployment is pinned to one (the example's platform.prod.yaml). IAM names are account-wide: the use cases'
    // roles meet whatever the regions (src/naming.ts useCaseRoleName).
    for (const other of envs.filter((e) => e.env !== env && e.prefix === platform.prefix && e.account === platform.account)) {
      const whose = other.env === undefined ? 'platform.yaml' : `environment '${other.env}' (${other.file})`;
      const meet = other.region === platform.region ? 'its stacks, state machines, tables and roles have the same names and replace the other\'s when deployed' : 'its roles have the same names (IAM names are account-wide, whatever the region): whichever deploys second fails';
      report.warning('ENV_SAME_NAMES', `environment '${env}' keeps the prefix '${platform.prefix}' of ${whose}, in the same account: ${meet}; give it a \`prefix\` of its own`, { file: overlayFile, line: 1, column: 1, pointer: '' });
    }
    const foreignBuckets: Record<string, keyof Platform['buckets']> = {};
    for (const [role, name] of Object.entries(plain.buckets) as [keyof Platform['buckets'], string][]) {
      const now = platform.buckets[role];
      if (name.includes('{') || name === now) continue;
      renamedBuckets.set(name, now);
      foreignBuckets[name] = role;
    }
    // The base environment's buckets stay platform buckets for the use cases: only their own prefixes (src/ir/locations.ts).
    if (Object.keys(foreignBuckets).length) platform = { ...platform, grants: { ...platform.grants, foreignBuckets } };
  }
  if (ok) checkLandingFolders(platform.grants.sharedDataSyncTasks, tree.useCases.map((u) => ({ name: u.name, firstFile: useCaseFirstFile(u) })), report);
  // Grants of a broken platform file are not trusted (src/ir/platform.ts).
  if (!ok) platform = { ...platform, grants: { ...platform.grants, checked: false } };
  return { platform, ok, files: files.map((f) => f.path), ...(tree.platform && files[0] ? { baseFile: () => files[0]! } : {}), renamedBuckets };
}
