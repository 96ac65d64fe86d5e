/**
 * pause / resume / status / cancel against moto's server (an independent
 * implementation of the Scheduler, DynamoDB and Step Functions APIs), reached by the
 * ordinary SDK clients through a local endpoint. Run with `npm run test:aws-local`
 * (needs python3; the pinned moto virtualenv is created on first use).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, RouteDefinition, ScheduleDefinition } from '../../src/build/types.ts';
import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Io } from '../../src/cli/io.ts';
import { folderWithBuild, runCli } from '../cli/support.ts';
import { stoppedStatus } from './stopped.ts';
import { readJoins, upstreamsOf } from '../../src/ops/joins.ts';
import { manifestPlatform, manifestWith, manifestWorkflow } from '../helpers/manifest.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: ChildProcess | undefined;
let endpoint = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  const venv = execFileSync('bash', [join(repo, 'test/setup/python-env.sh'), 'moto'], { encoding: 'utf8' }).trim();
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(join(venv, 'bin/moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) {
        // moto runs the definitions of the executions it starts (a Wait keeps one RUNNING).
        const res = await fetch(`${endpoint}/moto-api/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
        if (!res.ok) throw new Error(`POST /moto-api/config answered ${res.status}`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not start on ${endpoint}`);
}, 600_000);

afterAll(() => {
  moto?.kill();
});

const sfn = () => new SFNClient({ region: REGION, endpoint, credentials });
const dynamodb = () => new DynamoDBClient({ region: REGION, endpoint, credentials });
/** moto has no job runs of these executions: an EMR Serverless client that answers nothing. */
const noJobRuns = () => ({ send: async () => ({}) }) as never;
const scheduler = () => new SchedulerClient({ region: REGION, endpoint, credentials });
const io = (): Partial<Io> => ({ sfn, dynamodb, scheduler, emr: noJobRuns, now: () => new Date('2026-11-25T09:00:00Z') });

const MACHINE = 'acme-orders-orders-ingestion';
const SCHEDULE: ScheduleDefinition = {
  Name: MACHINE,
  GroupName: '${ScheduleGroupName}',
  Description: 's',
  ScheduleExpression: 'cron(0/30 * * * ? *)',
  ScheduleExpressionTimezone: 'Europe/Lisbon',
  FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
  State: 'ENABLED',
  Target: {
    Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:acme-schedule-starter',
    RoleArn: 'arn:aws:iam::123456789012:role/acme-scheduler',
    Input: '{"scheduled_time":"<aws.scheduler.scheduled-time>"}',
    RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
    DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:acme-schedule-starter-dead-letters' },
  },
};
/** The route the dispatcher follows after orders-migration (what the use case's stack deploys). */
const ROUTE: RouteDefinition = {
  Name: `/lakestep/acme/after/acme-orders-orders-migration/${MACHINE}`,
  Type: 'String',
  Value: JSON.stringify({ key: 'orders/orders-ingestion', downstream: MACHINE, upstreams: 1 }),
  Description: 'd',
};
/** The gates table of `manifestPlatform()`, which holds the pause flags. */
const GATES = 'g';

