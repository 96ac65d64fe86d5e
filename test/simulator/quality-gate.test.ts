/**
 * The state machine side of write-audit-publish on the example platform: the job's
 * result says how its checks went (src/phases/quality-gate.ts). A failed `error` check
 * fails the run with `Lakestep.QualityCheckFailed`, notifies with sample keys, moves no
 * watermark and records no publish; a `warn` failure publishes and notifies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { validateScenario } from '../../src/simulator/scenario.ts';
import { compileExamplePlatform, executionsOf, items, LOGICAL, runRecords, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const UPSERTS = 'orders/orders-upserts';
const PROCESS = `${UPSERTS}/process`;
const TABLE = 'process_orders.order_status';

const run = (checks: Record<string, 'error' | 'warn'>): Promise<SimulationResult> =>
  simulate({ buildDir: build.dir, scenario: { start: [{ workflow: UPSERTS, logical_date: LOGICAL }], migrated: 'all', checks } });

/** The merge's watermark item (`value` empty: never advanced). */
const mark = (result: SimulationResult) => {
  const item = items(result, build.tables.watermarks).find((i) => i.pk === 'processing/orders/orders-upserts/order-status');
  return item;
};
const watermarkKeys = (result: SimulationResult) => items(result, build.tables.watermarks).map((i) => String(i.pk)).sort();

describe('quality gate', () => {
  it('a failing error check fails the run, notifies with sample keys and moves no watermark', async () => {
    const result = await run({ [PROCESS]: 'error' });
    const [e] = executionsOf(result, UPSERTS);
    expect(e!.status).toBe('FAILED');
    expect(e!.error).toBe('Lakestep.QualityCheckFailed');
    expect(e!.cause).toContain('not_null(order_id,status)');
    // The merge's watermark is where the run found it (read, never advanced), and no publish
    // is recorded: the next run reads the same changes again.
    expect(mark(result)).toEqual({ pk: 'processing/orders/orders-upserts/order-status', value: '' });
    expect(watermarkKeys(result).filter((k) => k.startsWith('published/'))).toEqual([]);
    expect(result.metrics.filter((p) => p.metric === 'TablePublished')).toEqual([]);
    const [n] = result.notifications.filter((x) => x.via === 'state');
    expect(n!.subject).toBe('lakestep orders/orders-upserts: quality checks failed');
    expect(n!.message).toContain('Nothing was published');
    expect(n!.message).toContain('"order_id":"sample"');
    expect(n!.message).toContain(`"table":"${TABLE}","branch":"audit_`);
    // The warning check passed: only error checks are named.
    expect(n!.message).not.toContain('amount-not-negative');
    const [record] = runRecords(result, build, UPSERTS);
    expect(record!.status).toBe('FAILED');
    const quality = (record!.summary as { quality: { status: string; published: string[]; checks: { check: string; status: string }[] } }).quality;
    expect(quality.status).toBe('failed');
    expect(quality.published).toEqual([]);
    expect(quality.checks.find((c) => c.check === 'not_null(order_id,status)')?.status).toBe('failed');
    // The run record keeps no sample keys.
    expect(JSON.stringify(record)).not.toContain('"order_id":"sample"');
  });

  it('a failing warn check publishes, notifies and advances the watermark', async () => {
    const result = await run({ [PROCESS]: 'warn' });
    const [e] = executionsOf(result, UPSERTS);
    expect(e!.status).toBe('SUCCEEDED');
    const [n] = result.notifications.filter((x) => x.via === 'state');
    expect(n!.subject).toBe('lakestep orders/orders-upserts: quality warnings');
    expect(n!.message).toContain('amount-not-negative');
    expect(watermarkKeys(result)).toContain(`published/${TABLE}`);
    expect(result.metrics.filter((p) => p.metric === 'TablePublished').map((p) => p.dimensions.Table)).toEqual([TABLE]);
    expect(mark(result)?.value).toBe('2026-11-25T00:00:00.000000Z');
  });

  it('passing checks publish without a notification', async () => {
    const result = await run({});
    expect(executionsOf(result, UPSERTS)[0]!.status).toBe('SUCCEEDED');
    expect(result.notifications.filter((x) => x.via === 'state')).toEqual([]);
    const published = items(result, build.tables.watermarks).find((i) => i.pk === `published/${TABLE}`);
    expect(published).toMatchObject({ workflow: UPSERTS });
  });

  it('scenario checks name a job and a severity', () => {
    expect(validateScenario({ checks: { 'orders/orders-upserts': 'error', [PROCESS]: 'fatal' } })).toEqual([
      expect.stringContaining('checks.orders/orders-upserts'),
      expect.stringContaining(`checks.${PROCESS}`),
    ]);
  });
});
