import { describe, expect, it } from 'vitest';
import { formatTimeline, simulate, Simulator } from '../../src/simulator/index.ts';
import { arnOf, makeBuild, PASS_MACHINE } from './fixture.ts';
import type { ScheduleDefinition } from '../../src/build/types.ts';
import {
  CONVERT_JOB,
  CONVERT_JOB_PATH,
  DATASYNC_MACHINE,
  DOUBLE_START_MACHINE,
  DOWNSTREAM_MACHINE,
  EMR_WATERMARK_MACHINE,
  FAILING_MACHINE,
} from './machines.ts';

const statusRule = (name: string, upstream: string, statuses: string[], target: object) => ({
  Name: name,
  Description: name,
  EventPattern: {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: statuses, stateMachineArn: [upstream] },
  },
  State: 'ENABLED' as const,
  Targets: [{ Id: 't', ...target } as never],
});

const migrationBuild = () =>
  makeBuild([{ useCase: 'orders', name: 'orders-migration', definition: EMR_WATERMARK_MACHINE, jobs: { [CONVERT_JOB_PATH]: CONVERT_JOB } }]);
const startMigration = [{ workflow: 'orders/orders-migration', logical_date: '2026-01-01' }];

describe('EMR Serverless job with a transient error', () => {
  it('retries the job after EMRServerless.InternalServerException, then records the watermark', async () => {
    const result = await simulate({
      buildDir: migrationBuild(),
      scenario: {
        start: startMigration,
        faults: { 'orders/orders-migration': { 'Convert orders': { error: 'EMRServerless.InternalServerException', cause: 'try again' } } },
        watermarks: { orders: '2025-12-31T23:59:00Z' },
      },
    });
    const [exec] = result.executions;
    expect(exec).toMatchObject({ status: 'SUCCEEDED', name: '2026-01-01T000000Z', trigger: { kind: 'manual' } });
    const kinds = result.timeline.filter((e) => e.state === 'Convert orders').map((e) => e.kind);
    expect(kinds).toEqual(['entered', 'failed', 'retried', 'succeeded']);
    expect(result.jobRuns).toHaveLength(1);
    expect(result.jobRuns[0]).toMatchObject({ job: CONVERT_JOB_PATH, steps: ['convert-orders', 'watermark-orders'], applicationId: '00fakeapp' });
    expect(result.dynamodb['ls-watermarks']).toEqual([
      { pk: { S: 'orders' }, watermark: { S: '2025-12-31T23:59:00Z' }, updated_by: { S: '2026-01-01T000000Z' } },
    ]);
    // 300 s job + 30 s retry interval, on the simulated clock.
    expect(exec?.stopTime).toBe('2026-01-01T00:05:30.000Z');
    expect(exec?.stateTransitions).toBe(3);
  });

  it('fails the execution once the retries are used up by an `always` fault', async () => {
    const result = await simulate({
      buildDir: migrationBuild(),
      scenario: {
        start: startMigration,
        faults: { 'orders/orders-migration': { 'Convert orders': { error: 'EMRServerless.InternalServerException', times: 'always' } } },
      },
    });
    expect(result.executions[0]).toMatchObject({ status: 'FAILED', error: 'EMRServerless.InternalServerException' });
    expect(result.timeline.filter((e) => e.kind === 'retried')).toHaveLength(3);
  });

  it('keeps a newer watermark: the conditional update is refused and caught', async () => {
    const result = await simulate({
      buildDir: migrationBuild(),
      scenario: {
        start: startMigration,
        dynamodb: { 'ls-watermarks': [{ pk: { S: 'orders' }, watermark: { S: '2030-01-01T00:00:00Z' } }] },
      },
    });
    expect(result.executions[0]?.status).toBe('SUCCEEDED');
    expect(result.timeline.find((e) => e.kind === 'caught')).toMatchObject({ state: 'Advance watermark', details: { error: 'DynamoDB.ConditionalCheckFailedException' } });
    expect(result.dynamodb['ls-watermarks']).toEqual([{ pk: { S: 'orders' }, watermark: { S: '2030-01-01T00:00:00Z' } }]);
    expect((result.executions[0]?.output as { kept: { Error: string } }).kept.Error).toBe('DynamoDB.ConditionalCheckFailedException');
  });
});

