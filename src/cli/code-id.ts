/**
 * What names the code of this lakestep in the keys of the compile cache (src/cli/compile-cache.ts) and in the
 * inputs hashes of the deployed stacks (infra/inputs-hash.ts): a digest of every file whose text can change what
 * a compile produces or what the CDK app makes of a build — lakestep's sources and data (src/, infra/,
 * asl-templates/) and package.json with package-lock.json (the versions of yaml, ajv, dt-sql-parser, aws-cdk-lib…).
 * The package version alone stays the same from one commit of a checkout to the next: after a `git pull` the
 * cache would otherwise go on serving what the code before it compiled, and `deploy` skip every stack.
 *
 * The built CLI carries the digest of the tree it was built from (scripts/build.mjs, at build time); run from
 * the sources (tsx), it is computed on first use: about 2 MB read.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files and folders, under lakestep's own folder, that the digest covers. */
export const CODE_INPUTS = ['src', 'infra', 'asl-templates', 'package.json', 'package-lock.json'] as const;

/**
 * Left out of a folder: what tools write beside the sources (dot files, Python byte code, installed packages),
 * documentation, and the Spark runtime's Python (infra/spark/), which no compile reads and the platform stack's
 * inputs hash covers on its own (infra/inputs-hash.ts).
 */
const SKIPPED = /^\.|^__pycache__$|^node_modules$|\.(md|py)$/;

/**
 * SHA-256 of {@link CODE_INPUTS} under `root`: each file's path (from `root`, with `/`), length and bytes, in
 * path order; a missing input counts as missing, so it is the same digest on every machine with the same files.
 */
export function codeDigest(root: string): string {
  const hash = createHash('sha256');
  const add = (rel: string): void => {
    const path = join(root, rel);
    let dir: boolean;
    try {
      dir = statSync(path).isDirectory();
    } catch {
      hash.update(`${rel}\0missing\0`);
      return;
    }
    if (!dir) {
      const bytes = readFileSync(path);
      hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
      return;
    }
    for (const name of readdirSync(path).sort()) if (!SKIPPED.test(name)) add(`${rel}/${name}`);
  };
  for (const input of CODE_INPUTS) add(input);
  return hash.digest('hex');
}

/** Set by scripts/build.mjs (esbuild `define`) to the digest of the tree the bundle was built from. */
declare const __LAKESTEP_CODE_DIGEST__: string | undefined;

let computed: string | undefined;

/** The digest of this lakestep's code ({@link codeDigest} of its own folder). */
export function codeId(): string {
  if (typeof __LAKESTEP_CODE_DIGEST__ === 'string') return __LAKESTEP_CODE_DIGEST__;
  return (computed ??= codeDigest(fileURLToPath(new URL('../../', import.meta.url))));
}
