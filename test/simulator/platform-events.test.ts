/**
 * The compiled example platform (specs/) in the simulator: the join of a two-upstream
 * dag, maintenance schedule groups, logical dates of dependency-triggered runs, the
 * demo scenario, and defects of the compiled ASL that would fail on AWS.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, simulate, Simulator, type Scenario, type SimulationResult } from '../../src/simulator/index.ts';
import { executionName } from '../../src/naming.ts';
import type { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { readJoins, upstreamsOf } from '../../src/ops/joins.ts';
import { compileExamplePlatform, executionsOf, items, jobRunsOf, LOGICAL, NAME, runRecords, type PlatformBuild } from './platform.ts';

let build: PlatformBuild;
beforeAll(() => {
  build = compileExamplePlatform();
});

const UPSERTS = 'orders/orders-upserts';
const ORDERS_INGESTION = 'orders/orders-ingestion';
const CUSTOMERS_INGESTION = 'customers/customers-ingestion';
const DISPATCH = 'lakestep/dispatch';

/** The dispatcher's executions for the ends of `ref`'s executions (its input is their status-change event). */
function dispatchesAfter(result: SimulationResult, ref: string) {
  const machine = `:stateMachine:acme-${ref.replace('/', '-')}`;
  return executionsOf(result, DISPATCH).filter((e) => ((e.input as { detail?: { stateMachineArn?: string } }).detail?.stateMachineArn ?? '').endsWith(machine));
}

/**
 * Starts upstream runs for LOGICAL at the given simulated times, in that order, every table
 * already migrated; attempts after the first are named `<date>_<hhmm>` (a name not of the date
 * would restart itself under the date's name).
 */
async function runUpstreams(starts: { ref: string; at: string; name?: string }[], scenario: Scenario = {}): Promise<SimulationResult> {
  const sim = new Simulator(build.dir, { migrated: 'all', ...scenario });
  for (const s of starts) sim.start(s.ref, { trigger: 'schedule', logical_date: LOGICAL }, { at: s.at, name: s.name ?? `${NAME}_${s.at.slice(11, 13)}${s.at.slice(14, 16)}` });
  await sim.runUntilIdle();
  try {
    return await sim.result();
  } finally {
    await sim.close();
  }
}

