/**
 * The digests that name lakestep's code where its results are kept (src/cli/code-id.ts): the compile cache's keys
 * and deploy's inputs hashes. A digest follows every module its entry point imports and every data file they read;
 * a file outside that reach leaves it alone. The module list is checked against esbuild's own resolution.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { CODE_ENTRIES, codeDigest, codeFiles } from '../../src/cli/code-id.ts';

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

/** An entry reaching modules every way the sources import them, and data beside them. */
const BASE = {
  'src/main.ts': "import { a } from './a.ts';\nimport type {\n  B,\n} from './types.ts';\nexport * from './reexported.ts';\nimport './side-effect.ts';\nexport async function run() {\n  return (await import('./command.ts')).go();\n}\n",
  'src/a.ts': "import { c } from '../infra/c.ts';\nexport const a = c;\n",
  'src/types.ts': 'export type B = string;\n',
  'src/reexported.ts': 'export const r = 1;\n',
  'src/side-effect.ts': 'globalThis.x = 1;\n',
  'src/command.ts': "const dir = new URL('../templates/', import.meta.url);\nconst v = new URL('../data/versions.json', import.meta.url);\nexport const go = () => [dir, v];\n",
  'infra/c.ts': 'export const c = 3;\n',
  'templates/run.asl.json': '{"StartAt":"A"}\n',
  'templates/nested/more.asl.json': '{"StartAt":"B"}\n',
  'data/versions.json': '{"spark":"3.5"}\n',
  'package.json': '{"name":"lakestep","version":"0.1.0"}\n',
  'package-lock.json': '{"packages":{"node_modules/yaml":{"version":"2.8.1"}}}\n',
};
const ENTRY = { entries: ['src/main.ts'], files: [] };

describe('codeFiles and codeDigest', () => {
  it('list the modules the entry reaches by every form of import, the data they read, and the package files', () => {
    expect(codeFiles(tree(BASE), ENTRY)).toEqual(Object.keys(BASE).sort());
  });

  it('are the same for the same files, wherever they are', () => {
    expect(codeDigest(tree(BASE), ENTRY)).toBe(codeDigest(tree(BASE), ENTRY));
  });

  it.each(Object.keys(BASE))('change when %s changes', (path) => {
    const before = codeDigest(tree(BASE), ENTRY);
    expect(codeDigest(tree({ ...BASE, [path]: `${BASE[path as keyof typeof BASE]} ` }), ENTRY)).not.toBe(before);
  });

  it('change when a data folder gains a file, or an import names a file that is not there', () => {
    const before = codeDigest(tree(BASE), ENTRY);
    expect(codeDigest(tree({ ...BASE, 'templates/new.asl.json': '{}' }), ENTRY)).not.toBe(before);
    const missing = { ...BASE, 'src/a.ts': "import { c } from '../infra/gone.ts';\nexport const a = c;\n" };
    expect(codeFiles(tree(missing), ENTRY)).toContain('infra/gone.ts');
    expect(codeDigest(tree(missing), ENTRY)).not.toBe(codeDigest(tree({ ...missing, 'infra/gone.ts': '' }), ENTRY));
  });

  it('leave alone what the entry does not reach, and what tools write into a data folder', () => {
    const before = codeDigest(tree(BASE), ENTRY);
    const root = tree(BASE);
    write(root, 'src/unused.ts', 'export const u = 1;\n');
    write(root, 'infra/spark/lakestep_runtime.py', 'x');
    write(root, 'templates/.DS_Store', 'x');
    write(root, 'templates/README.md', 'x');
    write(root, 'templates/__pycache__/x.pyc', 'x');
    write(root, 'README.md', 'x');
    expect(codeDigest(root, ENTRY)).toBe(before);
  });

  it('tell a text moved from one file to the next apart from the same texts as they were', () => {
    const moved = { ...BASE, 'src/types.ts': `${BASE['src/types.ts']}//`, 'src/reexported.ts': BASE['src/reexported.ts'].slice(0, -1) };
    expect(codeDigest(tree(moved), ENTRY)).not.toBe(codeDigest(tree(BASE), ENTRY));
  });
});

describe("lakestep's own entry points", () => {
  const root = join(import.meta.dirname, '..', '..');

  it.each(Object.entries(CODE_ENTRIES))('%s: every source module esbuild bundles from its entries is covered', async (_kind, entry) => {
    const r = await build({ entryPoints: entry.entries.map((e) => join(root, e)), outdir: join(tmpdir(), 'unused'), bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent' });
    const bundled = Object.keys(r.metafile.inputs).map((p) => relative(root, join(process.cwd(), p)).split('\\').join('/'));
    expect(bundled.length).toBeGreaterThan(50);
    expect(bundled.filter((p) => !codeFiles(root, entry).includes(p))).toEqual([]);
  });

  it("the CDK app's digest leaves out the CLI's own modules (a change to a command's message redeploys nothing)", () => {
    const app = codeFiles(root, CODE_ENTRIES.app);
    expect(app).toContain('infra/usecase/spark-job-role.ts');
    expect(app).toContain('asl-templates/run-record.asl.json');
    // Its feature flags: read by appContext(), named by no import; the starter's handler, bundled by path.
    expect(app).toContain('cdk.json');
    expect(app).toEqual(expect.arrayContaining(['infra/starter/handler.ts', 'src/starter/scheduled.ts']));
    expect(app.filter((p) => p.startsWith('src/cli/') && p !== 'src/cli/code-id.ts')).toEqual([]);
    expect(codeFiles(root, CODE_ENTRIES.compiler)).toEqual(expect.arrayContaining(['src/cli/commands.ts', 'src/spec/schemas/orchestration.schema.json', 'infra/spark/engine-versions.json']));
  });
});
