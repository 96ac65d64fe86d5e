/**
 * The built CLI keys its compile cache by lakestep's code (src/cli/code-id.ts), not only by its version: after the
 * code changed (a `git pull` of lakestep), `compile` reuses none of what the code before it compiled, and the build
 * is a full compile's. The bundle in dist/ (rebuilt by the global setup) is copied beside it with another digest
 * in place of its own, as a build of other code would carry; nothing else differs.
 */
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFiles, folder } from './support.ts';

const REPO = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(REPO, 'specs');
const copies: string[] = [];
afterAll(() => copies.forEach((c) => rmSync(c, { recursive: true, force: true })));

/** A runner of the bundle as built, or of a copy of it (beside dist/, so its relative paths hold) carrying `digest` as the compiler's. */
function cliOf(digest?: string): string {
  if (digest === undefined) return join(REPO, 'bin/lakestep.mjs');
  const copy = join(REPO, `dist.test-${process.pid}-${copies.length}`);
  copies.push(copy);
  cpSync(join(REPO, 'dist'), copy, { recursive: true });
  const define = /(define_LAKESTEP_CODE_DIGESTS_default = \{ compiler: ")([0-9a-f]{64})"/;
  const chunk = readdirSync(copy).find((f) => f.endsWith('.js') && define.test(readFileSync(join(copy, f), 'utf8')));
  expect(chunk, 'the chunk carrying the code digests').toBeDefined();
  const path = join(copy, chunk!);
  writeFileSync(path, readFileSync(path, 'utf8').replace(define, `$1${digest}"`));
  writeFileSync(join(copy, 'run.mjs'), "import { cli } from './lakestep.js';\nprocess.exitCode = await cli(process.argv.slice(2));\n");
  return join(copy, 'run.mjs');
}

/** Each use case's cache entry, by file name. */
const entries = (dir: string): Map<string, string> =>
  new Map(readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.entry')).map((f) => [f, readFileSync(join(dir, 'cache', f), 'latin1')]));

describe('the compile cache across a change of lakestep code', () => {
  it('is reused while the code is the same, and not at all once it changed; the build equals a full compile', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const compile = async (cli: string, out: string, ...flags: string[]) => {
      const r = await promisify(execFile)(process.execPath, [cli, 'compile', 'specs', '--out', out, ...flags], { cwd: dir });
      expect(r.stdout).toContain('0 quarantined');
    };
    const built = cliOf();
    await compile(built, 'build', '--cache-dir', 'cache');
    const first = entries(dir);
    expect(first.size).toBe(4);
    // The same code: every entry is read and left as it was.
    await compile(built, 'build', '--cache-dir', 'cache');
    expect(entries(dir)).toEqual(first);
    // Other code, the same version: no entry matches its key, so every use case is compiled again and stored anew.
    await compile(cliOf('b'.repeat(64)), 'build', '--cache-dir', 'cache');
    const after = entries(dir);
    expect([...after.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [name, text] of after) expect(text, name).not.toBe(first.get(name));
    await compile(built, 'full', '--no-cache');
    expect(buildFiles(join(dir, 'build'))).toEqual(buildFiles(join(dir, 'full')));
  }, 120_000);
});
