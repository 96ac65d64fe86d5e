/**
 * What names the code of this lakestep where a result it made is kept and compared later: in the keys of the
 * compile cache (src/cli/compile-cache.ts) and in the inputs hashes of the deployed stacks (infra/inputs-hash.ts).
 * The package version alone stays the same from one commit of a checkout to the next: after a `git pull` the cache
 * would otherwise go on serving what the code before it compiled, and `deploy` would skip every stack whose build
 * files did not change, though the CDK app now makes other roles of them.
 *
 * A digest covers the modules an entry point imports (relative imports, static and dynamic, followed through
 * src/ and infra/), the data files and folders those modules read beside them (`new URL('…', import.meta.url)`:
 * the ASL templates, the schemas, the engine versions, package.json) and package-lock.json (the versions of yaml,
 * ajv, dt-sql-parser, aws-cdk-lib…). So a change to a CLI message moves the compiler's digest but not the CDK
 * app's, and no stack is deployed again for it.
 *
 * The built CLI carries both digests of the tree it was built from (scripts/build.mjs, at build time); run from
 * the sources (tsx), each is computed on first use (a few hundred files read, ~15 ms).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a digest covers: entry points, under lakestep's own folder, and files they read that no import shows. */
export interface CodeEntry {
  entries: readonly string[];
  files: readonly string[];
}

/** The code of each digest. */
export const CODE_ENTRIES = {
  /** The CLI: what `validate`, `compile` and the commands that compile keep in the compile cache. */
  compiler: { entries: ['src/cli/main.ts'], files: [] },
  /**
   * The CDK app: what makes each deployed stack's template from the build; with the schedule starter's handler,
   * which it bundles into the platform stack's function by path, and cdk.json, whose feature flags it reads.
   */
  app: { entries: ['infra/app.ts', 'infra/starter/handler.ts'], files: ['cdk.json'] },
} as const satisfies Record<string, CodeEntry>;

export type CodeKind = keyof typeof CODE_ENTRIES;

/** Files every digest covers: the locked versions of the packages the code runs on. */
const ALWAYS = ['package.json', 'package-lock.json'];

/** Relative module specifiers of `import … from`, `export … from`, a bare `import` and `import(…)`. */
const IMPORTS = [/\b(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"](\.\.?\/[^'"]+)['"]/g, /\bimport\(\s*['"](\.\.?\/[^'"]+)['"]\s*\)/g];
/** Files and folders a module reads beside it: `new URL(<relative path>, import.meta.url)`. */
const DATA = /\bnew URL\(\s*['"](\.\.?\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g;

/** Left out of a data folder: what tools write beside it (dot files, Python byte code, installed packages) and documentation. */
const SKIPPED = /^\.|^__pycache__$|^node_modules$|\.md$/;

/**
 * The files the digest of `code` covers, as paths from `root` with `/`, in path order, each with its bytes (undefined
 * when it does not exist): the modules its entries import, transitively, the data they read beside them, its own
 * files and {@link ALWAYS}. Each file is read once, to follow its imports and to be digested.
 */
function codeContents(root: string, code: CodeEntry): Map<string, Buffer | undefined> {
  const contents = new Map<string, Buffer | undefined>();
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  const read = (abs: string): Buffer | undefined => {
    const path = rel(abs);
    if (!contents.has(path)) contents.set(path, statSync(abs, { throwIfNoEntry: false })?.isFile() ? readFileSync(abs) : undefined);
    return contents.get(path);
  };
  const addData = (abs: string): void => {
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      for (const name of readdirSync(abs)) if (!SKIPPED.test(name)) addData(join(abs, name));
    } else read(abs);
  };
  const visit = (abs: string): void => {
    if (contents.has(rel(abs))) return;
    const text = read(abs)?.toString('utf8');
    if (text === undefined) return;
    for (const re of IMPORTS) for (const m of text.matchAll(re)) visit(join(dirname(abs), m[1]!));
    for (const m of text.matchAll(DATA)) addData(join(dirname(abs), m[1]!));
  };
  for (const path of [...ALWAYS, ...code.files]) read(join(root, path));
  for (const entry of code.entries) visit(join(root, entry));
  return new Map([...contents].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The paths {@link codeDigest} covers (see {@link codeContents}); a path that does not exist is listed too. */
export function codeFiles(root: string, code: CodeEntry): string[] {
  return [...codeContents(root, code).keys()];
}

/** SHA-256 of {@link codeContents}: each file's path, length and bytes in path order; a missing file counts as missing. */
export function codeDigest(root: string, code: CodeEntry): string {
  const hash = createHash('sha256');
  for (const [path, bytes] of codeContents(root, code)) {
    if (bytes === undefined) hash.update(`${path}\0missing\0`);
    else hash.update(`${path}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** Every digest of the tree at `root`, by kind. */
export function codeDigests(root: string): Record<CodeKind, string> {
  return { compiler: codeDigest(root, CODE_ENTRIES.compiler), app: codeDigest(root, CODE_ENTRIES.app) };
}

/** Set by scripts/build.mjs (esbuild `define`) to {@link codeDigests} of the tree the bundle was built from. */
declare const __LAKESTEP_CODE_DIGESTS__: Record<CodeKind, string> | undefined;

const computed = new Map<CodeKind, string>();
/** lakestep's own folder (not as a `new URL` of this module: {@link DATA} would take it for data it reads). */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The digest of this lakestep's code of `kind` ({@link codeDigest} of its own folder). */
export function codeId(kind: CodeKind): string {
  if (typeof __LAKESTEP_CODE_DIGESTS__ === 'object') return __LAKESTEP_CODE_DIGESTS__[kind];
  let id = computed.get(kind);
  if (id === undefined) computed.set(kind, (id = codeDigest(ROOT, CODE_ENTRIES[kind])));
  return id;
}

/** {@link codeDigests} of this lakestep's own folder: what scripts/build.mjs sets in the bundle. */
export function ownCodeDigests(): Record<CodeKind, string> {
  return codeDigests(ROOT);
}