describe('DataSync transfer', () => {
  const build = () =>
    makeBuild([
      {
        useCase: 'orders',
        name: 'orders-transfer',
        definition: DATASYNC_MACHINE,
        datasync: [{ table: 'orders', placeholder: 'DataSyncTaskOrders', location: { hostname: 'nn', port: 8020, agentArns: [], subdirectory: '/w', simpleUser: 'hdfs' }, destination: 's3://x/' }],
      },
    ]);

  it('polls until SUCCESS, advancing the simulated clock by each wait', async () => {
    const result = await simulate({ buildDir: build(), scenario: { start: [{ workflow: 'orders/orders-transfer', logical_date: '2026-01-01' }] } });
    expect(result.executions[0]).toMatchObject({ status: 'SUCCEEDED', stopTime: '2026-01-01T00:01:00.000Z' });
    expect(result.timeline.filter((e) => e.kind === 'entered' && e.state === 'Describe transfer')).toHaveLength(6);
  });

  it('takes the ERROR path with the scenario error detail', async () => {
    const result = await simulate({
      buildDir: build(),
      scenario: {
        start: [{ workflow: 'orders/orders-transfer', logical_date: '2026-01-01' }],
        datasync: { orders: { status: 'ERROR', error_code: 'OpNotSupp', error_detail: 'HDFS NameNode unreachable', extra_polls: 2 } },
      },
    });
    expect(result.executions[0]).toMatchObject({ status: 'FAILED', error: 'DataSync.TransferFailed', cause: 'HDFS NameNode unreachable' });
    expect(result.timeline.filter((e) => e.kind === 'entered' && e.state === 'Describe transfer')).toHaveLength(7);
  });
});

describe('event bus', () => {
  it("routes the upstream's SUCCEEDED event once to the machine the platform rule targets, with the event as input", async () => {
    const upstream = arnOf('orders', 'orders-ingestion');
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'orders', name: 'orders-ingestion', definition: PASS_MACHINE }], {
        rule: statusRule('ls-lakestep-status', upstream, ['SUCCEEDED'], { Arn: 'arn:${Partition}:states:${Region}:${Account}:stateMachine:ls-lakestep-dispatcher' }),
        definition: DOWNSTREAM_MACHINE,
      }),
      scenario: { start: [{ workflow: 'orders/orders-ingestion', logical_date: '2026-01-01' }] },
    });
    expect(result.executions.map((e) => [e.workflow, e.status, e.trigger.kind])).toEqual([
      ['orders/orders-ingestion', 'SUCCEEDED', 'manual'],
      ['lakestep/dispatch', 'SUCCEEDED', 'event'],
    ]);
    expect(result.executions[1]?.output).toEqual({
      upstream: { trigger: 'manual', logical_date: '2026-01-01T00:00:00Z' },
      source: '2026-01-01T000000Z',
    });
    expect(result.timeline.filter((e) => e.kind === 'event-routed')).toHaveLength(1);
  });

  it('publishes one failure notification through the InputTransformer, and none on success', async () => {
    const failing = arnOf('orders', 'orders-report');
    const notify = statusRule('ls-orders-orders-report-failed', failing, ['FAILED', 'TIMED_OUT', 'ABORTED'], {
      Arn: '${NotificationTopicArn}',
      InputTransformer: {
        InputPathsMap: { name: '$.detail.name', status: '$.detail.status', error: '$.detail.error', sm: '$.detail.stateMachineArn' },
        InputTemplate: '"lakestep: <sm> execution <name> ended <status> (<error>)"',
      },
    });
    const build = makeBuild(
      [
        { useCase: 'orders', name: 'orders-report', definition: FAILING_MACHINE },
        { useCase: 'orders', name: 'orders-ok', definition: PASS_MACHINE },
      ],
      { rule: notify },
    );
    const result = await simulate({
      buildDir: build,
      scenario: { start: [{ workflow: 'orders/orders-report', logical_date: '2026-01-01' }, { workflow: 'orders/orders-ok', logical_date: '2026-01-01' }] },
    });
    expect(result.executions.map((e) => e.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(result.notifications).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        topicArn: 'arn:aws:sns:eu-west-1:123456789012:ls-alerts',
        message: '"lakestep: arn:aws:states:eu-west-1:123456789012:stateMachine:ls-orders-orders-report execution 2026-01-01T000000Z ended FAILED (Spark.JobFailed)"',
        via: 'rule',
        origin: 'ls-orders-orders-report-failed',
      },
    ]);
  });

  it('reports TIMED_OUT when simulated time passes TimeoutSeconds, and routes that status', async () => {
    const slow = { ...EMR_WATERMARK_MACHINE, TimeoutSeconds: 120 };
    const sm = arnOf('orders', 'orders-migration');
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'orders', name: 'orders-migration', definition: slow, jobs: { [CONVERT_JOB_PATH]: CONVERT_JOB } }], {
        rule: statusRule('notify', sm, ['TIMED_OUT'], { Arn: '${NotificationTopicArn}', Input: '"timed out"' }),
      }),
      scenario: { start: startMigration },
    });
    expect(result.executions[0]).toMatchObject({ status: 'TIMED_OUT', stopTime: '2026-01-01T00:02:00.000Z' });
    expect(result.notifications.map((n) => n.message)).toEqual(['"timed out"']);
  });

  it('times out inside a Wait that outlasts TimeoutSeconds: stopped at the timeout, the state after it never entered', async () => {
    const waiting = {
      TimeoutSeconds: 120,
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 3600, Next: 'After' }, After: { Type: 'Pass', End: true } },
    };
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'orders', name: 'orders-maintenance', definition: waiting }]),
      scenario: { start: [{ workflow: 'orders/orders-maintenance', logical_date: '2026-01-01' }] },
    });
    expect(result.executions[0]).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stopTime: '2026-01-01T00:02:00.000Z', stateTransitions: 1 });
    expect(result.timeline.filter((e) => e.kind === 'entered').map((e) => e.state)).toEqual(['Hold']);
  });
});

