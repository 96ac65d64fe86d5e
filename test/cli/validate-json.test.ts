/**
 * `lakestep validate --json` (src/cli/commands.ts ValidateReport): what an editor or a script reads — the
 * files and every diagnostic, never cut short; with files given, those files and every error of the tree;
 * with --watch, one document per line of stdout and nothing else there.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ValidateReport } from '../../src/cli/commands.ts';
import { WARNING_LIMIT } from '../../src/cli/warnings.ts';
import { folder, runCli } from './support.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../specs');

function example(files: Record<string, string> = {}): string {
  const dir = folder(files);
  cpSync(EXAMPLE, join(dir, 'specs'), { recursive: true });
  return dir;
}

function edit(dir: string, path: string, from: string, to: string): void {
  const p = join(dir, path);
  const text = readFileSync(p, 'utf8');
  expect(text).toContain(from);
  writeFileSync(p, text.replace(from, to));
}

describe('validate --json', () => {
  it('prints the files and every diagnostic with its path from the current directory, nothing on stderr', async () => {
    const dir = example();
    edit(dir, 'specs/clickstream/orchestration.yaml', 'schedule: rate(15 minutes)', 'schedule: rate(7 minutes)');
    const r = await runCli(['validate', 'specs', '--json', '--no-cache'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out) as ValidateReport;
    expect(report.files).toHaveLength(25);
    expect(report.files.find((f) => f.file === 'clickstream/orchestration.yaml')).toEqual({ file: 'clickstream/orchestration.yaml', path: 'specs/clickstream/orchestration.yaml', errors: 0, warnings: 1 });
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'SCHEDULE_RATE_UNALIGNED', severity: 'warning', file: 'clickstream/orchestration.yaml', path: 'specs/clickstream/orchestration.yaml', line: expect.any(Number), column: expect.any(Number) })]);
    expect(report.summary).toEqual({ files: 25, treeFiles: 25, errors: 0, warnings: 1 });
  });

  it(`never cuts warnings short (past ${WARNING_LIMIT} too)`, async () => {
    const lines = ['owner: noisy@acme.example', 'dags:'];
    for (let i = 0; i < WARNING_LIMIT + 5; i++) lines.push(`  - name: noisy-${i}`, '    type: transformation', '    schedule: rate(44 minutes)', '    spark:', '      entrypoint: s3://acme-lake-artifacts/noisy/job.py');
    const dir = example({ 'specs/noisy/orchestration.yaml': `${lines.join('\n')}\n` });
    const report = JSON.parse((await runCli(['validate', 'specs', '--json', '--no-cache'], dir)).out) as ValidateReport;
    expect(report.diagnostics.filter((d) => d.code === 'SCHEDULE_RATE_UNALIGNED')).toHaveLength(WARNING_LIMIT + 5);
  });

  it('of files: those files and their warnings, and every error of the tree, which fails the run', async () => {
    const dir = example({ 'specs/downstream/orchestration.yaml': 'owner: d@acme.example\ndags:\n  - name: downstream-report\n    type: transformation\n    depends_on: [orders/orders-ingestion]\n    spark:\n      entrypoint: s3://acme-lake-artifacts/downstream/job.py\n' });
    edit(dir, 'specs/clickstream/orchestration.yaml', 'schedule: rate(15 minutes)', 'schedule: rate(7 minutes)');
    const orders = join(dir, 'specs/orders/orchestration.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replaceAll('orders-ingestion', 'orders-ingest'));
    const r = await runCli(['validate', 'specs/orders/orchestration.yaml', '--json', '--no-cache'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as ValidateReport;
    expect(report.files.map((f) => f.path)).toEqual(['specs/orders/orchestration.yaml']);
    // The downstream use case's error, not clickstream's warning.
    expect(report.diagnostics.map((d) => `${d.path} ${d.severity} ${d.code}`)).toEqual(['specs/downstream/orchestration.yaml error DAG_UNKNOWN_DEPENDENCY']);
    expect(report.summary).toEqual({ files: 1, treeFiles: 26, errors: 1, warnings: 0 });
    // A target that is no spec file is still a usage error.
    expect((await runCli(['validate', 'specs/orders/nope', '--json'], dir)).code).toBe(2);
  });

  it('with --watch: one document per run, one per line of stdout, the watch itself on stderr', async () => {
    const dir = example();
    const out: string[] = [];
    const err: string[] = [];
    const abort = new AbortController();
    const code = runCli(['validate', 'specs', '--watch', '--json', '--no-cache'], dir, { out: (t) => void out.push(t), err: (t) => void err.push(t), signal: abort.signal });
    const until = async (what: () => boolean) => {
      for (const start = Date.now(); !what(); ) {
        if (Date.now() - start > 30_000) throw new Error(`timed out:\n${out.join('\n')}\n${err.join('\n')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(() => err.join('\n').includes('watching specs'));
    edit(dir, 'specs/clickstream/orchestration.yaml', 'schedule: rate(15 minutes)', 'schedule: rate(7 minutes)');
    await until(() => out.length === 2);
    abort.abort();
    expect((await code).code).toBe(0);
    const docs = out.join('\n').split('\n').map((l) => JSON.parse(l) as ValidateReport);
    expect(docs.map((d) => d.summary.warnings)).toEqual([0, 1]);
    expect(err.join('\n')).toMatch(/clickstream\/orchestration\.yaml changed: validating again/);
  });
});
