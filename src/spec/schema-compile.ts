/**
 * The ajv validators of the spec schemas. From the sources they are compiled at
 * run time; the built CLI (scripts/build.mjs) replaces this module with the
 * code {@link standaloneModule} generates once at build time, so a start of the
 * CLI does not compile the schemas again (ajv's code generation took about a
 * third of a second at each start).
 * @see https://ajv.js.org/standalone.html
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { schemaOf } from './schema-files.ts';
import { SPEC_KINDS, type SpecKind } from './types.ts';

/** Options of every ajv instance of the spec schemas: all errors, with their schema and data (`verbose`). */
const OPTIONS: Options = { allErrors: true, strict: true, verbose: true };

/** One validator per spec kind, compiled now. */
export function compileValidators(): Record<SpecKind, ValidateFunction> {
  const ajv = new Ajv(OPTIONS);
  return Object.fromEntries(SPEC_KINDS.map((k) => [k, ajv.compile(schemaOf(k))])) as Record<SpecKind, ValidateFunction>;
}

/**
 * An ES module with the same `compileValidators` export, whose validators are
 * ajv's standalone code for the same schemas and options. ajv's runtime helpers
 * (`equal`, `ucs2length`) are required from the installed ajv package, resolved
 * from where the module is (dist/ in the build).
 */
export function standaloneModule(): string {
  const ajv = new Ajv({ ...OPTIONS, code: { source: true, esm: true } });
  for (const k of SPEC_KINDS) ajv.addSchema(schemaOf(k), k);
  const code = standalone.default(ajv, Object.fromEntries(SPEC_KINDS.map((k) => [k, k])));
  const kinds = SPEC_KINDS.map((k) => `${JSON.stringify(k)}: ${k}`).join(', ');
  // ajv writes its helpers as CommonJS `require(…)` calls even in ES module code.
  const head = `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.filename);`;
  return [head, code, `export function compileValidators() { return { ${kinds} }; }`, ''].join('\n');
}
