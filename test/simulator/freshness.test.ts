/**
 * Freshness SLAs in the simulator: the example's `process_orders.order_status` has
 * `freshness: {warn_after: 2h, error_after: 6h}`. Its alarms read the `TablePublished`
 * data points the workflow puts at each publish (src/simulator/freshness.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulator/index.ts';
import { alarmTransitions } from '../../src/simulator/freshness.ts';
import type { FreshnessAlarm } from '../../src/build/types.ts';
import { compileExamplePlatform, LOGICAL, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const UPSERTS = 'orders/orders-upserts';
const TABLE = 'process_orders.order_status';
// Deployed at LOGICAL; a later run of another use case ends the simulated time at about 10:05.
const LATER = { workflow: 'payments/payments-upserts', logical_date: '2026-11-25T10:00:00Z' };
const run = (start: { workflow: string; logical_date: string; at?: string }, checks: Record<string, 'error'> = {}) =>
  simulate({ buildDir: build.dir, now: LOGICAL, scenario: { start: [start, LATER], migrated: 'all', checks } });

const alarmsOf = (notes: { via: string; message: string; time: string }[]) =>
  notes.filter((n) => n.via === 'alarm').map((n) => {
    const m = JSON.parse(n.message) as { AlarmName: string; NewStateValue: string };
    return [n.time, m.AlarmName, m.NewStateValue];
  });

describe('freshness alarms', () => {
  it('the manifest carries one alarm per table and level', () => {
    const orders = build.manifest.useCases.find((u) => u.name === 'orders')!;
    expect(orders.freshness?.map((a) => [a.table, a.level, a.afterSeconds, a.period, a.evaluationPeriods])).toEqual([
      // orders-ingestion's orders-pg (specs/orders/ingestion.yaml).
      ['raw_orders.orders', 'warn', 7200, 60, 120],
      [TABLE, 'warn', 7200, 60, 120],
      [TABLE, 'error', 21600, 60, 360],
    ]);
  });

  it('a run whose checks fail publishes nothing: the table breaches its SLA and the topic hears of it', async () => {
    const result = await run({ workflow: UPSERTS, logical_date: LOGICAL }, { [`${UPSERTS}/process`]: 'error' });
    expect(result.metrics.filter((p) => p.dimensions.Table === TABLE)).toEqual([]);
    expect(alarmsOf(result.notifications).filter(([, name]) => String(name).includes('order_status'))).toEqual([
      ['2026-11-25T02:00:00.000Z', 'acme-orders-fresh-process_orders-order_status-warn', 'ALARM'],
      ['2026-11-25T06:00:00.000Z', 'acme-orders-fresh-process_orders-order_status-error', 'ALARM'],
    ]);
  });

  it('a publish keeps the table fresh until its age passes again', async () => {
    const result = await run({ workflow: UPSERTS, logical_date: LOGICAL, at: '2026-11-25T01:00:00Z' });
    const [published, ...others] = result.metrics.filter((p) => p.dimensions.Table === TABLE);
    expect(others).toEqual([]);
    const at = Date.parse(published!.time);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(alarmsOf(result.notifications).filter(([, name]) => String(name).includes('order_status'))).toEqual([
      [iso(at + 2 * 3600_000), 'acme-orders-fresh-process_orders-order_status-warn', 'ALARM'],
      [iso(at + 6 * 3600_000), 'acme-orders-fresh-process_orders-order_status-error', 'ALARM'],
    ]);
  });
});

describe('alarm transitions', () => {
  const alarm: FreshnessAlarm = { name: 'a', table: 'd.t', level: 'warn', afterSeconds: 3600, workflow: 'u/w', namespace: 'Lakestep', metric: 'TablePublished', dimensions: { Table: 'd.t' }, period: 60, evaluationPeriods: 60 };
  const point = (time: string, table = 'd.t') => ({ time, namespace: 'Lakestep', metric: 'TablePublished', dimensions: { Table: table }, value: 1 });
  const t = (iso: string) => Date.parse(iso);

  it('alarms after the age without data, is OK again at the next publish, and ignores other tables', () => {
    const points = [point('2026-01-01T00:30:00Z'), point('2026-01-01T02:00:00Z'), point('2026-01-01T02:10:00Z', 'd.other')];
    expect(alarmTransitions(alarm, points, t('2026-01-01T00:00:00Z'), t('2026-01-01T04:00:00Z')).map((x) => [new Date(x.time).toISOString(), x.state])).toEqual([
      ['2026-01-01T01:30:00.000Z', 'ALARM'],
      ['2026-01-01T02:00:00.000Z', 'OK'],
      ['2026-01-01T03:00:00.000Z', 'ALARM'],
    ]);
  });

  it('stays OK while publishes come within the age', () => {
    const points = [point('2026-01-01T00:50:00Z'), point('2026-01-01T01:40:00Z')];
    expect(alarmTransitions(alarm, points, t('2026-01-01T00:00:00Z'), t('2026-01-01T02:00:00Z'))).toEqual([]);
  });
});
