/**
 * `compile --out` never removes what lakestep did not write: a build is known
 * only by its marker, and a populated folder, the specs folder, a folder above
 * it and the current directory are refused with exit 2 and one line.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
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
});
