/**
 * The built CLI validates spec files with ajv's standalone code generated at
 * build time (src/spec/schema-compile.ts), the sources with validators compiled
 * at run time: both give the same verdict and the same errors (keyword, path,
 * params, message, schema, parent schema, data) for every YAML file of the
 * example, the goldens (hostile inputs included) and the fixtures, each checked
 * against every spec kind so that most pairs fail in many ways.
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { compileValidators, standaloneModule } from '../../src/spec/schema-compile.ts';
import { SPEC_KINDS, type SpecKind } from '../../src/spec/types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lakestep-standalone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function yamlFiles(d: string): string[] {
  return readdirSync(d)
    .sort()
    .flatMap((n) => {
      const p = join(d, n);
      if (n === 'node_modules' || n === 'expected') return [];
      const stat = lstatSync(p);
      if (stat.isDirectory()) return yamlFiles(p);
      // Links (some hostile inputs are links, some dangling) are left to the tests of the reader.
      return stat.isFile() && /\.ya?ml$/.test(n) ? [p] : [];
    });
}

/** The standalone module, written outside the project: it requires ajv's helpers from the project's root. */
async function standalone(): Promise<Record<SpecKind, ValidateFunction>> {
  const file = join(dir, 'validators.mjs');
  writeFileSync(file, standaloneModule().replace('createRequire(import.meta.filename)', `createRequire(${JSON.stringify(pathToFileURL(root).href)})`));
  const mod = (await import(pathToFileURL(file).href)) as { compileValidators: () => Record<SpecKind, ValidateFunction> };
  return mod.compileValidators();
}

function outcome(v: ValidateFunction, value: unknown): unknown {
  const valid = v(value);
  return { valid, errors: structuredClone(v.errors ?? []) };
}

describe('standalone spec validators', () => {
  const inputs = [...yamlFiles(join(root, 'specs')), ...yamlFiles(join(root, 'test'))].flatMap((file) =>
    // A file that is not YAML is still a value: validated as its parse leaves it.
    parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => ('toJS' in doc ? [{ file, value: doc.toJS() as unknown }] : [])),
  );

  it('cover the hostile inputs, the goldens and the example', () => {
    const files = new Set(inputs.map((i) => i.file.slice(root.length)));
    expect([...files].filter((f) => f.startsWith('test/golden/hostile-inputs/')).length).toBeGreaterThan(10);
    expect([...files].filter((f) => f.startsWith('specs/')).length).toBeGreaterThan(10);
    expect(files.size).toBeGreaterThan(200);
  });

  it('export one validator per spec kind', async () => {
    expect(Object.keys(await standalone()).sort()).toEqual([...SPEC_KINDS].sort());
  });

  it('give the runtime-compiled validators\' verdicts and errors on every input against every kind', async () => {
    const built = await standalone();
    const runtime = compileValidators();
    let invalid = 0;
    for (const { file, value } of inputs) {
      for (const kind of SPEC_KINDS) {
        const expected = outcome(runtime[kind], value) as { valid: boolean };
        expect(outcome(built[kind], value), `${file.slice(root.length)} as ${kind}`).toEqual(expected);
        if (!expected.valid) invalid++;
      }
    }
    // Most files are invalid as most kinds: the errors themselves are compared, not only `true`.
    expect(invalid).toBeGreaterThan(inputs.length * 3);
  });
});
