/**
 * An ingestion job publishes its JDBC targets (audit → checks → publish) before its gated Kafka
 * batches, each published on its own (src/phases/ingestion.ts, infra/spark/lakestep/gated.py):
 * a Kafka batch failing an `error` check after that publish fails the run, but what was
 * published is reported as published — in the notification, the error and the run record — and
 * its watermarks advance and its publish is recorded, so a Kafka source that keeps failing does
 * not raise a false freshness alarm on a JDBC table published every run. The engine test
 * (test/engines/test_quality_kafka.py) shows the runtime's result this relies on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulator/index.ts';
import { compileExamplePlatform, executionsOf, items, LOGICAL, runRecords, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  // specs/orders/ingestion.yaml: orders-pg checked with a freshness SLA, order-events (Kafka, available_now) checked.
  build = compileExamplePlatform();
});

const INGESTION = 'orders/orders-ingestion';
const JOB = `${INGESTION}/ingest`;
const run = (checks: Record<string, 'error' | 'warn'>): Promise<SimulationResult> =>
  simulate({ buildDir: build.dir, scenario: { start: [{ workflow: INGESTION, logical_date: LOGICAL }], migrated: 'all', checks } });
const marks = (r: SimulationResult) => Object.fromEntries(items(r, build.tables.watermarks).map((i) => [String(i.pk), i]));

describe('a run whose Kafka batch fails its checks after the JDBC targets were published', () => {
  it('the compiled job publishes the JDBC targets before the gated Kafka step', () => {
    const steps = build.job('orders', 'orders-ingestion', 'ingest').steps.map((s) => s.kind);
    expect(steps.indexOf('publish')).toBeLessThan(steps.indexOf('kafka'));
  });

  it('fails, names the published tables, advances their watermarks and records their publish', async () => {
    const r = await run({ [`${JOB}/raw_orders.order_events`]: 'error' });
    const [e] = executionsOf(r, INGESTION);
    expect(e).toMatchObject({ status: 'FAILED', error: 'Lakestep.QualityCheckFailed' });
    expect(e!.cause).toContain('published before them: ["raw_orders.orders","raw_orders.order_lines"]');
    const [n] = r.notifications.filter((x) => x.via === 'state');
    expect(n!.subject).toBe(`lakestep ${INGESTION}: quality checks failed`);
    expect(n!.message).not.toContain('Nothing was published');
    expect(n!.message).toContain('Published before the failing checks (main moved; their watermarks and publish times are recorded): ["raw_orders.orders","raw_orders.order_lines"]');
    expect(n!.message).toContain('"table":"raw_orders.order_events","branch":"audit_');
    const m = marks(r);
    // Both JDBC targets were published: their watermarks move, as after a successful run.
    expect(m[`ingestion/${INGESTION}/orders-pg`]?.value).toBe('2026-11-25T00:00:00.000000Z');
    expect(m[`ingestion/${INGESTION}/order-lines-pg`]?.value).toBe('2026-11-25T00:00:00.000000Z');
    expect(m['published/raw_orders.orders']).toMatchObject({ workflow: INGESTION });
    expect(r.metrics.filter((p) => p.metric === 'TablePublished').map((p) => p.dimensions.Table)).toEqual(['raw_orders.orders']);
    const quality = (runRecords(r, build, INGESTION)[0]!.summary as { quality: unknown }).quality as { status: string; published: string[]; kept: { table: string }[] };
    expect(quality).toMatchObject({ status: 'failed', published: ['raw_orders.orders', 'raw_orders.order_lines'], kept: [{ table: 'raw_orders.order_events' }] });
  });

  it('a JDBC target failing its checks stops the job before anything is published', async () => {
    const r = await run({ [JOB]: 'error' });
    expect(executionsOf(r, INGESTION)[0]).toMatchObject({ status: 'FAILED', error: 'Lakestep.QualityCheckFailed' });
    const [n] = r.notifications.filter((x) => x.via === 'state');
    expect(n!.message).toContain('Nothing was published: main is as it was before the run');
    const m = marks(r);
    expect(m[`ingestion/${INGESTION}/orders-pg`]?.value ?? '').toBe('');
    expect(Object.keys(m).filter((k) => k.startsWith('published/'))).toEqual([]);
    expect(r.metrics.filter((p) => p.metric === 'TablePublished')).toEqual([]);
    // The Kafka step never ran: its checks are not in the run record.
    const quality = (runRecords(r, build, INGESTION)[0]!.summary as { quality: unknown }).quality as { published: string[]; checks: { table: string }[] };
    expect(quality.published).toEqual([]);
    expect(quality.checks.map((c) => c.table)).not.toContain('raw_orders.order_events');
  });
});
