/**
 * The digest that names lakestep's code in the compile cache's keys (src/cli/code-id.ts): any change to a file
 * that can change a compile's output changes it; what tools write beside the sources does not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODE_INPUTS, codeDigest } from '../../src/cli/code-id.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A lakestep folder holding `files` (path → text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lakestep-code-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  return root;
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const BASE = {
  'src/compile.ts': 'export const a = 1;\n',
  'src/asl/frame.ts': 'export const b = 2;\n',
  'infra/usecase/shards.ts': 'export const c = 3;\n',
  'infra/spark/engine-versions.json': '{"spark":"3.5"}\n',
  'asl-templates/run-record.asl.json': '{"StartAt":"A"}\n',
  'package.json': '{"name":"lakestep","version":"0.1.0"}\n',
  'package-lock.json': '{"packages":{"node_modules/yaml":{"version":"2.8.1"}}}\n',
};

describe('codeDigest', () => {
  it('is the same for the same files, wherever they are', () => {
    expect(codeDigest(tree(BASE))).toBe(codeDigest(tree(BASE)));
    expect(codeDigest(tree(BASE))).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(Object.keys(BASE))('changes when %s changes', (path) => {
    const before = codeDigest(tree(BASE));
    expect(codeDigest(tree({ ...BASE, [path]: `${BASE[path as keyof typeof BASE]} ` }))).not.toBe(before);
  });

  it('changes when a file is added, removed or renamed under an input folder', () => {
    const before = codeDigest(tree(BASE));
    expect(codeDigest(tree({ ...BASE, 'src/new.ts': '' }))).not.toBe(before);
    const { 'src/asl/frame.ts': frame, ...without } = BASE;
    expect(codeDigest(tree(without))).not.toBe(before);
    expect(codeDigest(tree({ ...without, 'src/asl/frame2.ts': frame }))).not.toBe(before);
  });

  it('tells a text moved from one file to the next apart from the same texts as they were', () => {
    const a = codeDigest(tree({ ...BASE, 'src/x.ts': 'ab', 'src/y.ts': 'c' }));
    expect(codeDigest(tree({ ...BASE, 'src/x.ts': 'a', 'src/y.ts': 'bc' }))).not.toBe(a);
  });

  it('leaves out dot files, Python byte code and installed packages, documentation, the Spark runtime, and files beside the inputs', () => {
    const before = codeDigest(tree(BASE));
    const root = tree(BASE);
    write(root, 'src/.DS_Store', 'x');
    write(root, 'infra/spark/__pycache__/lakestep_runtime.cpython-311.pyc', 'x');
    write(root, 'infra/spark/lakestep/steps/sql.py', 'x');
    write(root, 'infra/README.md', 'x');
    write(root, 'infra/node_modules/x/index.js', 'x');
    write(root, 'specs/orders/orchestration.yaml', 'x');
    write(root, 'README.md', 'x');
    expect(codeDigest(root)).toBe(before);
  });

  it('counts a missing input, so a tree without infra/ is not one with an empty file in its place', () => {
    const noInfra = Object.fromEntries(Object.entries(BASE).filter(([path]) => !path.startsWith('infra/')));
    expect(CODE_INPUTS).toContain('infra');
    expect(codeDigest(tree(noInfra))).not.toBe(codeDigest(tree({ ...noInfra, infra: '' })));
  });
});
