/**
 * `compile --out` never removes what lakestep did not write: a build is known
 * only by its marker, and a populated folder, the specs folder, a folder above
 * it and the current directory are refused with exit 2 and one line.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILD_MARKER, BuildWriter } from '../../src/cli/build-dir.ts';
import { readTree } from '../golden/cases.ts';
import { sparkUseCase } from '../compile/support.ts';
import { folder, runCli } from './support.ts';

const SPECS = { 'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract' }]) };

/** Every file under `dir`, including dotfiles, with its content. */
function snapshot(dir: string): Map<string, string> {
  return readTree(dir);
}

async function refused(argv: string[], cwd: string): Promise<string> {
  const r = await runCli(argv, cwd);
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(/^lakestep compile: refusing --out /);
  return r.err;
}

describe('compile --out', () => {
  it('refuses a populated folder that holds manifest.json and report.json but no marker', async () => {
    const dir = folder({ ...SPECS, 'webapp/README.md': '# app', 'webapp/src/index.ts': 'x', 'webapp/manifest.json': '{}', 'webapp/report.json': '{}' });
    const before = snapshot(join(dir, 'webapp'));
    expect(await refused(['compile', 'specs', '--out', 'webapp'], dir)).toContain('holds no lakestep build');
    expect(snapshot(join(dir, 'webapp'))).toEqual(before);
  });

  it('refuses the specs folder, even with a manifest.json in it', async () => {
    const dir = folder({ ...SPECS, 'specs/manifest.json': '{}' });
    const before = snapshot(join(dir, 'specs'));
    expect(await refused(['compile', 'specs', '--out', 'specs'], dir)).toContain('specs folder');
    expect(snapshot(join(dir, 'specs'))).toEqual(before);
  });

  it('refuses a folder inside the specs folder and a folder above it', async () => {
    const dir = folder({ ...SPECS, 'x/specs/sales/orchestration.yaml': SPECS['specs/sales/orchestration.yaml'] });
    await refused(['compile', 'specs', '--out', 'specs/build'], dir);
    expect(existsSync(join(dir, 'specs/build'))).toBe(false);
    await refused(['compile', 'x/specs', '--out', 'x'], dir);
    expect(snapshot(join(dir, 'x')).size).toBe(1);
  });

  it('refuses the current directory, written as ".", "./" or its absolute path', async () => {
    const dir = folder({ ...SPECS, 'notes.txt': 'mine' });
    for (const out of ['.', './', dir]) await refused(['compile', 'specs', '--out', out], dir);
    const empty = folder();
    await refused(['compile', join(dir, 'specs'), '--out', '.'], empty);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a folder reached through a symbolic link to the specs folder', async () => {
    const dir = folder(SPECS);
    symlinkSync(join(dir, 'specs'), join(dir, 'link'));
    await refused(['compile', 'specs', '--out', 'link'], dir);
    expect(existsSync(join(dir, 'specs/sales/orchestration.yaml'))).toBe(true);
  });

  it('replaces its own build and keeps files someone else put into it', async () => {
    const dir = folder(SPECS);
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    const marker = JSON.parse(readFileSync(join(dir, 'build', BUILD_MARKER), 'utf8')) as { files: string[] };
    expect(marker.files).toContain('manifest.json');
    writeFileSync(join(dir, 'build/NOTES.md'), 'mine');
    mkdirSync(join(dir, 'build/sales/extra'));
    writeFileSync(join(dir, 'build/sales/extra/keep.txt'), 'mine');
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'build/NOTES.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'build/sales/extra/keep.txt'), 'utf8')).toBe('mine');
  });

  it('refuses to overwrite a file of the same name that its previous build did not write', async () => {
    const dir = folder(SPECS);
    await runCli(['compile', 'specs', '--out', 'build'], dir);
    writeFileSync(join(dir, 'build', BUILD_MARKER), JSON.stringify({ lakestep: 'build', version: 1, files: [] }));
    expect(await refused(['compile', 'specs', '--out', 'build'], dir)).toContain('was not written by lakestep');
  });

  it('never follows a forged marker out of the build', async () => {
    const dir = folder({ ...SPECS, 'outside.txt': 'mine', 'build/inner/x.txt': 'mine' });
    symlinkSync(join(dir), join(dir, 'build/up'));
    writeFileSync(join(dir, 'build', BUILD_MARKER), JSON.stringify({ lakestep: 'build', version: 1, files: ['../outside.txt', '/etc/hostname', 'up/outside.txt', 'inner'] }));
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'build/inner/x.txt'), 'utf8')).toBe('mine');
  });

  it('never removes a file it did not write, whatever the folder holds', async () => {
    const name = fc.stringMatching(/^[a-z]{1,6}(\.(json|txt|asl\.json))?$/);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(fc.constantFrom('', 'sales/', 'sales/jobs/', 'x/'), name).map(([d, n]) => d + n), { minLength: 1, maxLength: 6 }), fc.boolean(), async (paths, built) => {
        const dir = folder(SPECS);
        if (built) await runCli(['compile', 'specs', '--out', 'build'], dir);
        const mine = new Map<string, string>();
        for (const p of paths) {
          const target = join(dir, 'build', p);
          if (existsSync(target)) continue;
          mkdirSync(join(target, '..'), { recursive: true });
          writeFileSync(target, `mine ${p}`);
          mine.set(p, `mine ${p}`);
        }
        const r = await runCli(['compile', 'specs', '--out', 'build'], dir);
        expect([0, 2]).toContain(r.code);
        const after = snapshot(join(dir, 'build'));
        for (const [p, text] of mine) expect(after.get(p), p).toBe(text);
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it('never writes through a folder of its build replaced by a link', async () => {
    const dir = folder(SPECS);
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    renameSync(join(dir, 'build/sales'), join(dir, 'moved'));
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'build/sales'));
    expect(await refused(['compile', 'specs', '--out', 'build'], dir)).toContain('sales leads outside the build');
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('owns the files of a build cut short (listed in its journal, not yet in its marker)', async () => {
    const dir = folder({ ...SPECS, 'build/old/x.json': 'old', 'build/mine.txt': 'mine' });
    writeFileSync(join(dir, 'build', BUILD_MARKER), JSON.stringify({ lakestep: 'build', version: 1, files: [] }));
    writeFileSync(join(dir, 'build', `${BUILD_MARKER}.journal`), 'old/x.json\n');
    expect((await runCli(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'build/old'))).toBe(false);
    expect(readFileSync(join(dir, 'build/mine.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'build', `${BUILD_MARKER}.journal`))).toBe(false);
  });
});

describe('BuildWriter', () => {
  const file = (path: string, text: string) => ({ path, digest: text, text: () => text });

  it('journals each new file before writing it, so the next build removes what one given up half way wrote', () => {
    const out = join(folder({}), 'build');
    const first = BuildWriter.open(out);
    first.write(file('a/one.json', '1'));
    first.write(file('a/b/two.json', '2'));
    first.close();
    expect(readFileSync(join(out, `${BUILD_MARKER}.journal`), 'utf8')).toBe('a/one.json\na/b/two.json\n');
    const second = BuildWriter.open(out);
    second.write(file('a/b/two.json', '2'));
    second.finish();
    expect(existsSync(join(out, 'a/one.json'))).toBe(false);
    expect(readFileSync(join(out, 'a/b/two.json'), 'utf8')).toBe('2');
    expect(JSON.parse(readFileSync(join(out, BUILD_MARKER), 'utf8')).files).toEqual(['a/b/two.json']);
  });

  it('refuses a file in the way of one of its folders, and a link in the way of a file is replaced, not followed', () => {
    const dir = folder({ 'outside.txt': 'mine' });
    const out = join(dir, 'build');
    const first = BuildWriter.open(out);
    first.write(file('a/one.json', '1'));
    first.finish();
    writeFileSync(join(out, 'b'), 'in the way');
    const second = BuildWriter.open(out);
    second.checkForeign(['a/one.json']);
    expect(() => second.write(file('b/two.json', '2'))).toThrow(/b is not a folder/);
    second.close();
    renameSync(join(out, 'a/one.json'), join(dir, 'gone.json'));
    symlinkSync(join(dir, 'outside.txt'), join(out, 'a/one.json'));
    const third = BuildWriter.open(out);
    third.write(file('a/one.json', '1'));
    third.finish();
    expect(readFileSync(join(dir, 'outside.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'a/one.json'), 'utf8')).toBe('1');
  });
});
