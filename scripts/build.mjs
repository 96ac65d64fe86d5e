#!/usr/bin/env node
/**
 * Builds the CLI into dist/ (git-ignored): src/cli/main.ts bundled by esbuild as
 * ES modules, one chunk per command module reached through a dynamic `import()`,
 * so `lakestep --version` loads only the dispatcher and each command loads what it
 * needs. Run by `npm ci` / `npm install` through the `prepare` script.
 *
 * dt-sql-parser is bundled (plain node cannot import its directory imports:
 * ERR_UNSUPPORTED_DIR_IMPORT); the other packages stay in node_modules.
 * @see https://esbuild.github.io/api/#splitting
 */
import { build } from 'esbuild';
import { readFile, rename, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = fileURLToPath(new URL('../dist/', import.meta.url));
/** Packages inlined into the bundle; every other import of a package stays external. */
const BUNDLED = /^(dt-sql-parser|antlr4ng)(\/|$)/;

/**
 * Sources find their data files (templates, schemas, package.json) relative to
 * `import.meta.url`; in a chunk of dist/ that URL would be the chunk's, so each
 * source file gets back its own URL, computed from the chunk's (every chunk sits
 * directly in dist/).
 */
const sourceUrl = {
  name: 'source-url',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const path = relative(root, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(`../${path}`)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

// Built beside dist/ and swapped in, so a CLI started meanwhile never sees half a build.
const staging = `${outdir.replace(/\/$/, '')}.${process.pid}`;
await build({
  entryPoints: { lakestep: fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)) },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: '[name]-[hash]',
  plugins: [sourceUrl, externals],
  logLevel: 'warning',
});
const old = `${staging}.old`;
await rename(outdir, old).catch((e) => {
  if (e.code !== 'ENOENT') throw e;
});
await rename(staging, outdir);
await rm(old, { recursive: true, force: true });
