/**
 * The CLI keys its compile cache by lakestep's code (src/cli/code-id.ts), not only by its version: after the code
 * changed (a `git pull` of lakestep), `compile` reuses none of what the code before it compiled, and the build is
 * a full compile's. The code's digest is the one thing swapped here, as an upgrade would change it.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readTree } from '../golden/cases.ts';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import { folder, runCli } from './support.ts';

const code = vi.hoisted(() => ({ compiler: 'a'.repeat(64) }));
vi.mock('../../src/cli/code-id.ts', async (original) => ({
  ...(await original<typeof import('../../src/cli/code-id.ts')>()),
  codeId: (kind: 'compiler' | 'app') => (kind === 'compiler' ? code.compiler : 'app'),
}));

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** Each use case's cache entry, by file name. */
const entries = (dir: string): Map<string, string> =>
  new Map(readdirSync(join(dir, 'cache')).filter((f) => f.endsWith('.entry')).map((f) => [f, readFileSync(join(dir, 'cache', f), 'latin1')]));

const build = (dir: string, out: string): Map<string, string> => {
  const files = readTree(join(dir, out));
  files.delete(BUILD_MARKER);
  return files;
};

describe('the compile cache across a change of lakestep code', () => {
  it('is reused while the code is the same, and not at all once it changed; the build equals a full compile', async () => {
    const dir = folder();
    cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
    const compile = async (out: string, ...flags: string[]) => expect((await runCli(['compile', 'specs', '--out', out, ...flags], dir)).code).toBe(0);
    await compile('build', '--cache-dir', 'cache');
    const first = entries(dir);
    expect(first.size).toBe(4);
    // The same code: every entry is read and left as it was.
    await compile('build', '--cache-dir', 'cache');
    expect(entries(dir)).toEqual(first);
    // Other code, the same version: no entry matches its key, so every use case is compiled again and stored anew.
    code.compiler = 'b'.repeat(64);
    await compile('build', '--cache-dir', 'cache');
    const after = entries(dir);
    expect([...after.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [name, text] of after) expect(text, name).not.toBe(first.get(name));
    await compile('full', '--no-cache');
    expect(build(dir, 'build')).toEqual(build(dir, 'full'));
  }, 120_000);
});
