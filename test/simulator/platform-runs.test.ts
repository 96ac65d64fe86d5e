/**
 * The compiled example platform (specs/) in the simulator: retries, DataSync polling,
 * failed tables, watermarks and notifications of single workflows.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, simulate, Simulator, type Scenario } from '../../src/simulator/index.ts';
import {
  compileExamplePlatform,
  executionsOf,
  jobRunsOf,
  LOGICAL,
  NAME,
  runRecords,
  watermark,
  type PlatformBuild,
} from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const MIGRATION = 'orders/orders-migration';
const startMigration: Scenario['start'] = [{ workflow: MIGRATION, logical_date: LOGICAL }];
/** LOGICAL as the runtime reports a watermark (`WATERMARK_FORMAT` of lakestep_runtime.py). */
const REPORTED = '2026-11-25T00:00:00.000000Z';
const ORDERS_WM = 'migration/raw_orders.orders';
const LINES_WM = 'migration/raw_orders.order_lines';

describe('transient EMR Serverless error', () => {
  it('retries the job state after EMRServerless.InternalServerException and the run succeeds', async () => {
    const result = await simulate({
      buildDir: build.dir,
      scenario: { start: startMigration, faults: { [MIGRATION]: { 'Create Iceberg tables': { error: 'EMRServerless.InternalServerException', cause: 'try again' } } } },
    });
    const [run] = executionsOf(result, MIGRATION);
    expect(run).toMatchObject({ status: 'SUCCEEDED', name: NAME });
    const retried = result.timeline.filter((e) => e.execution === NAME && e.state === 'Create Iceberg tables' && e.kind === 'retried');
    expect(retried).toHaveLength(1);
    // The failed attempt never reached the service: one DDL job run, then both conversions.
    const jobs = jobRunsOf(result, run!.executionArn).map((r) => r.jobRef);
    expect(jobs.filter((j) => j === 'orders/orders-migration/ddl')).toHaveLength(1);
    expect(jobs).toEqual(expect.arrayContaining(['orders/orders-migration/convert-orders', 'orders/orders-migration/convert-order_lines']));
    expect(watermark(result, build, ORDERS_WM)).toBe(REPORTED);
    expect(runRecords(result, build, MIGRATION)).toMatchObject([{ status: 'SUCCEEDED', logical_date: LOGICAL, trigger: 'manual' }]);
  });
});