describe('two-upstream join (orders/orders-upserts)', () => {
  const expectOneRun = (result: SimulationResult): void => {
    const runs = executionsOf(result, UPSERTS);
    expect(runs.map((e) => [e.name, e.status])).toEqual([[NAME, 'SUCCEEDED']]);
    expect(runs[0]?.trigger).toMatchObject({ kind: 'startExecution' });
    expect((runs[0]?.output as { run: { logical_date: string; trigger: string; upstreams: string[] } }).run).toMatchObject({
      logical_date: LOGICAL,
      trigger: 'dependency',
    });
    expect((runs[0]?.output as { run: { upstreams: string[] } }).run.upstreams.sort()).toEqual([
      'arn:aws:states:eu-west-1:123456789012:stateMachine:acme-customers-customers-ingestion',
      'arn:aws:states:eu-west-1:123456789012:stateMachine:acme-orders-orders-ingestion',
    ]);
    const gate = items(result, build.tables.gates).filter((g) => g.pk === UPSERTS);
    expect(gate).toHaveLength(1);
    expect(gate[0]).toMatchObject({ sk: LOGICAL, started: true });
    expect((gate[0]?.done as string[]).length).toBe(2);
  };

  it('status reads the gate entries the compiled dispatcher wrote: waiting for customers-ingestion, then started', async () => {
    const wf = build.manifest.useCases.find((u) => u.name === 'orders')!.workflows.find((w) => w.name === 'orders-upserts')!;
    const upstreams = upstreamsOf(build.manifest, wf);
    expect(upstreams.map((u) => u.ref).sort()).toEqual([CUSTOMERS_INGESTION, ORDERS_INGESTION]);
    // The gates table as a DynamoDB Query answers it (newest sort key first, at most Limit); moto's is in test/aws-local/operator.test.ts.
    const table = (result: SimulationResult) =>
      ({
        send: async (q: QueryCommand) => ({
          Items: (result.dynamodb[build.tables.gates] ?? [])
            .map((i) => i as Record<string, { S?: string }>)
            .filter((i) => i.pk?.S === q.input.ExpressionAttributeValues?.[':pk']?.S)
            .sort((a, b) => (b.sk?.S ?? '').localeCompare(a.sk?.S ?? ''))
            .slice(0, q.input.Limit),
        }),
      }) as unknown as DynamoDBClient;
    const now = new Date('2026-11-25T03:00:00Z');
    const half = await runUpstreams([{ ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' }]);
    expect(await readJoins(table(half), build.tables.gates, UPSERTS, upstreams, now)).toEqual([
      { logicalDate: LOGICAL, succeeded: [ORDERS_INGESTION], waitingFor: [CUSTOMERS_INGESTION], started: false, windowCloses: expect.stringMatching(/^2026-11-2\dT/), expired: false },
    ]);
    const whole = await runUpstreams([
      { ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' },
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T02:00:00Z' },
    ]);
    expect(await readJoins(table(whole), build.tables.gates, UPSERTS, upstreams, now)).toMatchObject([{ logicalDate: LOGICAL, succeeded: [CUSTOMERS_INGESTION, ORDERS_INGESTION], waitingFor: [], started: true, expired: false }]);
  });

  it('runs once when orders-ingestion succeeds first, then customers-ingestion', async () => {
    const result = await runUpstreams([
      { ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' },
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T02:00:00Z' },
    ]);
    expect(result.executions.filter((e) => e.workflow.endsWith('-ingestion')).map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([...dispatchesAfter(result, ORDERS_INGESTION), ...dispatchesAfter(result, CUSTOMERS_INGESTION)].map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expectOneRun(result);
  });

  it('runs once when the events arrive the other way round', async () => {
    const result = await runUpstreams([
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T01:00:00Z' },
      { ref: ORDERS_INGESTION, at: '2026-11-25T02:00:00Z' },
    ]);
    expectOneRun(result);
  });

  it('runs once when one upstream succeeds twice, before and after the other', async () => {
    const result = await runUpstreams([
      { ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' },
      { ref: ORDERS_INGESTION, at: '2026-11-25T01:30:00Z' },
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T02:00:00Z' },
      { ref: ORDERS_INGESTION, at: '2026-11-25T03:00:00Z' },
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T04:00:00Z' },
    ]);
    expect([...dispatchesAfter(result, ORDERS_INGESTION), ...dispatchesAfter(result, CUSTOMERS_INGESTION)].map((e) => e.status)).toEqual(Array(5).fill('SUCCEEDED'));
    expectOneRun(result);
  });

  it('does not run when one upstream fails', async () => {
    const result = await runUpstreams(
      [
        { ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' },
        { ref: CUSTOMERS_INGESTION, at: '2026-11-25T02:00:00Z' },
      ],
      { jobs: { 'customers/customers-ingestion/ingest': { state: 'FAILED' } } },
    );
    expect(executionsOf(result, CUSTOMERS_INGESTION).map((e) => e.status)).toEqual(['FAILED']);
    // Only orders-ingestion's success is joined; the failure is only notified.
    expect(dispatchesAfter(result, ORDERS_INGESTION).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(dispatchesAfter(result, CUSTOMERS_INGESTION).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(executionsOf(result, UPSERTS)).toEqual([]);
    expect(items(result, build.tables.gates).find((g) => g.pk === UPSERTS)?.started).toBeUndefined();
  });
});

describe('a paused dag (lakestep pause: the flag the dispatcher reads)', () => {
  const PAUSED = { pk: { S: 'lakestep/paused' }, sk: { S: UPSERTS }, paused_at: { S: '2026-11-24T10:00:00.000Z' } };

  it('is neither started nor joined after its upstreams; the other dags are, and resume (no flag) starts it again', async () => {
    const starts = [
      { ref: ORDERS_INGESTION, at: '2026-11-25T01:00:00Z' },
      { ref: CUSTOMERS_INGESTION, at: '2026-11-25T02:00:00Z' },
    ];
    const paused = await runUpstreams(starts, { dynamodb: { [build.tables.gates]: [PAUSED] } });
    expect([...dispatchesAfter(paused, ORDERS_INGESTION), ...dispatchesAfter(paused, CUSTOMERS_INGESTION)].map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(executionsOf(paused, UPSERTS)).toEqual([]);
    // No success recorded for it while paused: a resume does not start it from successes of before.
    expect(items(paused, build.tables.gates).filter((g) => g.pk === UPSERTS)).toEqual([]);
    // orders-ingestion's other downstreams are not paused.
    const others = paused.executions.filter((e) => e.trigger.kind === 'startExecution' && e.workflow !== UPSERTS);
    expect(others.length).toBeGreaterThan(0);
    const resumed = await runUpstreams(starts);
    expect(executionsOf(resumed, UPSERTS).map((e) => e.status)).toEqual(['SUCCEEDED']);
  });
});

describe('maintenance schedule groups', () => {
  const MAINTENANCE = 'orders/orders-maintenance';

  it('a scheduled group runs only its own tasks', async () => {
    // Rates fire at multiples of their period since 1970-01-01T00:00Z: at midnight of Thursday
    // 2026-11-26 all three; cron(0 2 * * ? *) at 02:00.
    const result = await simulate({ buildDir: build.dir, scenario: { window: { start: '2026-11-26T00:00:00Z', end: '2026-11-26T02:01:00Z' } } });
    const runs = executionsOf(result, MAINTENANCE);
    const groups = runs.map((e) => (e.input as { group?: string }).group).sort();
    expect(groups).toEqual(['cron-0-2-x-x-q-x', 'rate-1-day', 'rate-6-hours', 'rate-7-days']);
    for (const run of runs) {
      expect(run.status).toBe('SUCCEEDED');
      const group = (run.input as { group: string }).group;
      const jobRuns = jobRunsOf(result, run.executionArn);
      expect(jobRuns.map((r) => r.jobRef)).toEqual([`${MAINTENANCE}/maintenance-${group}`]);
      expect(jobRuns[0]?.steps).toEqual(build.job('orders', 'orders-maintenance', `maintenance-${group}`).steps.map((s) => s.name));
    }
  });

  it('a manual start without a group runs maintenance-all', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: MAINTENANCE, logical_date: LOGICAL }] } });
    const [run] = executionsOf(result, MAINTENANCE);
    expect(run?.status).toBe('SUCCEEDED');
    const jobRuns = jobRunsOf(result, run!.executionArn);
    expect(jobRuns.map((r) => r.jobRef)).toEqual([`${MAINTENANCE}/maintenance-all`]);
    expect(jobRuns[0]?.steps).toEqual(build.job('orders', 'orders-maintenance', 'maintenance-all').steps.map((s) => s.name));
  });
});

describe('dependency-triggered runs', () => {
  it('inherit the logical date of their upstream, down the chain', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: 'payments/payments-migration', logical_date: LOGICAL, at: '2026-11-25T03:17:00Z' }] } });
    for (const ref of ['payments/payments-migration', 'payments/payments-ingestion', 'payments/payments-upserts']) {
      const runs = executionsOf(result, ref);
      expect(runs.map((e) => e.status)).toEqual(['SUCCEEDED']);
      expect((runs[0]?.output as { run: { logical_date: string } }).run.logical_date).toBe(LOGICAL);
      expect(runRecords(result, build, ref)).toMatchObject([{ logical_date: LOGICAL, status: 'SUCCEEDED' }]);
    }
    const ingestion = executionsOf(result, 'payments/payments-ingestion')[0]!;
    // Started by the dispatcher (every dependency goes through its join), named after the date.
    expect(ingestion.trigger).toMatchObject({ kind: 'startExecution' });
    expect(ingestion.name).toBe(NAME);
    expect((ingestion.output as { run: { trigger: string } }).run.trigger).toBe('dependency');
    // The job ran for the inherited date, not for the (later) time it started.
    expect(jobRunsOf(result, ingestion.executionArn)[0]?.params).toMatchObject({ ts: LOGICAL, ds: '2026-11-25' });
  });
});

