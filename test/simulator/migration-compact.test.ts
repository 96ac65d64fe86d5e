/**
 * A migration past COMPACT_FROM tables, sharing one DataSync task, run in the
 * simulator: the compact items become whole `$.table` objects through the
 * ItemSelector (job and watermark key derived from the name), every table migrates
 * with its own filter, and failures reach the run record as a count plus the first
 * ones, whatever the table count. Both ASL validators accept the definition.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lakestepVersion, writeBuild } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { COMPACT_FROM } from '../../src/phases/migration-items.ts';
import { FAILURES_KEPT } from '../../src/phases/migration-outcomes.ts';
import { itemToPlain, simulate } from '../../src/simulator/index.ts';
import { problemsOf } from '../compile/support.ts';

const N = COMPACT_FROM + 20;
const name = (i: number) => `t${String(i).padStart(4, '0')}`;
let dir: string;
let definition: string;

/** The build folder of the `big` use case: one migration dag of raw_big with `tables` (its YAML list entries), compiled without errors. */
function bigMigration(tables: string): string {
  const result = compile(
    [
      { path: 'platform.yaml', text: 'prefix: cmp\nregion: eu-west-1\n' },
      { path: 'big/orchestration.yaml', text: 'owner: b@example.com\ndags:\n  - {name: big-migration, type: migration, timeout: 1h, retries: 0}\n' },
      { path: 'big/migration.yaml', text: `database: raw_big\nmax_concurrency: 4\ndatasync:\n  task_arn: arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718\n  source_path: /warehouse/raw_big.db\ntables:\n${tables}` },
    ],
    { lakestepVersion: lakestepVersion() },
  );
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const out = join(mkdtempSync(join(tmpdir(), 'lakestep-compact-')), 'build');
  writeBuild(out, result.files);
  return out;
}

beforeAll(() => {
  dir = bigMigration(Array.from({ length: N }, (_, i) => `  - name: ${name(i)}\n    source: {hdfs_path: /warehouse/raw_big.db/${name(i)}, format: parquet}\n    columns: [{name: id, type: bigint}, {name: at, type: timestamp}]\n    watermark_column: at\n`).join(''));
  definition = readFileSync(join(dir, 'big/big-migration.asl.json'), 'utf8');
});

const start = [{ workflow: 'big/big-migration', logical_date: '2026-11-25T00:00:00Z' }];
const runRecord = (r: Awaited<ReturnType<typeof simulate>>) => {
  const item = (r.dynamodb['cmp-runs'] ?? []).map(itemToPlain).find((i) => i.pk === 'big/big-migration')!;
  return { ...item, summary: JSON.parse(item.summary as string) as Record<string, unknown> };
};

describe(`a ${N}-table migration (compact items and outcomes)`, () => {
  it('carries only the name, watermark flag and filter per item, and passes both ASL validators', () => {
    const def = JSON.parse(definition);
    expect(def.States['List tables'].Result[0]).toEqual({ n: name(0), w: true, i: `/${name(0)}` });
    expect(problemsOf(definition)).toEqual({ aslValidator: [], statelint: [] });
  });

  it('migrates every table with its own filter, job and watermark key', async () => {
    const r = await simulate({ buildDir: dir, scenario: { start } });
    // The migration, and the dispatcher that its end went to.
    expect(r.executions.map((e) => [e.workflow, e.status])).toEqual([['big/big-migration', 'SUCCEEDED'], ['lakestep/dispatch', 'SUCCEEDED']]);
    const converted = new Set(r.jobRuns.map((j) => j.jobRef));
    for (let i = 0; i < N; i++) expect(converted.has(`big/big-migration/convert-${name(i)}`), name(i)).toBe(true);
    const marks = (r.dynamodb['cmp-watermarks'] ?? []).map(itemToPlain).filter((i) => i.migrated_at !== undefined).map((i) => i.pk);
    expect(marks).toHaveLength(N);
    expect(marks).toContain(`migration/raw_big.${name(7)}`);
    expect(runRecord(r).summary).toEqual({ tables: N, failed: [] });
  });

  it(`fails the run naming the failure count and the first ${FAILURES_KEPT} failed tables only`, async () => {
    const failing = Array.from({ length: FAILURES_KEPT + 5 }, (_, i) => name(i * 3));
    const datasync = Object.fromEntries(failing.map((t) => [t, { status: 'ERROR' as const }]));
    const r = await simulate({ buildDir: dir, scenario: { start, datasync } });
    expect(r.executions[0]).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const record = runRecord(r);
    expect(record.summary).toMatchObject({ tables: N, failed_count: failing.length });
    const kept = record.summary.failed as [string, string][];
    expect(kept).toHaveLength(FAILURES_KEPT);
    expect(kept.every(([t, e]) => failing.includes(t) && e === 'DataSync.TransferFailed')).toBe(true);
    expect((record as { cause?: string }).cause).toMatch(new RegExp(`^${failing.length} of ${N} tables failed; the others migrated\\. The first ones: \\[`));
  });
});

