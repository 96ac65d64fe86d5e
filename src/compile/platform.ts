/**
 * The platform stage as a unit the cache can serve: platform.yaml and the
 * environment's overlay parsed, checked and resolved (src/ir/load-platform.ts).
 * Its result depends on those files' texts, the environment, the other
 * overlays (their prefixes reserve use-case names; their file names are in
 * messages), the names of the use cases (a name the platform lists that no
 * folder has is warned about) and the first file of each (where an error of the
 * whole use case points), and
 * the lakestep version: all of them are its key. A
 * compile whose key is unchanged takes the platform and the diagnostics it
 * reported from the cache instead of parsing platform.yaml again (a platform
 * that lists 1,000 use cases takes longer to parse than one use case's files).
 * The parsed base file, which the later stages point into only to locate a
 * diagnostic, is then parsed again on first use.
 */
import { Report } from '../diagnostics.ts';
import { loadPlatform, type LoadedPlatform } from '../ir/load-platform.ts';
import { useCaseFirstFile, type SpecTree } from '../spec/discover.ts';
import { parseSpecFile, type SpecFile } from '../spec/files.ts';
import { CACHE_FORMAT, digest, type CompileCache } from './cache.ts';

/** The loaded platform of `tree` in environment `env`, from the cache when its inputs did not change; its diagnostics go to `report`. */
export function platformStage(
  tree: Pick<SpecTree, 'platform' | 'overlays' | 'useCases'>,
  env: string | undefined,
  report: Report,
  /** The compiler's version and code (CompileOptions.codeId of src/compile.ts), in the stage's key. */
  compiler: string,
  cache: CompileCache | undefined,
): { loaded: LoadedPlatform; reused: boolean } {
  const key = platformKey(tree, env, compiler);
  const hit = cache?.readPlatform?.();
  if (hit?.format === CACHE_FORMAT && hit.key === key) {
    hit.diagnostics.forEach((d) => report.add(d));
    // The key holds whether there is a platform.yaml, and loadPlatform returns its parsed file exactly then.
    const base = tree.platform;
    return { loaded: { ...hit.loaded, ...(base ? { baseFile: once(() => parseSpecFile(base)) } : {}) }, reused: true };
  }
  // Its own report: what the stage reported is what the cache keeps (nothing before it reports on platform files).
  const own = new Report();
  const loaded = loadPlatform(tree, env, own);
  own.diagnostics.forEach((d) => report.add(d));
  const { baseFile: _parsed, ...rest } = loaded;
  cache?.writePlatform?.({ format: CACHE_FORMAT, key, loaded: rest, diagnostics: own.diagnostics });
  return { loaded, reused: false };
}

function platformKey(tree: Pick<SpecTree, 'platform' | 'overlays' | 'useCases'>, env: string | undefined, compiler: string): string {
  const overlay = env === undefined ? undefined : tree.overlays.get(env);
  return digest(
    String(CACHE_FORMAT),
    compiler,
    env === undefined ? '-' : `env:${env}`,
    ...(tree.platform ? ['platform', tree.platform.path, tree.platform.text] : ['no platform']),
    ...(overlay ? ['overlay', overlay.path, overlay.text] : ['no overlay']),
    // Every overlay, not only the environment's: each one's prefix and account say which use-case names are reserved (src/ir/environment-names.ts).
    // Its file name too: the messages that name another environment name its file.
    ...[...tree.overlays.keys()].sort().flatMap((e) => [e, tree.overlays.get(e)!.path, tree.overlays.get(e)!.text]),
    // Each use case's name and the file its errors of the whole use case point at (USE_CASE_RESERVED).
    JSON.stringify(tree.useCases.map((u) => [u.name, useCaseFirstFile(u)])),
  );
}

function once(make: () => SpecFile): () => SpecFile {
  let file: SpecFile | undefined;
  return () => (file ??= make());
}