describe('schedules', () => {
  /** A Scheduler schedule invoking the schedule starter, the fire time as logical date (`trigger`). */
  const scheduled = (expression: string, convention: 'interval' | 'trigger' = 'trigger'): ScheduleDefinition => ({
    Name: `ls-orders-maint-${expression.replace(/\W+/g, '-')}`,
    GroupName: '${ScheduleGroupName}',
    Description: 'schedule',
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    Target: {
      Arn: '${ScheduleStarterArn}',
      RoleArn: '${SchedulerRoleArn}',
      Input: JSON.stringify({ state_machine_arn: arnOf('orders', 'orders-maintenance'), schedule: expression, logical_date: convention, scheduled_time: '<aws.scheduler.scheduled-time>' }),
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      DeadLetterConfig: { Arn: '${SchedulerDeadLetterArn}' },
    },
  });

  it('fires rate(1 day) and cron(0 3 * * ? *) the right number of times in the window, through the schedule starter', async () => {
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'orders', name: 'orders-maintenance', definition: PASS_MACHINE, schedules: [scheduled('rate(1 day)'), scheduled('cron(0 3 * * ? *)')] }]),
      scenario: { window: { start: '2026-01-01T00:00:00Z', end: '2026-01-04T00:00:00Z' } },
    });
    expect(result.executions.map((e) => [e.name, (e.input as { logical_date: string }).logical_date, e.startTime])).toEqual([
      ['2026-01-01T000000Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
      ['2026-01-01T030000Z', '2026-01-01T03:00:00Z', '2026-01-01T03:00:00.000Z'],
      ['2026-01-02T000000Z', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02T030000Z', '2026-01-02T03:00:00Z', '2026-01-02T03:00:00.000Z'],
      ['2026-01-03T000000Z', '2026-01-03T00:00:00Z', '2026-01-03T00:00:00.000Z'],
      ['2026-01-03T030000Z', '2026-01-03T03:00:00Z', '2026-01-03T03:00:00.000Z'],
    ]);
    // The starter's intervals: the period before each fire.
    expect((result.executions[2]!.input as { data_interval_start: string }).data_interval_start).toBe('2026-01-01T00:00:00Z');
    expect(result.executions.every((e) => e.status === 'SUCCEEDED' && e.trigger.kind === 'schedule')).toBe(true);
    expect(result.stats.executions).toBe(6);
  });

  it("starts nothing at a cron's first fire under the interval convention, and the first interval at the second (a year field that starts later)", async () => {
    const result = await simulate({
      buildDir: makeBuild([{ useCase: 'orders', name: 'orders-maintenance', definition: PASS_MACHINE, schedules: [scheduled('cron(0 6 * * ? 2027-2030)', 'interval')] }]),
      scenario: { window: { start: '2026-12-31T00:00:00Z', end: '2027-01-04T00:00:00Z' } },
    });
    // Before: the first fire ran [01-01 06:00, 01-01 06:00) under the name of 2027-01-01, and the second fire found
    // that name taken, so the interval [01-01 06:00, 01-02 06:00) was never run.
    const runs = result.executions.map((e) => {
      const input = e.input as { data_interval_start: string; data_interval_end: string };
      return [e.name, input.data_interval_start, input.data_interval_end, e.startTime];
    });
    expect(runs).toEqual([
      ['2027-01-01T060000Z', '2027-01-01T06:00:00Z', '2027-01-02T06:00:00Z', '2027-01-02T06:00:00.000Z'],
      ['2027-01-02T060000Z', '2027-01-02T06:00:00Z', '2027-01-03T06:00:00Z', '2027-01-03T06:00:00.000Z'],
    ]);
  });
});