describe(`a ${N}-table migration where a few tables have checks and a freshness SLA`, () => {
  let qdir: string;
  const audited = [name(1), name(2), name(3)];
  const fresh = [name(2), name(5)];
  beforeAll(() => {
    const tables = Array.from({ length: N }, (_, i) => {
      const t = name(i);
      return (
        `  - name: ${t}\n    source: {hdfs_path: /warehouse/raw_big.db/${t}, format: parquet}\n    columns: [{name: id, type: bigint, nullable: false}, {name: at, type: timestamp}]\n    watermark_column: at\n` +
        (audited.includes(t) ? '    checks: [{not_null: [at]}]\n' : '') +
        (fresh.includes(t) ? '    freshness: {warn_after: 2h}\n' : '')
      );
    }).join('');
    qdir = bigMigration(tables);
  });

  it('items stay as small as without checks: the ItemSelector carries the checks flag and derives the table name', () => {
    const def = JSON.parse(readFileSync(join(qdir, 'big/big-migration.asl.json'), 'utf8'));
    expect(def.States['List tables'].Result[2]).toEqual({ n: name(2), w: true, i: `/${name(2)}` });
    const map = Object.values(def.States as Record<string, { Type: string; ItemSelector?: { table: Record<string, unknown> } }>).find((s) => s.Type === 'Map')!;
    expect(map.ItemSelector!.table).toMatchObject({ checks: true, 'fqn.$': "States.Format('raw_big.{}', $$.Map.Item.Value.n)" });
    expect(problemsOf(JSON.stringify(def))).toEqual({ aslValidator: [], statelint: [] });
  });

  it('a failing error check fails only its table; every migrated table records its publish', async () => {
    const r = await simulate({ buildDir: qdir, scenario: { start, checks: { [`big/big-migration/convert-${name(2)}`]: 'error' } } });
    expect(r.executions[0]).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    expect(runRecord(r).summary).toMatchObject({ tables: N, failed_count: 1, failed: [[name(2), 'Lakestep.QualityCheckFailed']] });
    // The checks of the failed tables (compact outcomes keep no passed table's checks), for lakestep checks and status.
    expect(runRecord(r).summary.quality).toEqual({
      status: 'failed',
      published: [],
      kept: [{ table: `raw_big.${name(2)}`, branch: expect.stringMatching(/^audit_/) }],
      checks: [expect.objectContaining({ table: `raw_big.${name(2)}`, check: 'not_null(at)', status: 'failed' })],
    });
    const published = (r.dynamodb['cmp-watermarks'] ?? []).map(itemToPlain).filter((i) => String(i.pk).startsWith('published/')).map((i) => i.pk);
    expect(published).toHaveLength(N - 1);
    expect(published).toContain(`published/raw_big.${name(5)}`);
    expect(published).not.toContain(`published/raw_big.${name(2)}`);
    expect(r.metrics.filter((p) => p.metric === 'TablePublished' && p.dimensions.Table === `raw_big.${name(5)}`)).toHaveLength(1);
    expect(r.notifications.filter((n) => n.subject?.endsWith('quality checks failed'))).toHaveLength(1);
  });
});