describe('demo scenario', () => {
  it('runs every migration, their downstreams and a day of schedules to SUCCEEDED', async () => {
    const scenario = parseScenario(readFileSync('src/simulator/scenarios/demo.yaml', 'utf8'));
    const result = await simulate({ buildDir: build.dir, scenario });
    const failed = result.executions.filter((e) => e.status !== 'SUCCEEDED');
    expect(failed.map((e) => `${e.workflow} ${e.name} ${e.error}`)).toEqual([]);
    const refs = new Set(result.executions.map((e) => e.workflow));
    for (const uc of build.manifest.useCases) {
      for (const wf of uc.workflows) if (wf.enabled) expect(refs, `${uc.name}/${wf.name}`).toContain(`${uc.name}/${wf.name}`);
    }
    // Both upstreams run on cron schedules that share every full hour: the join completes hourly.
    // A run's logical date is the start of its interval: the day's last full hour (23:00) runs the next day.
    const hours = Array.from({ length: 23 }, (_, h) => `2026-11-25T${String(h).padStart(2, '0')}0000Z`);
    expect(executionsOf(result, UPSERTS).map((e) => e.name).sort()).toEqual(hours);
    expect(executionsOf(result, 'clickstream/clickstream-ingestion')).toHaveLength(96);
    // The streaming job is started once and found running afterwards.
    expect(result.jobRuns.filter((r) => r.mode === 'STREAMING')).toHaveLength(1);
    expect(result.stats.executions).toBe(result.executions.length);
  }, 120_000);
});