describe('DataSync transfer polling', () => {
  it('polls with a growing interval capped at 300 s until SUCCESS', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: startMigration, datasync: { orders: { extra_polls: 6 } } } });
    const [run] = executionsOf(result, MIGRATION);
    expect(run?.status).toBe('SUCCEEDED');
    // Map iteration 0 is table `orders`.
    const waits = result.timeline
      .filter((e) => e.execution === NAME && e.state === 'Wait for transfer' && e.kind === 'entered' && e.details?.iteration === 0)
      .map((e) => e.details?.seconds);
    // QUEUED, LAUNCHING, PREPARING, 7 × TRANSFERRING, VERIFYING, SUCCESS: one wait before each describe.
    expect(waits).toEqual([30, 60, 120, 240, 300, 300, 300, 300, 300, 300, 300, 300]);
    expect(watermark(result, build, ORDERS_WM)).toBe(REPORTED);
  });

  it("gives up polling a transfer after the dag's timeout (2d for orders-migration): the table FAILED, the others migrate", async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: startMigration, datasync: { orders: { extra_polls: 2000 } } } });
    const [run] = executionsOf(result, MIGRATION);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const tables = (runRecords(result, build, MIGRATION)[0]!.summary as { tables: { table: string; status: string; error?: string; cause?: string }[] }).tables;
    expect(tables.map((t) => [t.table, t.status, t.error])).toEqual([
      ['orders', 'FAILED', 'Lakestep.TransferTimedOut'],
      ['order_lines', 'SUCCEEDED', undefined],
    ]);
    const waits = result.timeline
      .filter((e) => e.execution === NAME && e.state === 'Wait for transfer' && e.kind === 'entered' && e.details?.iteration === 0)
      .map((e) => Number(e.details?.seconds));
    // The waits add up to the 2 days (172,800 s), not much more.
    const waited = waits.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(172_800);
    expect(waited).toBeLessThan(172_800 + 300);
    expect(tables[0]!.cause).toMatch(/still TRANSFERRING after \d+ polls/);
  });

  it('marks the table FAILED on ERROR while the other tables migrate', async () => {
    const result = await simulate({
      buildDir: build.dir,
      scenario: { start: startMigration, datasync: { orders: { status: 'ERROR', error_code: 'OpNotSupp', error_detail: 'NameNode unreachable' } } },
    });
    const [run] = executionsOf(result, MIGRATION);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const [record] = runRecords(result, build, MIGRATION);
    expect(record).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const tables = (record!.summary as { tables: { table: string; status: string; error?: string; cause?: string }[] }).tables;
    expect(tables.map((t) => [t.table, t.status])).toEqual([
      ['orders', 'FAILED'],
      ['order_lines', 'SUCCEEDED'],
    ]);
    expect(tables[0]?.error).toBe('DataSync.TransferFailed');
    expect(JSON.parse(tables[0]?.cause ?? '{}')).toMatchObject({ Status: 'ERROR', Result: { ErrorCode: 'OpNotSupp', ErrorDetail: 'NameNode unreachable' } });
    // No conversion for the failed table; its watermark is not written.
    expect(jobRunsOf(result, run!.executionArn).map((r) => r.jobRef)).not.toContain('orders/orders-migration/convert-orders');
    expect(watermark(result, build, ORDERS_WM)).toBeUndefined();
    expect(watermark(result, build, LINES_WM)).toBe(REPORTED);
  });
});

describe('failed conversion and re-run', () => {
  it('leaves the watermark unchanged; a re-run with the fault removed completes and writes it', async () => {
    const scenario: Scenario = { jobs: { 'orders/orders-migration/convert-orders': { state: 'FAILED' } } };
    const sim = new Simulator(build.dir, scenario);
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: LOGICAL });
    await sim.runUntilIdle();
    let result = await sim.result();
    expect(executionsOf(result, MIGRATION).map((e) => e.status)).toEqual(['FAILED']);
    expect(watermark(result, build, ORDERS_WM)).toBeUndefined();
    expect(watermark(result, build, LINES_WM)).toBe(REPORTED);
    // The conversion ran twice (Retry on States.TaskFailed), both runs FAILED.
    const convert = result.jobRuns.filter((r) => r.jobRef === 'orders/orders-migration/convert-orders');
    expect(convert.map((r) => r.state)).toEqual(['FAILED', 'FAILED']);

    delete scenario.jobs!['orders/orders-migration/convert-orders'];
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T06:00:00Z', name: `${NAME}_a2` });
    await sim.runUntilIdle();
    result = await sim.result();
    await sim.close();
    const runs = executionsOf(result, MIGRATION);
    expect(runs.map((e) => [e.name, e.status])).toEqual([
      [NAME, 'FAILED'],
      [`${NAME}_a2`, 'SUCCEEDED'],
    ]);
    expect(watermark(result, build, ORDERS_WM)).toBe(REPORTED);
    expect(runRecords(result, build, MIGRATION).map((r) => r.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
  });
});

