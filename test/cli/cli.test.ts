/**
 * The CLI as a function: `cli(argv, io)` with a captured Io, against spec trees
 * written to a temporary directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { cli } from '../../src/cli/main.ts';
import { readTree } from '../golden/cases.ts';
import { manifestOf } from '../helpers/manifest.ts';
import { expectValidAsl, sparkUseCase } from '../compile/support.ts';

const root = mkdtempSync(join(tmpdir(), 'lakestep-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes a specs tree into a fresh folder; returns that folder. */
function specsDir(files: Record<string, string>): string {
  const dir = join(root, `case-${++n}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'specs', path)), { recursive: true });
    writeFileSync(join(dir, 'specs', path), text);
  }
  return dir;
}

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), cwd, env: {}, tty: false };
  const code = await cli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CLEAN = {
  'sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'cron(0 1 * * ? *)', args: ['{{ ds }}'] }, { name: 'clean', dependsOn: ['extract'] }]),
  'crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores', dependsOn: ['sales/clean', 'sales/extract'] }]),
};
const ONE_BROKEN = { ...CLEAN, 'hr/orchestration.yaml': 'owner: hr@example.com\ndags:\n  - name: people\n    type: transformation\n    schedule: cron(0 6 * * *)\n    spark: {entrypoint: s3://lakestep-artifacts/hr/people.py}\n' };

describe('lakestep validate', () => {
  it('prints ✓ per file of a clean tree and exits 0', async () => {
    const r = await run(['validate', 'specs'], specsDir(CLEAN));
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ specs/crm/orchestration.yaml');
    expect(r.out).toContain('✓ specs/sales/orchestration.yaml');
    expect(r.out).not.toContain('✘');
    expect(r.out).toContain('2 files, 0 error(s), 0 warning(s)');
    expect(r.err).toBe('');
  });

  it('prints ✘ for the broken file, the positioned diagnostic with its caret, and exits 1', async () => {
    const r = await run(['validate', 'specs'], specsDir(ONE_BROKEN));
    expect(r.code).toBe(1);
    expect(r.out).toContain('✘ specs/hr/orchestration.yaml  1 error(s)');
    expect(r.out).toContain('✓ specs/sales/orchestration.yaml');
    expect(r.err).toContain(
      [
        'specs/hr/orchestration.yaml:5:15 error SCHEDULE_INVALID cron(0 6 * * *) needs 6 fields (minutes hours day-of-month month day-of-week year), found 5',
        '   5 |     schedule: cron(0 6 * * *)',
        '     |               ^',
      ].join('\n'),
    );
  });
});

describe('lakestep compile', () => {
  it('writes manifest.json, report.json and the ASL of a clean tree and exits 0', async () => {
    const dir = specsDir(CLEAN);
    const r = await run(['compile', 'specs', '--out', 'build'], dir);
    expect(r.code).toBe(0);
    const build = readTree(join(dir, 'build'));
    expect([...build.keys()].sort()).toEqual([
      '.lakestep-build',
      'crm/manifest.json',
      'crm/scores.asl.json',
      'lakestep/backfill.asl.json',
      'lakestep/dispatch.asl.json',
      'manifest.json',
      'report.json',
      'sales/clean.asl.json',
      'sales/extract.asl.json',
      'sales/manifest.json',
    ]);
    expect(JSON.parse(build.get('report.json')!).summary).toEqual({ useCases: 2, compiled: 2, quarantined: 0, errors: 0, warnings: 0 });
    expect(r.out).toContain('2 use case(s) compiled, 3 workflow(s), 0 quarantined → build/manifest.json');
    expectValidAsl(build);
  });

  it('writes the healthy use cases and exits 1 when one is quarantined', async () => {
    const dir = specsDir(ONE_BROKEN);
    const r = await run(['compile', 'specs', '--out', 'build'], dir);
    expect(r.code).toBe(1);
    const build = readTree(join(dir, 'build'));
    expect([...build.keys()].filter((p) => p.endsWith('.asl.json')).sort()).toEqual(['crm/scores.asl.json', 'lakestep/backfill.asl.json', 'lakestep/dispatch.asl.json', 'sales/clean.asl.json', 'sales/extract.asl.json']);
    const manifest = manifestOf(build);
    expect(manifest.quarantined.map((q: { useCase: string }) => q.useCase)).toEqual(['hr']);
    expect(r.err).toContain('specs/hr/orchestration.yaml:5:15 error SCHEDULE_INVALID');
    expectValidAsl(build);
  });

  it('--strict with an error writes nothing: the out dir does not exist afterwards', async () => {
    const dir = specsDir(ONE_BROKEN);
    const r = await run(['compile', 'specs', '--out', 'build', '--strict'], dir);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'build'))).toBe(false);
    expect(r.err).toContain('--strict: 1 error(s); nothing written to build');
  });

  it('--strict writes, once everything compiles, what a compile without it writes — made now or taken from the cache — and leaves no temporary file', async () => {
    const dir = specsDir(CLEAN);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const files = (out: string) => {
        const t = readTree(join(dir, out));
        t.delete('.lakestep-build');
        return t;
      };
      expect((await run(['compile', 'specs', '--out', 'plain', '--no-cache'], dir)).code).toBe(0);
      // Everything made by this compile (its texts kept in a temporary file), then everything from the cache.
      for (const out of ['fresh', 'cached']) {
        expect((await run(['compile', 'specs', '--out', out, '--strict', '--cache-dir', 'cache'], dir)).code, out).toBe(0);
        expect(files(out), out).toEqual(files('plain'));
        expect(readdirSync(tmp), out).toEqual([]);
      }
      mkdirSync(join(dir, 'specs/hr'));
      writeFileSync(join(dir, 'specs/hr/orchestration.yaml'), ONE_BROKEN['hr/orchestration.yaml']);
      expect((await run(['compile', 'specs', '--out', 'broken', '--strict', '--cache-dir', 'cache'], dir)).code).toBe(1);
      expect(existsSync(join(dir, 'broken'))).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('compiling twice into the same out dir gives byte-identical files', async () => {
    const dir = specsDir(CLEAN);
    expect((await run(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    const first = readTree(join(dir, 'build'));
    expect((await run(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    expect(readTree(join(dir, 'build'))).toEqual(first);
    expectValidAsl(first);
  });

  it('replaces a previous build, dropping files of dags that no longer exist', async () => {
    const dir = specsDir(CLEAN);
    await run(['compile', 'specs', '--out', 'build'], dir);
    writeFileSync(join(dir, 'specs/sales/orchestration.yaml'), sparkUseCase('sales@example.com', [{ name: 'extract' }]));
    writeFileSync(join(dir, 'specs/crm/orchestration.yaml'), sparkUseCase('crm@example.com', [{ name: 'scores' }]));
    expect((await run(['compile', 'specs', '--out', 'build'], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'build/sales/clean.asl.json'))).toBe(false);
    expect(existsSync(join(dir, 'build/crm/scores.asl.json'))).toBe(true);
  });

  it('refuses to wipe a non-empty directory that is not a lakestep build', async () => {
    const dir = specsDir(CLEAN);
    mkdirSync(join(dir, 'precious'));
    writeFileSync(join(dir, 'precious/thesis.txt'), 'do not delete');
    await run(['compile', 'specs', '--out', 'precious'], dir).catch(() => undefined);
    expect(readTree(join(dir, 'precious'))).toEqual(new Map([['thesis.txt', 'do not delete']]));
  });

  it('reports that refusal as a message and a non-zero exit code, not as an exception', async () => {
    const dir = specsDir(CLEAN);
    mkdirSync(join(dir, 'precious'));
    writeFileSync(join(dir, 'precious/thesis.txt'), 'do not delete');
    const r = await run(['compile', 'specs', '--out', 'precious'], dir).catch((e: unknown) => ({ code: NaN, out: '', err: `threw ${String(e)}` }));
    expect(r.err).toMatch(/^lakestep compile: .*not empty and holds no lakestep build/m);
    expect([1, 2]).toContain(r.code);
  });
});

describe('usage errors exit 2 with the usage text', () => {
  it.each([
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['compile', 'specs', '--bogus'], "Unknown option '--bogus'"],
    [['validate', 'specs', '--out', 'x'], "Unknown option '--out'"],
    [[], ''],
  ])('%j', async (argv, message) => {
    const r = await run(argv, root);
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(/usage: lakestep (<command>|compile|validate) /);
    expect(r.err).toContain(message);
  });
});
