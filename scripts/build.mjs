#!/usr/bin/env node
/**
 * Builds the CLI into dist/ (git-ignored): src/cli/main.ts bundled by esbuild as
 * ES modules, one chunk per command module reached through a dynamic `import()`,
 * so `lakestep --version` loads only the dispatcher and each command loads what it
 * needs. Run by `npm ci` / `npm install` through the `prepare` script.
 *
 * dt-sql-parser is bundled (plain node cannot import its directory imports:
 * ERR_UNSUPPORTED_DIR_IMPORT); the other packages stay in node_modules.
 *
 * The spec schemas' validators are generated here once (ajv standalone code,
 * src/spec/schema-compile.ts) and take the place of that module in the bundle,
 * so the CLI neither loads ajv's compiler nor compiles the schemas at start.
 *
 * The digests of the code the bundle is built from (src/cli/code-id.ts) are computed
 * here too and set in the bundle, where the compile cache's keys and deploy's inputs
 * hashes read them.
 * @see https://esbuild.github.io/api/#splitting
 * @see https://ajv.js.org/standalone.html
 */
import { build } from 'esbuild';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * The Spark grammar's lexer and parser (and antlr4ng's XPath lexer, which lakestep never uses) build
 * their prediction tables when their module is evaluated: ~45 ms at every start of the CLI, also when
 * no SQL is read (a validate or compile served from the cache). Each `decisionsToDFA` becomes a getter
 * that builds them on first use, the same value. The replaced text is exact (the versions are pinned):
 * when a dependency's text changes, the build stops instead of leaving the eager form in silently.
 */
/** The Spark grammar's eager `X.decisionsToDFA = …;` statement, and the getter that takes its place. */
function sparkTables(owner) {
  const expr = `${owner}._ATN.decisionToState.map((ds, index) => new antlr.DFA(ds, index))`;
  return {
    from: `${owner}.decisionsToDFA = ${expr};`,
    to: `Object.defineProperty(${owner}, 'decisionsToDFA', { configurable: true, get() { const value = ${expr}; Object.defineProperty(${owner}, 'decisionsToDFA', { value, writable: true }); return value; } });`,
  };
}

/** Per file (its path under node_modules): the exact text replaced, and its replacement. */
const LAZY_TABLES = [
  { file: 'dt-sql-parser/dist/lib/spark/SparkSqlLexer.js', ...sparkTables('SparkSqlLexer') },
  { file: 'dt-sql-parser/dist/lib/spark/SparkSqlParser.js', ...sparkTables('SparkSqlParser') },
  {
    file: 'antlr4ng/dist/index.mjs',
    from: '  static decisionsToDFA = _XPathLexer._ATN.decisionToState.map((ds, index) => {\n    return new DFA(ds, index);\n  });',
    to: '  static get decisionsToDFA() {\n    return _XPathLexer.__dfa ??= _XPathLexer._ATN.decisionToState.map((ds, index) => new DFA(ds, index));\n  }',
  },
];

function replaceOnce(text, from, to, path) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`scripts/build.mjs: ${path} no longer holds the prediction-table initializer it defers; update LAZY_TABLES`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const lazyPredictionTables = {
  name: 'lazy-prediction-tables',
  setup(b) {
    const filter = new RegExp(`/node_modules/(${LAZY_TABLES.map((l) => l.file.replace(/[.]/g, '\\.')).join('|')})$`);
    b.onLoad({ filter }, async (args) => {
      const lazy = LAZY_TABLES.find((l) => args.path.endsWith(`/node_modules/${l.file}`));
      return { contents: replaceOnce(await readFile(args.path, 'utf8'), lazy.from, lazy.to, args.path), loader: 'js' };
    });
  },
};

/** Runs `name` of the source module `source` (a path under src/), bundled into `dir` for the time of the call. */
async function callSource(dir, source, name) {
  const module = `${dir}/${source.replace(/\W/g, '-')}.mjs`;
  await build({ entryPoints: [fileURLToPath(new URL(`../${source}`, import.meta.url))], outfile: module, bundle: true, format: 'esm', platform: 'node', target: 'node20', plugins: [sourceUrl, externals], logLevel: 'warning' });
  const exports = await import(pathToFileURL(module).href);
  await rm(module);
  return exports[name]();
}

const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

// Built beside dist/ and swapped in, so a CLI started meanwhile never sees half a build.
const staging = `${outdir.replace(/\/$/, '')}.${process.pid}`;
await mkdir(staging, { recursive: true });
// The module of src/spec/schema-compile.ts whose validators are ajv's standalone code.
const validators = await callSource(staging, 'src/spec/schema-compile.ts', 'standaloneModule');
const codeDigests = await callSource(staging, 'src/cli/code-id.ts', 'ownCodeDigests');
const precompiled = {
  name: 'precompiled-schemas',
  setup(b) {
    b.onLoad({ filter: /\/src\/spec\/schema-compile\.ts$/ }, () => ({ contents: validators, loader: 'js', resolveDir: root }));
  },
};
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
  plugins: [precompiled, sourceUrl, lazyPredictionTables, externals],
  define: { __LAKESTEP_CODE_DIGESTS__: JSON.stringify(codeDigests) },
  logLevel: 'warning',
});
const old = `${staging}.old`;
await rename(outdir, old).catch((e) => {
  if (e.code !== 'ENOENT') throw e;
});
await rename(staging, outdir);
await rm(old, { recursive: true, force: true });