describe('Step Functions startExecution', () => {
  it('refuses a duplicate execution name with StepFunctions.ExecutionAlreadyExistsException', async () => {
    const target = arnOf('orders', 'orders-upserts');
    const result = await simulate({
      buildDir: makeBuild([
        { useCase: 'orders', name: 'orders-upserts', definition: PASS_MACHINE },
        { useCase: 'orders', name: 'orders-gate', definition: DOUBLE_START_MACHINE(target) },
      ]),
      scenario: { start: [{ workflow: 'orders/orders-gate', logical_date: '2026-01-01' }] },
    });
    expect(result.executions.map((e) => [e.workflow, e.name, e.status])).toEqual([
      ['orders/orders-gate', '2026-01-01T000000Z', 'SUCCEEDED'],
      ['orders/orders-upserts', 'orders-2026-01-01', 'SUCCEEDED'],
    ]);
    expect((result.executions[0]?.output as { refused: { Error: string } }).refused.Error).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(result.executions[1]?.input).toEqual({ logical_date: '2026-01-01T00:00:00Z' });
  });

  it('refuses a duplicate manual start too', () => {
    const sim = new Simulator(makeBuild([{ useCase: 'orders', name: 'orders-ok', definition: PASS_MACHINE }]));
    sim.start('orders/orders-ok', { logical_date: '2026-01-01T00:00:00Z' });
    expect(() => sim.start('orders/orders-ok', { logical_date: '2026-01-01T00:00:00Z' })).toThrow(/Execution Already Exists/);
  });
});

describe('determinism and output', () => {
  it('gives the same result twice and renders a readable timeline', async () => {
    const run = () =>
      simulate({
        buildDir: migrationBuild(),
        scenario: { start: startMigration, faults: { 'orders/orders-migration': { 'Convert orders': { error: 'EMRServerless.InternalServerException' } } } },
      });
    const [a, b] = [await run(), await run()];
    expect(b.timeline).toEqual(a.timeline);
    expect(b.executions).toEqual(a.executions);
    const text = formatTimeline(a.timeline);
    expect(text).toContain('2026-01-01T00:00:00Z  orders/orders-migration  2026-01-01T000000Z  started');
    expect(text).toMatch(/retried\s+Convert orders \(attempt=1\)/);
    expect(a.stats.executionsPerSecond).toBeGreaterThan(0);
  });
});