describe('notifications', () => {
  it('a failure sends exactly one SNS notification (scenarios/failure.yaml)', async () => {
    const scenario = parseScenario(readFileSync('src/simulator/scenarios/failure.yaml', 'utf8'));
    const result = await simulate({ buildDir: build.dir, scenario });
    const [run] = executionsOf(result, MIGRATION);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Lakestep.TablesFailed' });
    const [record] = runRecords(result, build, MIGRATION);
    const tables = (record!.summary as { tables: { table: string; status: string }[] }).tables;
    expect(tables.map((t) => [t.table, t.status])).toEqual([
      ['orders', 'FAILED'],
      ['order_lines', 'SUCCEEDED'],
    ]);
    // Besides the freshness alarms of the tables this leaves unpublished (test/simulator/freshness.test.ts).
    const notes = result.notifications.filter((n) => n.via !== 'alarm');
    expect(notes).toHaveLength(1);
    // Sent by the dispatcher, fed the failure by the platform's rule.
    expect(notes[0]).toMatchObject({ via: 'state' });
    expect(notes[0]!.origin).toMatch(/:execution:acme-lakestep-dispatcher:.*#Notify the platform topic$/);
    expect(executionsOf(result, 'lakestep/dispatch').map((e) => e.status)).toContain('SUCCEEDED');
    // A JSON message, well-formed although the cause holds quoted JSON.
    const message = JSON.parse(notes[0]!.message) as { message: string; error: string; cause: string };
    expect(message.message).toContain(`lakestep acme-${MIGRATION.replace('/', '-')}: execution ${NAME} of `);
    expect(message.message).toContain(' ended FAILED at ');
    expect(message.error).toBe('Lakestep.TablesFailed');
    expect(message.cause).toContain('"status":"FAILED"');
    expect(watermark(result, build, ORDERS_WM)).toBeUndefined();
    expect(watermark(result, build, LINES_WM)).toBe(REPORTED);
    // Not started by the failed migration; its scheduled run writes nothing into the unmigrated table.
    const runs = executionsOf(result, 'orders/orders-ingestion');
    expect(runs.map((e) => [e.status, e.trigger.kind])).toEqual([['SUCCEEDED', 'manual']]);
    expect((runs[0]!.output as { summary: unknown }).summary).toEqual({
      skipped: { reason: 'migration not finished', table: 'raw_orders.orders', migration: MIGRATION },
    });
    expect(jobRunsOf(result, runs[0]!.executionArn)).toEqual([]);
  });

  it('a success of a dag with on_success_callback sends one success notification', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: startMigration } });
    expect(executionsOf(result, MIGRATION).map((e) => e.status)).toEqual(['SUCCEEDED']);
    const success = result.notifications.filter((n) => n.message.includes(' ended SUCCEEDED at '));
    expect(success).toHaveLength(1);
    expect((JSON.parse(success[0]!.message) as { message: string }).message).toContain('lakestep acme-orders-orders-migration: execution ');
    expect(result.notifications.filter((n) => / ended (FAILED|TIMED_OUT|ABORTED) at /.test(n.message))).toEqual([]);
    // Its downstream ran too, without a notification of its own.
    expect(executionsOf(result, 'orders/orders-ingestion').map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(result.notifications.filter((n) => n.via !== 'alarm')).toHaveLength(1);
  });
});

describe('watermarks', () => {
  it('never move backwards: a newer stored value is kept', async () => {
    const newer = '2030-01-01T00:00:00Z';
    const result = await simulate({
      buildDir: build.dir,
      scenario: { start: startMigration, dynamodb: { [build.tables.watermarks]: [{ pk: { S: ORDERS_WM }, value: { S: newer } }] } },
    });
    expect(executionsOf(result, MIGRATION).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(watermark(result, build, ORDERS_WM)).toBe(newer);
    expect(watermark(result, build, LINES_WM)).toBe(REPORTED);
  });

  it('advance to the value the job reports', async () => {
    const result = await simulate({
      buildDir: build.dir,
      scenario: { start: startMigration, watermarks: { 'orders/orders-migration/convert-orders/watermark': '2026-11-24T23:59:59.123456Z' } },
    });
    expect(watermark(result, build, ORDERS_WM)).toBe('2026-11-24T23:59:59.123456Z');
    expect(watermark(result, build, LINES_WM)).toBe(REPORTED);
  });
});
