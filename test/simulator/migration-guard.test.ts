/**
 * The example platform's writers wait for their tables' migration (src/phases/migration-guard.ts):
 * before the migration marked a table, a run that would write or read it starts no job,
 * writes no watermark and ends with `summary.skipped`; after, it runs as before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type Scenario, type SimulationResult } from '../../src/simulator/index.ts';
import { ScenarioError } from '../../src/simulator/scenario.ts';
import { compileExamplePlatform, executionsOf, items, jobRunsOf, LOGICAL, runRecords, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const INGESTION = 'orders/orders-ingestion';
const MIGRATION = 'orders/orders-migration';
const UPSERTS = 'orders/orders-upserts';
const AFTER = '2026-11-25T02:00:00Z';

const run = (scenario: Scenario): Promise<SimulationResult> => simulate({ buildDir: build.dir, scenario });
const only = (result: SimulationResult, ref: string) => {
  const runs = executionsOf(result, ref);
  expect(runs).toHaveLength(1);
  return runs[0]!;
};
const summaryOf = (e: SimulationResult['executions'][number]) => (e.output as { summary: Record<string, unknown> }).summary;

describe('migration guard', () => {
  it('a scheduled ingestion before the migration writes nothing and says why', async () => {
    const result = await run({ start: [{ workflow: INGESTION, logical_date: LOGICAL, input: { trigger: 'schedule', logical_date: LOGICAL } }] });
    const e = only(result, INGESTION);
    expect(e.status).toBe('SUCCEEDED');
    expect(summaryOf(e)).toEqual({ skipped: { reason: 'migration not finished', table: 'raw_orders.orders', migration: MIGRATION } });
    expect(jobRunsOf(result, e.executionArn)).toEqual([]);
    // The run record says so too, and no ingestion watermark exists.
    expect(runRecords(result, build, INGESTION).map((r) => [r.status, (r.summary as { skipped?: { table: string } }).skipped?.table])).toEqual([['SUCCEEDED', 'raw_orders.orders']]);
    const keys = items(result, build.tables.watermarks).map((i) => [i.pk, i.migrated_at]);
    expect(keys).toEqual([['migration/raw_orders.orders', '']]);
  });

  it('the same ingestion after the migration runs its job and advances its watermarks', async () => {
    const result = await run({
      start: [
        { workflow: MIGRATION, logical_date: LOGICAL },
        { workflow: INGESTION, logical_date: AFTER, input: { trigger: 'schedule', logical_date: AFTER } },
      ],
    });
    expect(only(result, MIGRATION).status).toBe('SUCCEEDED');
    const marks = items(result, build.tables.watermarks).filter((i) => String(i.pk).startsWith('migration/'));
    expect(marks.map((i) => [i.pk, typeof i.migrated_at === 'string' && i.migrated_at !== ''])).toEqual([
      ['migration/raw_orders.order_lines', true],
      ['migration/raw_orders.orders', true],
    ]);
    const ingestions = executionsOf(result, INGESTION).filter((e) => e.input && (e.input as { logical_date?: string }).logical_date === AFTER);
    expect(ingestions).toHaveLength(1);
    expect(summaryOf(ingestions[0]!).skipped).toBeUndefined();
    expect(jobRunsOf(result, ingestions[0]!.executionArn).map((r) => r.jobRef)).toEqual(['orders/orders-ingestion/ingest']);
    expect(items(result, build.tables.watermarks).map((i) => i.pk)).toContain('ingestion/orders/orders-ingestion/orders-pg');
  });

  it('a run scheduled while the migration still converts skips, though the migration started first', async () => {
    const during = '2026-11-25T00:30:00Z';
    const result = await run({
      start: [
        { workflow: MIGRATION, logical_date: LOGICAL },
        { workflow: INGESTION, logical_date: during, input: { trigger: 'schedule', logical_date: during } },
        { workflow: INGESTION, logical_date: AFTER, input: { trigger: 'schedule', logical_date: AFTER } },
      ],
    });
    const migration = only(result, MIGRATION);
    const at = (d: string) => executionsOf(result, INGESTION).find((e) => (e.input as { logical_date?: string }).logical_date === d)!;
    // The migration marks its tables after it started the 00:30 run's time: that run saw no mark.
    expect(Date.parse(migration.stopTime!)).toBeGreaterThan(Date.parse(during));
    expect(summaryOf(at(during)).skipped).toMatchObject({ table: 'raw_orders.orders' });
    expect(jobRunsOf(result, at(during).executionArn)).toEqual([]);
    expect(summaryOf(at(AFTER)).skipped).toBeUndefined();
    expect(jobRunsOf(result, at(AFTER).executionArn)).toHaveLength(1);
  });

  it('a merge waits for every table it touches: its target of a curated migration too', async () => {
    const raw = ['raw_orders.orders', 'raw_orders.order_lines', 'raw_customers.customers'];
    const result = await run({ start: [{ workflow: UPSERTS, logical_date: LOGICAL }], migrated: raw });
    const e = only(result, UPSERTS);
    expect(summaryOf(e).skipped).toEqual({ reason: 'migration not finished', table: 'process_orders.order_status', migration: 'orders/orders-curated-migration' });
    expect(jobRunsOf(result, e.executionArn)).toEqual([]);
    const all = await run({ start: [{ workflow: UPSERTS, logical_date: LOGICAL }], migrated: 'all' });
    const ran = only(all, UPSERTS);
    expect(summaryOf(ran).skipped).toBeUndefined();
    expect(jobRunsOf(all, ran.executionArn).map((r) => r.jobRef)).toEqual(['orders/orders-upserts/process']);
  });

  it('a table whose conversion failed stays unmarked, so its writers keep skipping', async () => {
    const result = await run({
      start: [
        { workflow: MIGRATION, logical_date: LOGICAL },
        { workflow: INGESTION, logical_date: AFTER, input: { trigger: 'schedule', logical_date: AFTER } },
      ],
      jobs: { 'orders/orders-migration/convert-orders': { state: 'FAILED' } },
    });
    expect(only(result, MIGRATION).status).toBe('FAILED');
    const e = executionsOf(result, INGESTION).find((x) => (x.input as { logical_date?: string }).logical_date === AFTER)!;
    expect(summaryOf(e).skipped).toMatchObject({ table: 'raw_orders.orders' });
    expect(jobRunsOf(result, e.executionArn)).toEqual([]);
  });

  it('a scenario naming a table no migration converts is refused', async () => {
    await expect(run({ migrated: ['raw_orders.nope'] })).rejects.toThrow(ScenarioError);
  });
});
