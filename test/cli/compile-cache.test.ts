/**
 * The compile cache on disk (src/cli/compile-cache.ts): an entry and the IR per
 * use case, never the generated files. A build folder that lacks files is
 * filled from the IR, assembled again; an IR that is gone or does not match its
 * entry's digest is normalized again, never trusted; either way the build is
 * byte for byte a full compile's. A compile into its previous build rewrites
 * only what differs from what that build wrote, with or without the cache.
 */
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { BUILD_MARKER } from '../../src/cli/build-dir.ts';
import { readTree } from '../golden/cases.ts';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

/** The build's files without its marker (whose stamps carry modification times). */
function build(dir: string): Map<string, string> {
  const files = readTree(dir);
  files.delete(BUILD_MARKER);
  return files;
}

async function compileInto(dir: string, out: string, ...extra: string[]): Promise<void> {
  const r = await runCli(['compile', 'specs', '--out', out, '--cache-dir', 'cache', ...extra], dir);
  expect(r.err).not.toMatch(/error/i);
  expect(r.code).toBe(0);
}

/** A copy of the example compiled once without a cache (the reference) and once into a warm cache. */
async function warm(): Promise<{ dir: string; full: Map<string, string> }> {
  const dir = folder();
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  expect((await runCli(['compile', 'specs', '--out', 'full', '--no-cache'], dir)).code).toBe(0);
  await compileInto(dir, 'build');
  return { dir, full: build(join(dir, 'full')) };
}

describe('compile cache on disk', () => {
  it('keeps an entry and the IR per use case and the platform stage\'s result, no generated file, and drops what older versions kept', async () => {
    const { dir, full } = await warm();
    expect(build(join(dir, 'build'))).toEqual(full);
    const names = readdirSync(join(dir, 'cache')).sort();
    expect(names).toEqual(['clickstream.entry', 'clickstream.ir', 'customers.entry', 'customers.ir', 'orders.entry', 'orders.ir', 'payments.entry', 'payments.ir', 'platform.loaded']);
    writeFileSync(join(dir, 'cache/orders.files'), 'from an older version');
    await compileInto(dir, 'build');
    expect(existsSync(join(dir, 'cache/orders.files'))).toBe(false);
  });

  it('fills an empty build folder from the IR, byte for byte a full compile', async () => {
    const { dir, full } = await warm();
    await compileInto(dir, 'other');
    expect(build(join(dir, 'other'))).toEqual(full);
  });

  it('normalizes again a use case whose IR is gone when one of its files is missing from the build', async () => {
    const { dir, full } = await warm();
    rmSync(join(dir, 'cache/orders.ir'));
    const path = [...full.keys()].find((p) => p.startsWith('orders/') && p.endsWith('.asl.json'))!;
    rmSync(join(dir, 'build', path));
    await compileInto(dir, 'build');
    expect(build(join(dir, 'build'))).toEqual(full);
    expect(existsSync(join(dir, 'cache/orders.ir'))).toBe(true);
  });

  it('never trusts an IR that does not match its entry: a tampered one is normalized again', async () => {
    const { dir, full } = await warm();
    const irFile = join(dir, 'cache/orders.ir');
    const stored = deserialize(readFileSync(irFile)) as { digest: string; useCase: { workflows: { description?: string; timeoutSeconds: number }[] } };
    for (const w of stored.useCase.workflows) {
      w.description = 'tampered';
      w.timeoutSeconds = 1;
    }
    writeFileSync(irFile, serialize(stored));
    for (const p of [...full.keys()].filter((p) => p.startsWith('orders/'))) rmSync(join(dir, 'build', p));
    await compileInto(dir, 'build');
    expect(build(join(dir, 'build'))).toEqual(full);
    expect(readFileSync(join(dir, 'build/orders/orders-migration.asl.json'), 'utf8')).not.toContain('tampered');
  });

  for (const mode of [[], ['--no-cache']]) {
    it(`rewrites only the files that differ from the previous build, and restores one edited, removed or replaced by a link ${mode.length ? '(--no-cache)' : '(with the cache)'}`, async () => {
      const { dir, full } = await warm();
      const out = join(dir, 'build');
      const paths = [...full.keys()].filter((p) => p.startsWith('orders/'));
      const [edited, sameSize, removed, linked] = paths as [string, string, string, string];
      const mtimes = new Map([...full.keys()].map((p) => [p, statSync(join(out, p)).mtimeMs]));
      writeFileSync(join(out, edited), 'edited by hand');
      const text = readFileSync(join(out, sameSize), 'utf8');
      writeFileSync(join(out, sameSize), text.replace(/.$/s, text.endsWith('\n') ? ' ' : '\n'));
      rmSync(join(out, removed));
      writeFileSync(join(dir, 'elsewhere.json'), 'not the build');
      rmSync(join(out, linked));
      symlinkSync(join(dir, 'elsewhere.json'), join(out, linked));
      await compileInto(dir, 'build', ...mode);
      expect(build(out)).toEqual(full);
      expect(lstatSync(join(out, linked)).isFile()).toBe(true);
      expect(readFileSync(join(dir, 'elsewhere.json'), 'utf8')).toBe('not the build');
      // Nothing else is written again (the manifest's index and report.json hold the same text, too).
      const touched = [...full.keys()].filter((p) => statSync(join(out, p)).mtimeMs !== mtimes.get(p));
      expect(touched.sort()).toEqual([edited, sameSize, removed, linked].sort());
    });
  }
});
