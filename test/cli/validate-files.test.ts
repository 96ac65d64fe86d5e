/**
 * `lakestep validate <file|use-case folder>...` (src/cli/targets.ts): what an editor runs on save and a
 * pre-commit hook on the staged files — the file checked in its whole tree, only it listed.
 */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

function example(extra: Record<string, string> = {}): string {
  const dir = folder({ 'outside/orchestration.yaml': 'owner: x@acme.example\ndags: []\n', ...extra });
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  return dir;
}

function listed(out: string): string[] {
  return out.split('\n').filter((l) => /^[✓✘] /.test(l));
}

describe('validate files and use-case folders', () => {
  it('lists only the files asked for, found in their tree from wherever the command runs', async () => {
    const dir = example();
    const r = await runCli(['validate', 'specs/orders/orchestration.yaml', 'specs/payments/sql', 'specs/platform.yaml'], dir);
    expect(r.code).toBe(0);
    expect(listed(r.out)).toEqual(['✓ specs/orders/orchestration.yaml', '✓ specs/payments/sql/settlement_daily.sql', '✓ specs/platform.yaml']);
    expect(r.out).toMatch(/^3 of 25 files, 0 error\(s\), 0 warning\(s\)$/m);
    // From inside a use case, paths print relative to where the command runs.
    const inside = await runCli(['validate', 'orchestration.yaml', '../customers'], join(dir, 'specs/orders'));
    expect(inside.code).toBe(0);
    expect(listed(inside.out)).toEqual(['✓ ../customers/ingestion.yaml', '✓ ../customers/maintenance.yaml', '✓ ../customers/migration.yaml', '✓ ../customers/orchestration.yaml', '✓ ../orders/orchestration.yaml']);
  });

  it("prints the file's own problems, and an error its change causes in another use case, which fails the run", async () => {
    const dir = example({ 'specs/downstream/orchestration.yaml': '' });
    // A use case waits for orders-ingestion; orders renames it: the error is in the waiting use case's file.
    writeFileSync(join(dir, 'specs/downstream/orchestration.yaml'), 'owner: d@acme.example\ndags:\n  - name: downstream-report\n    type: transformation\n    depends_on: [orders/orders-ingestion]\n    spark:\n      entrypoint: s3://acme-lake-artifacts/downstream/job.py\n', { flag: 'w' });
    expect((await runCli(['validate', 'specs/orders/orchestration.yaml', '--no-cache'], dir)).code).toBe(0);
    const orders = join(dir, 'specs/orders/orchestration.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replaceAll('orders-ingestion', 'orders-ingest'));
    const r = await runCli(['validate', 'specs/orders/orchestration.yaml', '--no-cache'], dir);
    expect(r.code).toBe(1);
    expect(listed(r.out)).toEqual(['✓ specs/orders/orchestration.yaml']);
    expect(r.err).not.toMatch(/^specs\/orders\//m);
    expect(r.err).toMatch(/^specs\/downstream\/orchestration\.yaml:\d+:\d+ error /m);
    expect(r.out).toMatch(/^1 of 26 files, 0 error\(s\), 0 warning\(s\); \d+ error\(s\) in 1 other file\(s\) of specs$/m);
  });

  it("lists a file's warnings, not those of the files not asked for", async () => {
    const dir = example();
    const click = join(dir, 'specs/clickstream/orchestration.yaml');
    writeFileSync(click, readFileSync(click, 'utf8').replace('schedule: rate(15 minutes)', 'schedule: rate(7 minutes)'));
    const asked = await runCli(['validate', 'specs/clickstream/orchestration.yaml', '--no-cache'], dir);
    expect(asked.code).toBe(0);
    expect(asked.err).toMatch(/^specs\/clickstream\/orchestration\.yaml:\d+:\d+ warning SCHEDULE_RATE_UNALIGNED/m);
    expect(listed(asked.out)).toEqual(['✓ specs/clickstream/orchestration.yaml  1 warning(s)']);
    const other = await runCli(['validate', 'specs/orders', '--no-cache'], dir);
    expect(other.code).toBe(0);
    expect(other.err).toBe('');
  });

  it('refuses what is no spec file of one tree, before anything is read outside it', async () => {
    const dir = example();
    symlinkSync('/etc/hostname', join(dir, 'specs/orders/stolen.yaml'));
    writeFileSync(join(dir, 'specs/orders/notes.txt'), 'x');
    const cases: [string[], string][] = [
      [['specs/orders/stolen.yaml'], 'specs/orders/stolen.yaml is no spec file of specs'],
      [['specs/orders/notes.txt'], 'specs/orders/notes.txt is no spec file of specs'],
      [['specs/orders/orchestration.yaml', 'outside/orchestration.yaml'], 'outside/orchestration.yaml is in another specs folder (.) than specs/orders/orchestration.yaml (specs)'],
      [['specs/orders/gone.yaml'], 'specs/orders/gone.yaml does not exist'],
      // A name as a hook passes it, from a hostile commit: printed with its controls escaped.
      [['specs/orders/gone\n::error::x.yaml'], 'specs/orders/gone\\x0a::error::x.yaml does not exist'],
    ];
    for (const [targets, message] of cases) {
      const r = await runCli(['validate', ...targets, '--no-cache'], dir);
      expect(r.code, targets.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err.split('\n').some((l) => l.startsWith('::'))).toBe(false);
      expect(r.out).toBe('');
    }
  });

  it('a specs folder, alone or among files of its tree, is still the whole tree', async () => {
    const dir = example();
    for (const targets of [['specs'], ['specs/orders/orchestration.yaml', 'specs']]) {
      const r = await runCli(['validate', ...targets, '--no-cache'], dir);
      expect(listed(r.out)).toHaveLength(25);
      expect(r.out).toMatch(/^25 files, 0 error\(s\), 0 warning\(s\)$/m);
    }
  });
});