function buildFolder(over: Partial<Manifest> = {}): string {
  const orders = { name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', { dependsOn: ['orders/orders-migration'], routes: [ROUTE], schedules: [SCHEDULE] })] };
  return folderWithBuild({ ...manifestWith([orders], { region: REGION }), ...over });
}

async function deployTriggers(): Promise<void> {
  await scheduler().send(new CreateScheduleGroupCommand({ Name: 'acme' }));
  await scheduler().send(new CreateScheduleCommand({ ...SCHEDULE, GroupName: 'acme' }));
  await dynamodb().send(
    new CreateTableCommand({
      TableName: GATES,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }),
  );
}

/** The pause flag the dispatcher reads before it records an upstream's success for the dag. */
const pauseFlag = async () => (await dynamodb().send(new GetItemCommand({ TableName: GATES, Key: { pk: { S: 'lakestep/paused' }, sk: { S: 'orders/orders-ingestion' } }, ConsistentRead: true }))).Item;
const schedule = async () => scheduler().send(new GetScheduleCommand({ Name: MACHINE, GroupName: 'acme' }));

describe('operator commands on moto', () => {
  it('pause disables the schedule (keeping its time zone, window, target) and sets the pause flag of its dependencies, status reports paused, resume undoes both', async () => {
    await deployTriggers();
    await sfn().send(new CreateStateMachineCommand({ name: MACHINE, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }));
    const dir = buildFolder();

    const paused = await runCli(['pause', 'orders/orders-ingestion'], dir, io());
    expect(paused.err).toBe('');
    expect(paused.code).toBe(0);
    const paused_ = await schedule();
    expect(paused_).toMatchObject({ State: 'DISABLED', ScheduleExpression: 'cron(0/30 * * * ? *)', ScheduleExpressionTimezone: 'Europe/Lisbon', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
    expect(paused_.Target).toMatchObject({ Arn: SCHEDULE.Target.Arn, Input: SCHEDULE.Target.Input, RetryPolicy: SCHEDULE.Target.RetryPolicy, DeadLetterConfig: SCHEDULE.Target.DeadLetterConfig });
    const flag = await pauseFlag();
    expect(flag?.paused_at?.S).toMatch(/^\d{4}-\d\d-\d\dT/);

    const status = await runCli(['status', 'orders/orders-ingestion'], dir, io());
    expect(status.code).toBe(0);
    expect(status.out).toContain(`triggers: paused (${MACHINE} DISABLED; after orders/orders-migration DISABLED since ${flag!.paused_at!.S})`);

    const again = await runCli(['pause', 'orders/orders-ingestion'], dir, io());
    expect(again.out).toContain('orders/orders-ingestion paused: 0 of 2 trigger(s) changed');

    const resumed = await runCli(['resume', 'orders/orders-ingestion'], dir, io());
    expect(resumed.code).toBe(0);
    expect((await schedule()).State).toBe('ENABLED');
    expect(await pauseFlag()).toBeUndefined();
    expect((await runCli(['status', 'orders/orders-ingestion'], dir, io())).out).toMatch(/^triggers: active \(/m);
  });

  it("status reads a max_active_runs dag's gate as its runs read it, from moto's ListExecutions of the running executions", async () => {
    const name = 'acme-orders-orders-gated';
    const client = sfn();
    const machine = await client.send(new CreateStateMachineCommand({ name, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }));
    const started: string[] = [];
    for (const run of ['a', 'b', 'c']) {
      started.push((await client.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, name: run }))).executionArn!);
      await new Promise((r) => setTimeout(r, 50));
    }
    const gated = { name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-gated', { maxActiveRuns: 1 })] };
    const dir = folderWithBuild(manifestWith([gated], { region: REGION }));
    const status = await runCli(['status', 'orders/orders-gated'], dir, io());
    expect(status.err).toBe('');
    // The earliest works; the two after it wait in the gate.
    expect(status.out).toContain('max_active_runs 1: 3 running, 2 waiting for an earlier run to end (c, b)');
    for (const arn of started) await client.send(new StopExecutionCommand({ executionArn: arn }));
    expect((await runCli(['status', 'orders/orders-gated'], dir, io())).out).toContain('max_active_runs 1: 0 running');
  });

  it('checks and status read the run record and the publish time from DynamoDB (Query, GetItem)', async () => {
    const ddb = dynamodb();
    const key = (names: string[]) => names.map((n, i) => ({ AttributeName: n, KeyType: i ? ('RANGE' as const) : ('HASH' as const) }));
    const attrs = (names: string[]) => names.map((n) => ({ AttributeName: n, AttributeType: 'S' as const }));
    await ddb.send(new CreateTableCommand({ TableName: 'runs', KeySchema: key(['pk', 'sk']), AttributeDefinitions: attrs(['pk', 'sk']), BillingMode: 'PAY_PER_REQUEST' }));
    await ddb.send(new CreateTableCommand({ TableName: 'w', KeySchema: key(['pk']), AttributeDefinitions: attrs(['pk']), BillingMode: 'PAY_PER_REQUEST' }));
    const quality = { status: 'failed', attempts: 1, published: [], kept: [{ table: 'raw_orders.orders', branch: 'audit_x' }], checks: [{ table: 'raw_orders.orders', check: 'not_null(order_id)', kind: 'not_null', severity: 'error', status: 'failed', failing: 2 }] };
    for (const [name, summary, status] of [
      ['2026-11-24T000000Z', { quality: { ...quality, status: 'passed', checks: [{ ...quality.checks[0], status: 'passed', failing: 0 }] } }, 'SUCCEEDED'],
      ['2026-11-25T000000Z', { quality }, 'FAILED'],
      ['2026-11-25T000000Z-r1', {}, 'SUCCEEDED'],
    ] as const) {
      const date = `${name.slice(0, 10)}T00:00:00Z`;
      await ddb.send(new PutItemCommand({ TableName: 'runs', Item: { pk: { S: 'orders/orders-ingestion' }, sk: { S: `${date}#${name}` }, status: { S: status }, logical_date: { S: date }, finished_at: { S: `${date.slice(0, 11)}0${name.endsWith('r1') ? 2 : 1}:00:00Z` }, summary: { S: JSON.stringify(summary) } } }));
    }
    await ddb.send(new PutItemCommand({ TableName: 'w', Item: { pk: { S: 'published/raw_orders.orders' }, published_at: { S: '2026-11-24T01:00:00Z' } } }));
    const alarm = { name: 'a', table: 'raw_orders.orders', workflow: 'orders/orders-ingestion', namespace: 'Lakestep', metric: 'TablePublished', dimensions: {}, period: 60, evaluationPeriods: 60 };
    const m = { name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', {})], freshness: [{ ...alarm, level: 'warn' as const, afterSeconds: 7200 }, { ...alarm, level: 'error' as const, afterSeconds: 86_400 }] };
    const dir = buildFolder({ useCases: [m] });

    const failed = await runCli(['checks', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z'], dir, io());
    expect(failed.err).toBe('');
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/raw_orders\.orders +not_null\(order_id\) +error +failed +2/);
    // Newest by finish time: the rerun, which audited nothing.
    const newest = await runCli(['checks', 'orders/orders-ingestion'], dir, io());
    expect(newest.out).toContain('execution 2026-11-25T000000Z-r1 (logical date 2026-11-25T00:00:00Z): SUCCEEDED\nno quality checks in this run');

    await sfn().send(new CreateStateMachineCommand({ name: MACHINE, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) })).catch(() => undefined);
    const status = await runCli(['status', 'orders/orders-ingestion'], dir, io());
    expect(status.err).toBe('');
    expect(status.out).toContain('checks: none in the last run record');
    // 32 hours since the publish: past error_after 1 day.
    expect(status.out).toMatch(/raw_orders\.orders +error +1d 08h +2026-11-24T01:00:00Z +warn 2h 00m, error 1d 00h/);
  });

  it('status <use-case> reads every dag: a failed one with its cause, a paused schedule, one not deployed (with and without --account)', async () => {
    const client = sfn();
    const ddb = dynamodb();
    const create = async (input: ConstructorParameters<typeof CreateTableCommand>[0]) => ddb.send(new CreateTableCommand(input)).catch((e: Error) => (e.name === 'ResourceInUseException' ? undefined : Promise.reject(e)));
    const keys = (names: string[]) => ({ KeySchema: names.map((n, i) => ({ AttributeName: n, KeyType: i ? ('RANGE' as const) : ('HASH' as const) })), AttributeDefinitions: names.map((n) => ({ AttributeName: n, AttributeType: 'S' as const })), BillingMode: 'PAY_PER_REQUEST' as const });
    await create({ TableName: 'runs', ...keys(['pk', 'sk']) });
    await create({ TableName: 'w', ...keys(['pk']) });
    await create({ TableName: GATES, ...keys(['pk', 'sk']) });
    await scheduler().send(new CreateScheduleGroupCommand({ Name: 'acme' })).catch((e: Error) => (e.name === 'ConflictException' ? undefined : Promise.reject(e)));
    const roleArn = 'arn:aws:iam::123456789012:role/sfn';
    const failing = JSON.stringify({ StartAt: 'Load', States: { Load: { Type: 'Pass', Next: 'Failed' }, Failed: { Type: 'Fail', Error: 'Spark.JobFailed', Cause: 'driver lost\n\u001b[2Jcleared' } } });
    const load = await client.send(new CreateStateMachineCommand({ name: 'acme-sales-sales-load', roleArn, definition: failing }));
    const report = await client.send(new CreateStateMachineCommand({ name: 'acme-sales-sales-report', roleArn, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) }));
    const loaded = await client.send(new StartExecutionCommand({ stateMachineArn: load.stateMachineArn, name: '2026-11-25T000000Z' }));
    const reported = await client.send(new StartExecutionCommand({ stateMachineArn: report.stateMachineArn, name: '2026-11-25T060000Z' }));
    expect(await stoppedStatus(client, loaded.executionArn!)).toBe('FAILED');
    expect(await stoppedStatus(client, reported.executionArn!)).toBe('SUCCEEDED');
    const reportSchedule = { ...SCHEDULE, Name: 'acme-sales-sales-report' };
    await scheduler().send(new CreateScheduleCommand({ ...reportSchedule, GroupName: 'acme', State: 'DISABLED' }));
    const quality = { status: 'failed', checks: [{ table: 'sales.orders', check: 'not_null(id)', kind: 'not_null', severity: 'error', status: 'failed', failing: 4 }] };
    await ddb.send(new PutItemCommand({ TableName: 'runs', Item: { pk: { S: 'sales/sales-load' }, sk: { S: '2026-11-25T00:00:00Z#2026-11-25T000000Z' }, status: { S: 'FAILED' }, finished_at: { S: '2026-11-25T00:01:00Z' }, summary: { S: JSON.stringify({ quality }) } } }));
    await ddb.send(new PutItemCommand({ TableName: 'w', Item: { pk: { S: 'published/sales.orders' }, published_at: { S: '2026-11-25T08:00:00Z' } } }));
    // Its join of the next day: the gate entry opened by another upstream's success, its own upstream not in yet.
    await ddb.send(new PutItemCommand({ TableName: GATES, Item: { pk: { S: 'sales/sales-load' }, sk: { S: '2026-11-26T00:00:00Z' }, done: { SS: ['arn:aws:states:eu-west-1:123456789012:stateMachine:acme-x-y'] }, expires_ms: { N: String(Date.now() + 3_600_000) } } }));
    const alarm = { name: 'a', table: 'sales.orders', workflow: 'sales/sales-load', namespace: 'Lakestep', metric: 'TablePublished', dimensions: {}, period: 60, evaluationPeriods: 60, level: 'error' as const, afterSeconds: 7200 };
    const sales = {
      name: 'sales',
      owner: 's@example.com',
      specHash: 'h',
      files: [],
      workflows: [
        manifestWorkflow('sales', 'sales-load', { dependsOn: ['orders/orders-ingestion'], routes: [ROUTE] }),
        manifestWorkflow('sales', 'sales-report', { schedules: [reportSchedule] }),
        manifestWorkflow('sales', 'sales-archive'),
      ],
      freshness: [alarm],
    };
    const dir = buildFolder({ useCases: [sales] });

    for (const argv of [['status', 'sales'], ['status', 'sales', '--account', '123456789012']]) {
      const r = await runCli(argv, dir, io());
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out.split('\n')[0]).toBe('sales (owner s@example.com): 3 dag(s) in eu-west-1 — 1 failed, 1 paused, 1 with failed checks, 1 waiting for upstreams, 1 not deployed');
      expect(r.out).toMatch(/^sales-load +active +2026-11-26 waits for orders\/orders-migration +2026-11-25T000000Z +FAILED +\S+ +\d+s +1 failed +ok \(1 table\)$/m);
      expect(r.out).toMatch(/^sales-report +paused +2026-11-25T060000Z +SUCCEEDED /m);
      expect(r.out).toMatch(/^sales-archive +by hand only +not deployed$/m);
      expect(r.out).toContain('sales/sales-load 2026-11-25T000000Z: Failed / Spark.JobFailed: driver lost \\x1b[2Jcleared');
    }

    // The whole use case paused and resumed: the schedule and the pause flag on moto's Scheduler and DynamoDB.
    const salesFlag = async () => (await ddb.send(new GetItemCommand({ TableName: GATES, Key: { pk: { S: 'lakestep/paused' }, sk: { S: 'sales/sales-load' } }, ConsistentRead: true }))).Item;
    const reportState = async () => (await scheduler().send(new GetScheduleCommand({ Name: 'acme-sales-sales-report', GroupName: 'acme' }))).State;
    const resumed = await runCli(['resume', 'sales'], dir, io());
    expect(resumed.code).toBe(0);
    expect(resumed.out.split('\n').at(-1)).toBe('sales resumed: 1 of 2 trigger(s) of 2 dag(s) changed');
    expect(await reportState()).toBe('ENABLED');
    // Enabled again, its cron(0/30 * * * ? *) fires next at 09:30 (now is 09:00).
    expect((await runCli(['status', 'sales'], dir, io())).out).toMatch(/^sales-report +active +2026-11-25T09:30:00Z +2026-11-25T060000Z +SUCCEEDED /m);
    const paused = await runCli(['pause', 'sales'], dir, io());
    expect(paused.code).toBe(0);
    expect(paused.out.split('\n').at(-1)).toBe('sales paused: 2 of 2 trigger(s) of 2 dag(s) changed');
    expect(await reportState()).toBe('DISABLED');
    expect((await salesFlag())?.paused_at?.S).toBe('2026-11-25T09:00:00.000Z');
    const after = await runCli(['status', 'sales'], dir, io());
    expect(after.out).toMatch(/^sales-load +paused /m);
    expect(after.out).toMatch(/^sales-report +paused /m);
  });

  it('status of a quarantined use case finds its deployed machines by name and by the tags its stack gave them', async () => {
    const client = sfn();
    const roleArn = 'arn:aws:iam::123456789012:role/sfn';
    const pass = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const tags = (platform: string, dag: string) => [{ key: 'lakestep:platform', value: platform }, { key: 'lakestep:use-case', value: 'refunds' }, { key: 'lakestep:dag', value: dag }];
    const load = await client.send(new CreateStateMachineCommand({ name: 'acme-refunds-refunds-load', roleArn, definition: pass, tags: tags('acme', 'refunds-load') }));
    // Another platform's machine (prefix acme-refunds, use case refunds) whose name starts the same way.
    await client.send(new CreateStateMachineCommand({ name: 'acme-refunds-refunds-other', roleArn, definition: pass, tags: tags('acme-refunds', 'other') }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: load.stateMachineArn, name: '2026-11-25T000000Z' }));
    expect(await stoppedStatus(client, executionArn!)).toBe('SUCCEEDED');
    const diagnostics = [{ code: 'SCHEMA_UNKNOWN_FIELD', severity: 'error' as const, message: 'unknown field "shedule"', file: 'refunds/orchestration.yaml', line: 4, column: 5, pointer: '/dags/0/shedule', useCase: 'refunds' }];
    const dir = buildFolder({ quarantined: [{ useCase: 'refunds', diagnostics }] });
    const r = await runCli(['status', 'refunds'], dir, io());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('refunds is quarantined: its specs have 1 error(s) (first: refunds/orchestration.yaml:4:5 SCHEMA_UNKNOWN_FIELD unknown field "shedule"); what runs is its last good deployment, 1 state machine(s) in eu-west-1');
    expect(r.out).toMatch(/^refunds-load +unknown +2026-11-25T000000Z +SUCCEEDED /m);
    expect(r.out).not.toContain('other');
  });

  it("run and backfill take the attempts Step Functions no longer keeps from the runs table (moto's Query BETWEEN over the days)", async () => {
    const ddb = dynamodb();
    await ddb
      .send(new CreateTableCommand({ TableName: 'runs', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: ['pk', 'sk'].map((n) => ({ AttributeName: n, AttributeType: 'S' as const })) }))
      .catch((e: Error) => (e.name === 'ResourceInUseException' ? undefined : Promise.reject(e)));
    // Records as Record success / Record failure write them; Step Functions has no execution of these dates.
    const record = async (ref: string, day: string, name: string, status: string) =>
      ddb.send(
        new PutItemCommand({
          TableName: 'runs',
          Item: {
            pk: { S: ref },
            sk: { S: `${day}T06:00:00Z#${name}` },
            status: { S: status },
            logical_date: { S: `${day}T06:00:00Z` },
            trigger: { S: 'schedule' },
            started_at: { S: `${day}T06:00:01Z` },
            finished_at: { S: `${day}T06:20:00Z` },
            summary: { S: JSON.stringify({ big: 'x'.repeat(2000) }) },
          },
        }),
      );
    await record('history/history-daily', '2025-03-01', '2025-03-01T060000Z', 'SUCCEEDED');
    await record('history/history-daily', '2025-03-02', '2025-03-02T060000Z', 'FAILED');
    // Another dag's run of the same day, and this dag's runs of the days around the range.
    await record('history/other-daily', '2025-03-03', '2025-03-03T060000Z', 'SUCCEEDED');
    await record('history/history-daily', '2025-02-28', '2025-02-28T060000Z', 'FAILED');
    await record('history/history-daily', '2025-03-04', '2025-03-04T060000Z', 'FAILED');
    const timetable = { schedule: 'cron(0 6 * * ? *)', timezone: 'UTC', logicalDate: 'interval' as const };
    const workflows = ['history-daily', 'other-daily'].map((dag) => manifestWorkflow('history', dag, { schedule: timetable.schedule, timetable }));
    const dir = buildFolder({ useCases: [{ name: 'history', owner: 'h@example.com', specHash: 'h', files: [], workflows }] });
    const machine = workflows[0]!.stateMachineName;
    await sfn().send(new CreateStateMachineCommand({ name: machine, roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }));

    const plan = await runCli(['backfill', 'history/history-daily', '--from', '2025-03-01', '--to', '2025-03-03', '--reprocess', 'failed', '--dry-run'], dir, io());
    expect(plan.err).toBe('');
    expect(plan.out.split('\n').slice(1, 5)).toEqual([
      '  2025-03-01T06:00:00Z  [2025-03-01T06:00:00Z, 2025-03-02T06:00:00Z)  already ran (SUCCEEDED at 2025-03-01T06:20:00Z, from the runs table): 2025-03-01T060000Z',
      '  2025-03-02T06:00:00Z  [2025-03-02T06:00:00Z, 2025-03-03T06:00:00Z)  would rerun as 2025-03-02T060000Z_a2 (attempt 2; attempt 1 ran (FAILED at 2025-03-02T06:20:00Z, from the runs table))',
      '  2025-03-03T06:00:00Z  [2025-03-03T06:00:00Z, 2025-03-04T06:00:00Z)  would run as 2025-03-03T060000Z',
      'dry run: 2 would start, 1 skipped; nothing was started',
    ]);

    const run = await runCli(['run', 'history/history-daily', '--date', '2025-03-01'], dir, io());
    expect(run.out).toContain('already ran (SUCCEEDED at 2025-03-01T06:20:00Z, from the runs table): 2025-03-01T060000Z');
    const rerun = await runCli(['run', 'history/history-daily', '--date', '2025-03-02', '--rerun'], dir, io());
    expect(rerun.out).toContain('started 2025-03-02T060000Z_a2 (attempt 2; attempt 1 ran (FAILED at 2025-03-02T06:20:00Z, from the runs table))');
    const started = await sfn().send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:123456789012:execution:${machine}:2025-03-02T060000Z_a2` }));
    expect(started.status).toBe('RUNNING');
    expect(JSON.parse(started.input ?? '{}')).toMatchObject({ logical_date: '2025-03-02T06:00:00Z', attempt: 2, trigger: 'manual' });
  });

  it("backfill --status lists the dag's detached backfills, newest first, and what became of each run they were handed (moto's ListExecutions and DescribeExecution)", async () => {
    const client = sfn();
    const role = 'arn:aws:iam::123456789012:role/sfn';
    const timetable = { schedule: 'cron(0 0 * * ? *)', timezone: 'UTC', logicalDate: 'interval' as const };
    const workflows = ['bfs-daily', 'bfs-other'].map((dag) => manifestWorkflow('bfs', dag, { schedule: timetable.schedule, timetable }));
    const dir = buildFolder({ useCases: [{ name: 'bfs', owner: 'b@example.com', specHash: 'h', files: [], workflows }], machines: { backfill: { stateMachineName: 'acme-lakestep-backfill', definition: 'lakestep/backfill.asl.json' } } });
    // The dag's runs: the 2nd day fails, the 3rd keeps running, the others succeed.
    const day = (d: number) => `2026-11-0${d}T00:00:00Z`;
    const dag = await client.send(
      new CreateStateMachineCommand({
        name: workflows[0]!.stateMachineName,
        roleArn: role,
        definition: JSON.stringify({
          StartAt: 'Which',
          States: {
            Which: { Type: 'Choice', Choices: [{ Variable: '$.logical_date', StringEquals: day(2), Next: 'Fail' }, { Variable: '$.logical_date', StringEquals: day(3), Next: 'Wait' }], Default: 'Done' },
            Fail: { Type: 'Fail', Error: 'Spark.JobFailed', Cause: 'lost executor' },
            Wait: { Type: 'Wait', Seconds: 3600, End: true },
            Done: { Type: 'Pass', End: true },
          },
        }),
      }),
    );
    // moto does not run a Distributed Map's item processor: the backfill machine waits, its runs are started here by name.
    const backfills = await client.send(new CreateStateMachineCommand({ name: 'acme-lakestep-backfill', roleArn: role, definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }) }));
    const detach = async (name: string, machine: string, days: (number | string)[]) =>
      client.send(
        new StartExecutionCommand({
          stateMachineArn: backfills.stateMachineArn,
          name,
          input: JSON.stringify({
            state_machine_arn: machine,
            max_concurrency: 2,
            // A row per run, as backfill --detach hands them: [name, logical_date, data_interval_start, data_interval_end, prev_ds, next_ds, attempt].
            runs: days.map((d) => (typeof d === 'number' ? day(d) : d)).map((date) => [date.replaceAll(':', ''), date, date, date, '', '', 1]),
          }),
        }),
      );
    // Stopped before it started its runs.
    const older = await detach('bfs-bfs-daily_2026-10-01_2026-10-02_20261120T000000Z', dag.stateMachineArn!, ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z']);
    await client.send(new StopExecutionCommand({ executionArn: older.executionArn }));
    await new Promise((r) => setTimeout(r, 1100));
    await detach('bfs-bfs-other_2026-11-01_2026-11-04_20261125T000000Z', dag.stateMachineArn!.replace('bfs-daily', 'bfs-other'), [1]);
    // Named as the dag's, but its runs are another machine's: not this dag's backfill.
    await detach('bfs-bfs-daily_2026-11-01_2026-11-01_20261125T000001Z', dag.stateMachineArn!.replace('bfs-daily', 'bfs-other'), [1]);
    await new Promise((r) => setTimeout(r, 1100));
    const newer = await detach('bfs-bfs-daily_2026-11-01_2026-11-04_20261125T000002Z', dag.stateMachineArn!, [1, 2, 3, 4]);
    for (const d of [1, 2, 3]) await client.send(new StartExecutionCommand({ stateMachineArn: dag.stateMachineArn, name: `2026-11-0${d}T000000Z`, input: JSON.stringify({ logical_date: day(d) }) }));
    await new Promise((r) => setTimeout(r, 1500));

    const r = await runCli(['backfill', 'bfs/bfs-daily', '--status'], dir, io());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`bfs/bfs-daily: the 2 newest detached backfill(s) on ${backfills.stateMachineArn}`);
    expect(lines[1]).toMatch(/^  bfs-bfs-daily_2026-11-01_2026-11-04_20261125T000002Z {2}RUNNING since \d{4}-/);
    expect(lines.slice(2, 4)).toEqual(['    2026-11-01..2026-11-04, 4 run(s), at most 2 at a time: 1 succeeded, 1 failed, 1 running, 1 pending', '    FAILED: 2026-11-02T000000Z (Spark.JobFailed)']);
    expect(lines[4]).toMatch(/^  bfs-bfs-daily_2026-10-01_2026-10-02_20261120T000000Z {2}ABORTED \S+ to \S+$/);
    expect(lines[5]).toBe('    2026-10-01..2026-10-02, 2 run(s), at most 2 at a time: 2 not started');

    const json = await runCli(['backfill', 'bfs/bfs-daily', '--status', '--limit', '1', '--json'], dir, io());
    const parsed = JSON.parse(json.out) as { backfills: { executionArn: string; runs: { name: string; state: string }[] }[] };
    expect(parsed.backfills.map((b) => b.executionArn)).toEqual([newer.executionArn]);
    expect(parsed.backfills[0]!.runs.map((x) => [x.name, x.state])).toEqual([
      ['2026-11-01T000000Z', 'succeeded'],
      ['2026-11-02T000000Z', 'failed'],
      ['2026-11-03T000000Z', 'running'],
      ['2026-11-04T000000Z', 'pending'],
    ]);
  });

  it('cancel stops a running execution found through ListStateMachines', async () => {
    // 2026-11-25 has run records (checks and status): its run is not started again.
    const dir = buildFolder();
    const machines = await runCli(['run', 'orders/orders-ingestion', '--date', '2026-11-23'], dir, io());
    expect(machines.code).toBe(0);
    expect(machines.out).toContain('started 2026-11-23T000000Z');
    const arn = `arn:aws:states:${REGION}:123456789012:execution:${MACHINE}:2026-11-23T000000Z`;
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

    const r = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-23T000000Z'], dir, io());
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toBe('orders/orders-ingestion: stopped execution 2026-11-23T000000Z');
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');

    const twice = await runCli(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-23T000000Z'], dir, io());
    expect(twice.out.split('\n')[0]).toBe('orders/orders-ingestion: execution 2026-11-23T000000Z was not running (ABORTED): nothing to stop');
  });

  it('reaches the endpoint AWS_ENDPOINT_URL names with its default clients (no test hook), as the README says', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    delete process.env.AWS_PROFILE;
    try {
      const r = await runCli(['status', 'orders/orders-ingestion'], buildFolder());
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^triggers: active \(/m);
      expect(r.out).toContain('2026-11-23T000000Z');
    } finally {
      process.env = saved;
    }
  });

  it("status's joins: the newest gate entries of a dag, newest logical date first, from moto's DynamoDB Query", async () => {
    const ddb = dynamodb();
    const arn = (name: string) => `arn:aws:states:${REGION}:123456789012:stateMachine:${name}`;
    // Gate entries as the dispatcher writes them (shape checked on the simulator's, which moto's equal: test/simulator/platform-events.test.ts).
    for (let day = 1; day <= 7; day++) {
      const date = `2026-11-${String(day).padStart(2, '0')}T00:00:00Z`;
      await ddb.send(
        new PutItemCommand({
          TableName: GATES,
          Item: {
            pk: { S: 'joins/report' },
            sk: { S: date },
            done: { SS: day === 7 ? [arn('acme-joins-load')] : [arn('acme-joins-load'), arn('acme-other-feed')] },
            expires_ms: { N: String(Date.parse(date) + 86_400_000) },
            ...(day === 7 ? {} : { started: { BOOL: true } }),
          },
        }),
      );
    }
    // Another dag's entry, and the pause flag, in the same table: not read.
    await ddb.send(new PutItemCommand({ TableName: GATES, Item: { pk: { S: 'joins/other' }, sk: { S: '2026-11-30T00:00:00Z' }, done: { SS: [arn('x')] } } }));
    const route = (up: string): RouteDefinition => ({ Name: `/lakestep/acme/after/${up}/acme-joins-report`, Type: 'String', Value: '{}', Description: 'd' });
    const upstreams = upstreamsOf({ platform: manifestPlatform() }, { routes: [route('acme-joins-load'), route('acme-other-feed')] });
    const joins = await readJoins(ddb, GATES, 'joins/report', upstreams, new Date('2026-11-07T12:00:00Z'));
    expect(joins.map((j) => j.logicalDate)).toEqual(['2026-11-07T00:00:00Z', '2026-11-06T00:00:00Z', '2026-11-05T00:00:00Z', '2026-11-04T00:00:00Z', '2026-11-03T00:00:00Z']);
    expect(joins[0]).toEqual({ logicalDate: '2026-11-07T00:00:00Z', succeeded: ['joins/load'], waitingFor: ['other/feed'], started: false, windowCloses: '2026-11-08T00:00:00Z', expired: false });
    expect(joins[1]).toMatchObject({ succeeded: ['joins/load', 'other/feed'], waitingFor: [], started: true });
  });

  it('an unknown execution is reported as such by the real API error', async () => {
    await sfn().send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:${REGION}:123456789012:stateMachine:${MACHINE}`, name: 'warm-up' }));
    const r = await runCli(['logs', 'orders/orders-ingestion', '--execution', 'nope'], buildFolder(), io());
    expect(r).toMatchObject({ code: 1, err: 'lakestep logs: orders/orders-ingestion has no execution "nope": `lakestep status orders/orders-ingestion` lists them' });
  });
});