describe('compiled ASL on AWS semantics (strict)', () => {
  // Shows defects of the compiled artifacts: with `strict` the simulator fails the calls
  // the way AWS would instead of working around them.
  it('a migration succeeds without workarounds', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: 'orders/orders-migration', logical_date: LOGICAL }] }, strict: true });
    expect(result.problems).toEqual([]);
    expect(executionsOf(result, 'orders/orders-migration').map((e) => [e.status, e.error, e.cause])).toEqual([['SUCCEEDED', null, null]]);
  });
});

describe('at-least-once delivery of status-change events', () => {
  const MIGRATION = 'payments/payments-migration';
  const INGESTION = 'payments/payments-ingestion';

  it('Duplicate delivery of an upstream success event runs the downstream once', async () => {
    const sim = new Simulator(build.dir, {}, { deliveries: 2 });
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T03:17:00Z', name: NAME });
    await sim.runUntilIdle();
    const result = await sim.result();
    // Both copies reach the dispatcher; the second finds the execution name taken.
    expect(dispatchesAfter(result, MIGRATION).map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    for (const ref of [INGESTION, 'payments/payments-upserts']) {
      expect(executionsOf(result, ref).map((e) => [e.name, e.status]), ref).toEqual([[NAME, 'SUCCEEDED']]);
    }
    const gate = items(result, build.tables.gates).find((g) => g.pk === INGESTION);
    expect(gate).toMatchObject({ sk: LOGICAL, started: true, done: [`arn:aws:states:eu-west-1:123456789012:stateMachine:acme-${MIGRATION.replace('/', '-')}`] });
    // expires_at: epoch seconds of the event's hour + 1 h + the window + a day (the TTL attribute).
    const stop = executionsOf(result, MIGRATION)[0]!.stopTime!;
    const hour = Math.floor(Date.parse(stop) / 3_600_000) * 3600;
    type Join = { States: Record<string, { Parameters: { ExpressionAttributeValues: Record<string, { N: string }> } }> };
    const dispatcher = JSON.parse(readFileSync(`${build.dir}/lakestep/dispatch.asl.json`, 'utf8')) as { States: Record<string, { ItemProcessor?: Join }> };
    const join = dispatcher.States['Start downstreams']!.ItemProcessor!;
    const windowSeconds = Number(join.States['Open gate']!.Parameters.ExpressionAttributeValues[':window']!.N) / 1000;
    expect(Number(gate!.expires_at)).toBe(hour + 3600 + windowSeconds + 86400);
  });

  it('an end delivered twice is notified once: the first dispatcher run records it, the second finds the entry', async () => {
    const sim = new Simulator(build.dir, {}, { deliveries: 2 });
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T03:17:00Z', name: NAME });
    await sim.runUntilIdle();
    const result = await sim.result();
    expect(dispatchesAfter(result, MIGRATION)).toHaveLength(2);
    const ended = result.notifications.filter((n) => n.message.includes('acme-payments-payments-migration ended SUCCEEDED'));
    expect(ended).toHaveLength(1);
    const [run] = executionsOf(result, MIGRATION);
    const entries = items(result, build.tables.gates).filter((g) => g.pk === run!.executionArn);
    const stopMs = Date.parse(run!.stopTime!);
    const hour = Math.floor(stopMs / 3_600_000) * 3600;
    expect(entries).toEqual([{ pk: run!.executionArn, sk: `notified/SUCCEEDED/${stopMs}`, expires_at: hour + 3600 + 86400 }]);
    // Every end of the run's downstreams too (payments-ingestion notifies nothing; payments-upserts its failures only).
    expect(result.notifications.filter((n) => / ended [A-Z_]+ at /.test(n.message))).toHaveLength(1);
  });

  it('an end is notified when the entry cannot be written, and by every run then (at least once rather than never)', async () => {
    const sim = new Simulator(build.dir, { faults: { [DISPATCH]: { 'Claim the notification': { error: 'DynamoDB.ProvisionedThroughputExceededException', times: 'always' } } } }, { deliveries: 2 });
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T03:17:00Z', name: NAME });
    await sim.runUntilIdle();
    const result = await sim.result();
    expect(dispatchesAfter(result, MIGRATION).map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(result.notifications.filter((n) => n.message.includes('acme-payments-payments-migration ended SUCCEEDED'))).toHaveLength(2);
    // The downstreams still start once.
    expect(executionsOf(result, INGESTION).map((e) => [e.name, e.status])).toEqual([[NAME, 'SUCCEEDED']]);
  });

  it('a notification that cannot be published ends the dispatcher run failed, after its downstreams started', async () => {
    const sim = new Simulator(build.dir, { faults: { [DISPATCH]: { 'Notify the platform topic': { error: 'SNS.AuthorizationErrorException', times: 'always' } } } });
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T03:17:00Z', name: NAME });
    await sim.runUntilIdle();
    const result = await sim.result();
    // The migration's success is notified (on_success_callback): its dispatcher run fails, for the alarm on the dispatcher's metrics.
    const [dispatch] = dispatchesAfter(result, MIGRATION);
    expect([dispatch?.status, dispatch?.error, dispatch?.failedState]).toEqual(['FAILED', 'Lakestep.NotificationFailed', 'Notification failed']);
    expect(executionsOf(result, INGESTION).map((e) => [e.name, e.status])).toEqual([[NAME, 'SUCCEEDED']]);
    // The ends that notify nothing still end well.
    expect(dispatchesAfter(result, INGESTION).map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('a two-upstream join still runs its downstream once when every event arrives twice', async () => {
    const sim = new Simulator(build.dir, {}, { deliveries: 2 });
    sim.start(ORDERS_INGESTION, { trigger: 'schedule', logical_date: LOGICAL }, { at: '2026-11-25T01:00:00Z', name: NAME });
    sim.start(CUSTOMERS_INGESTION, { trigger: 'schedule', logical_date: LOGICAL }, { at: '2026-11-25T02:00:00Z', name: NAME });
    await sim.runUntilIdle();
    expect(executionsOf(await sim.result(), UPSERTS).map((e) => [e.name, e.status])).toEqual([[NAME, 'SUCCEEDED']]);
  });

  it('a transient start failure is retried; a lasting one is notified, and a later delivery starts the date', async () => {
    const start = 'Start downstream';
    const scenario: Scenario = { faults: { [DISPATCH]: { [start]: { error: 'StepFunctions.ExecutionLimitExceededException', times: 1 } } } };
    const retried = await simulate({ buildDir: build.dir, scenario: { ...scenario, start: [{ workflow: MIGRATION, logical_date: LOGICAL }] } });
    expect(executionsOf(retried, INGESTION).map((e) => e.status)).toEqual(['SUCCEEDED']);

    const lasting: Scenario = { faults: { [DISPATCH]: { [start]: { error: 'StepFunctions.StateMachineDoesNotExistException', times: 'always' } } } };
    const sim = new Simulator(build.dir, lasting);
    sim.start(MIGRATION, { trigger: 'manual', logical_date: LOGICAL }, { at: '2026-11-25T03:17:00Z', name: NAME });
    await sim.runUntilIdle();
    let result = await sim.result();
    const [dispatch] = dispatchesAfter(result, MIGRATION);
    // The failed start is caught in its route: the dispatcher goes on with the other routes.
    expect(dispatch?.status).toBe('SUCCEEDED');
    expect(executionsOf(result, INGESTION)).toEqual([]);
    const notices = result.notifications.filter((n) => n.message.includes('was not started'));
    expect(notices.map((n) => (JSON.parse(n.message) as { error: string }).error)).toEqual(['StepFunctions.StateMachineDoesNotExistException']);
    expect((JSON.parse(notices[0]!.message) as { message: string }).message).toContain('acme-payments-payments-ingestion');
    // Nothing was claimed: the same event delivered again starts the date.
    delete lasting.faults;
    sim.start(DISPATCH, dispatch!.input as Record<string, unknown>, { at: '2026-11-25T05:00:00Z', name: 'redelivery' });
    await sim.runUntilIdle();
    result = await sim.result();
    expect(executionsOf(result, INGESTION).map((e) => [e.name, e.status])).toEqual([[NAME, 'SUCCEEDED']]);
  });

  it('names executions of non-canonical logical dates without : or .', async () => {
    const result = await simulate({ buildDir: build.dir, scenario: { start: [{ workflow: MIGRATION, logical_date: '2026-11-25T00:00:00.250Z' }] } });
    const [run] = executionsOf(result, INGESTION);
    expect(run?.status).toBe('SUCCEEDED');
    const logical = (executionsOf(result, MIGRATION)[0]!.output as { run: { logical_date: string } }).run.logical_date;
    expect(logical).toContain('.');
    expect(run!.name).toMatch(/^\d{4}-\d\d-\d\d-[0-9a-f]{40}$/);
    // The CLI's run and backfill name executions the same way.
    expect(run!.name).toBe(executionName(logical));
  });
});
