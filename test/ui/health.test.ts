/** Table health: last publish by the writers that publish rows, freshness against an SLA, last checks, and "no checks" without them. */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { checksOfOutput, freshnessOf, tableHealth } from '../../src/ui/health.ts';
import type { UiRun } from '../../src/ui/types.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';

const manifest: Manifest = {
  version: 1,
  lakestepVersion: '0.1.0',
  platform: manifestPlatform(),
  useCases: [
    {
      name: 'orders',
      owner: 'o@example.com',
      specHash: 'h',
      files: [],
      workflows: [
        manifestWorkflow('orders', 'ingest', { access: { 'raw.orders': ['write'] } }),
        manifestWorkflow('orders', 'compact', { access: { 'raw.orders': ['maintain'] } }),
        manifestWorkflow('orders', 'report', { access: { 'raw.orders': ['read'], 'mart.daily': ['create', 'write'] } }),
      ],
      freshness: (['warn', 'error'] as const).map((level) => ({
        name: `f-${level}`,
        table: 'raw.orders',
        level,
        afterSeconds: level === 'warn' ? 7200 : 21600,
        workflow: 'orders/ingest',
        namespace: 'Lakestep',
        metric: 'TablePublished',
        dimensions: {},
        period: 60,
        evaluationPeriods: level === 'warn' ? 120 : 360,
      })),
    },
  ],
  tables: {
    'raw.orders': { owner: 'orders', location: 's3://r/raw/orders/', writers: ['orders/compact', 'orders/ingest'], readers: ['orders/report'] },
    'mart.daily': { owner: 'orders', location: 's3://a/mart/daily/', writers: ['orders/report'], readers: [] },
  },
  quarantined: [],
};

function run(dag: string, stop: string, over: Partial<UiRun> = {}): UiRun {
  return { dag, name: stop.replace(/:/g, ''), executionArn: `arn:${dag}:${stop}`, logicalDate: stop, dateFrom: 'name', state: 'succeeded', status: 'SUCCEEDED', start: stop, stop, ...over };
}

describe('tableHealth', () => {
  it('takes the last publish from the newest successful run of a writer that writes rows', () => {
    const runs = [
      run('orders/ingest', '2026-11-25T08:00:00Z'),
      run('orders/ingest', '2026-11-25T09:00:00Z', { state: 'skipped', skipped: 'not migrated' }),
      run('orders/ingest', '2026-11-25T10:00:00Z', { state: 'failed', status: 'FAILED', error: 'X' }),
      run('orders/compact', '2026-11-25T11:00:00Z'), // maintenance publishes no rows
      run('orders/report', '2026-11-25T11:30:00Z'), // reads raw.orders only
    ];
    const [daily, orders] = tableHealth(manifest, runs, '2026-11-25T12:00:00Z');
    expect(orders).toMatchObject({ name: 'raw.orders', owner: 'orders', lastPublish: { at: '2026-11-25T08:00:00Z', dag: 'orders/ingest' } });
    // 4 h old: past warn (2h), within error (6h).
    expect(orders!.freshness).toEqual({ warnAfterSeconds: 7200, errorAfterSeconds: 21600, ageSeconds: 14400, state: 'warn' });
    expect(daily).toMatchObject({ name: 'mart.daily', lastPublish: { at: '2026-11-25T11:30:00Z', dag: 'orders/report' } });
    expect(daily!.freshness).toBeUndefined();
    expect(orders!.checks).toBeUndefined();
  });

  it('keeps the checks of the newest run that reported any for the table', () => {
    const old = [{ table: 'raw.orders', check: 'unique(order_id)', severity: 'error' as const, passed: true }];
    const recent = [
      { table: 'raw.orders', check: 'not_null(order_id)', severity: 'error' as const, passed: false, failingRows: 3 },
      { table: 'mart.daily', check: 'row_count', severity: 'warn' as const, passed: true },
    ];
    const runs = [run('orders/ingest', '2026-11-25T08:00:00Z', { checks: old }), run('orders/ingest', '2026-11-25T09:00:00Z', { state: 'quality', status: 'FAILED', checks: recent })];
    const byName = new Map(tableHealth(manifest, runs, '2026-11-25T12:00:00Z').map((t) => [t.name, t]));
    expect(byName.get('raw.orders')!.checks).toEqual({ run: '2026-11-25T090000Z', dag: 'orders/ingest', at: '2026-11-25T09:00:00Z', results: [recent[0]] });
    expect(byName.get('mart.daily')!.checks!.results).toEqual([recent[1]]);
    // The run failed its check: nothing was published by it.
    expect(byName.get('raw.orders')!.lastPublish!.at).toBe('2026-11-25T08:00:00Z');
  });
});

describe('freshnessOf', () => {
  it.each([
    [{ warnAfter: '2h' }, '2026-11-25T11:00:00Z', { warnAfterSeconds: 7200, ageSeconds: 3600, state: 'fresh' }],
    [{ errorAfter: '30m' }, '2026-11-25T11:00:00Z', { errorAfterSeconds: 1800, ageSeconds: 3600, state: 'error' }],
    [{ warnAfter: '1h', errorAfter: '1d' }, undefined, { warnAfterSeconds: 3600, errorAfterSeconds: 86400, state: 'unknown' }],
    [{ warnAfter: 7200, errorAfter: 21600 }, '2026-11-25T11:00:00Z', { warnAfterSeconds: 7200, errorAfterSeconds: 21600, ageSeconds: 3600, state: 'fresh' }],
    [{ warnAfter: 'soon' }, '2026-11-25T11:00:00Z', undefined],
    [undefined, '2026-11-25T11:00:00Z', undefined],
  ])('%j, published %s', (sla, at, want) => expect(freshnessOf(sla, at, '2026-11-25T12:00:00Z')).toEqual(want));
});

describe('checksOfOutput', () => {
  it("reads the run record's summary.quality.checks, skipping malformed entries", () => {
    const output = {
      summary: {
        quality: {
          status: 'warned',
          checks: [
            { table: 'RAW.Orders', check: 'not_null(id)', kind: 'not_null', severity: 'warn', status: 'failed', failing: 2 },
            { table: 'raw.orders', check: 'x' },
            'not a check',
            { table: 'raw.orders', check: 'unique(id)', kind: 'unique', severity: 'loud', status: 'passed', failing: 0 },
          ],
        },
      },
    };
    expect(checksOfOutput(output)).toEqual([
      { table: 'raw.orders', check: 'not_null(id)', severity: 'warn', passed: false, failingRows: 2 },
      { table: 'raw.orders', check: 'unique(id)', severity: 'error', passed: true, failingRows: 0 },
    ]);
    expect(checksOfOutput({ summary: {} })).toBeUndefined();
    expect(checksOfOutput(null)).toBeUndefined();
  });
});
