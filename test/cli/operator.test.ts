/**
 * pause / resume / logs / cancel through `cli()` with mocked Scheduler, DynamoDB, Step
 * Functions and EMR Serverless clients: argv → API calls → printed output.
 */
import { CancelJobRunCommand, EMRServerlessClient, GetDashboardForJobRunCommand, GetJobRunCommand } from '@aws-sdk/client-emr-serverless';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ExecutionDoesNotExist, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StopExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import type { ScheduleDefinition } from '../../src/build/types.ts';
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { manifestWith, manifestWorkflow } from '../helpers/manifest.ts';
import { folderWithBuild, runCli } from './support.ts';

const ACCOUNT = '123456789012';
const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:acme-orders-orders-ingestion`;
const EXEC = `${MACHINE.replace(':stateMachine:', ':execution:')}:2026-11-25T000000Z`;
const APP = '00fabc123def4567';
const NOW = new Date('2026-11-25T01:00:00Z');

const SCHEDULE: ScheduleDefinition = {
  Name: 'acme-orders-orders-ingestion',
  GroupName: '${ScheduleGroupName}',
  Description: 'd',
  ScheduleExpression: 'cron(0/30 * * * ? *)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  State: 'ENABLED',
  Target: { Arn: '${ScheduleStarterArn}', RoleArn: '${SchedulerRoleArn}', Input: '{}', RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 }, DeadLetterConfig: { Arn: '${SchedulerDeadLetterArn}' } },
};
/** What GetSchedule answers for the deployed schedule. */
const deployed = (State: 'ENABLED' | 'DISABLED') => ({
  Name: SCHEDULE.Name,
  GroupName: 'acme',
  Description: 'd',
  ScheduleExpression: 'cron(0/30 * * * ? *)',
  ScheduleExpressionTimezone: 'Europe/Lisbon',
  FlexibleTimeWindow: { Mode: 'FLEXIBLE' as const, MaximumWindowInMinutes: 10 },
  State,
  Target: { Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:acme-schedule-starter', RoleArn: 'arn:aws:iam::123456789012:role/r', Input: '{"x":1}' },
});

const route = (up: string, down: string, upUc = 'orders') => ({
  Name: `/lakestep/acme/after/acme-${upUc}-${up}/acme-orders-${down}`,
  Type: 'String' as const,
  Value: JSON.stringify({ key: `orders/${down}`, downstream: `acme-orders-${down}`, upstreams: 1 }),
  Description: 'd',
});

function buildFolder(): string {
  const workflows = [
    manifestWorkflow('orders', 'orders-ingestion', { kind: 'ingestion', type: 'ingestion', dependsOn: ['orders/orders-migration'], routes: [route('orders-migration', 'orders-ingestion')], schedules: [SCHEDULE] }),
    manifestWorkflow('orders', 'orders-upserts', { kind: 'processing', dependsOn: ['orders/orders-ingestion', 'customers/customers-ingestion'], routes: [route('orders-ingestion', 'orders-upserts'), route('customers-ingestion', 'orders-upserts', 'customers')] }),
    manifestWorkflow('orders', 'orders-off', { enabled: false, dependsOn: ['orders/orders-ingestion'] }),
    manifestWorkflow('orders', 'orders-adhoc'),
  ];
  return folderWithBuild(manifestWith([{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows }]));
}

const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBClient);
const emr = mockClient(EMRServerlessClient);
const scheduler = mockClient(SchedulerClient);
/** The run records (Query) and publish times (GetItem) status reads: none unless a test says otherwise. */
let regions: string[] = [];
beforeEach(() => {
  sfn.reset();
  dynamodb.reset();
  dynamodb.on(QueryCommand).resolves({ Items: [] });
  dynamodb.on(GetItemCommand).resolves({});
  emr.reset();
  scheduler.reset();
  regions = [];
});

const io: Partial<Io> = {
  sfn: (region) => new SFNClient({ region }),
  scheduler: (region) => new SchedulerClient({ region }),
  dynamodb: (region) => (regions.push(region), new DynamoDBClient({ region })),
  emr: (region) => (regions.push(region), new EMRServerlessClient({ region })),
  now: () => NOW,
};
const ops = (argv: string[]) => runCli(argv, buildFolder(), io);

const FLAG = { pk: { S: 'lakestep/paused' }, sk: { S: 'orders/orders-ingestion' } };

describe('lakestep pause / resume', () => {
  it('pause disables the schedule (keeping every other field) and sets the pause flag the dispatcher reads, in the gates table', async () => {
    scheduler.on(GetScheduleCommand).resolves(deployed('ENABLED'));
    dynamodb.on(GetItemCommand).resolves({});
    const r = await ops(['pause', 'orders/orders-ingestion']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(scheduler.commandCalls(GetScheduleCommand)[0]?.args[0].input).toEqual({ Name: 'acme-orders-orders-ingestion', GroupName: 'acme' });
    const { GroupName: _g, Name: _n, ...kept } = deployed('DISABLED');
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'acme-orders-orders-ingestion', GroupName: 'acme', ...kept }]);
    expect(dynamodb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'g', Key: FLAG, ConsistentRead: true }]);
    expect(dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'g', Item: { ...FLAG, paused_at: { S: NOW.toISOString() } } }]);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(0);
    expect(r.out).toMatch(/^schedule +acme-orders-orders-ingestion +DISABLED +changed$/m);
    expect(r.out).toMatch(/^dependencies +after orders\/orders-migration +DISABLED +changed$/m);
    expect(r.out).toContain('orders/orders-ingestion paused: 2 of 2 trigger(s) changed');
  });

  it('resume enables a disabled schedule and deletes the flag; exits 1 for a schedule that is not deployed', async () => {
    scheduler.on(GetScheduleCommand).rejects(new ResourceNotFoundException({ message: 'Schedule does not exist', Message: 'Schedule does not exist', $metadata: {} }));
    dynamodb.on(GetItemCommand).resolves({ Item: { ...FLAG, paused_at: { S: '2026-11-24T10:00:00.000Z' } } });
    const r = await ops(['resume', 'orders/orders-ingestion', '--json']);
    expect(r.code).toBe(1);
    expect(dynamodb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'g', Key: FLAG }]);
    expect(JSON.parse(r.out)).toMatchObject({
      action: 'resume',
      ok: false,
      rules: [
        { kind: 'schedule', name: 'acme-orders-orders-ingestion', state: 'MISSING', changed: false, error: 'schedule not deployed: run `npm run deploy`' },
        { kind: 'dependencies', state: 'ENABLED', changed: true },
      ],
    });
  });

  it('a dag the specs disable has no routes: resume does not pretend to enable its dependencies', async () => {
    dynamodb.on(GetItemCommand).resolves({});
    const r = await ops(['resume', 'orders/orders-off', '--json']);
    expect(r.code).toBe(1);
    expect(dynamodb.commandCalls(DeleteItemCommand)).toHaveLength(0);
    expect(JSON.parse(r.out).rules[0]).toMatchObject({ kind: 'dependencies', state: 'DISABLED', changed: false });
  });

  it('a dag without schedule or upstream says it only runs by hand', async () => {
    const r = await ops(['pause', 'orders/orders-adhoc']);
    expect(r).toMatchObject({ code: 0, out: 'orders/orders-adhoc has no schedule and no upstream: it only runs when started by hand' });
  });

  it('pause <use-case> pauses every dag with triggers: schedules disabled, pause flags set, a dag run by hand left alone', async () => {
    scheduler.on(GetScheduleCommand).resolves(deployed('ENABLED'));
    const r = await ops(['pause', 'orders']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => [c.args[0].input.Name, c.args[0].input.State])).toEqual([['acme-orders-orders-ingestion', 'DISABLED']]);
    // orders-off has no routes (enabled: false): its dependencies are already off, no flag written for it.
    expect(dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.sk?.S)).toEqual(['orders/orders-ingestion', 'orders/orders-upserts']);
    expect(r.out).toMatch(/^orders-ingestion +schedule +acme-orders-orders-ingestion +DISABLED +changed$/m);
    expect(r.out).toMatch(/^orders-off +dependencies +after orders\/orders-ingestion +DISABLED +unchanged$/m);
    expect(r.out).toContain('left as it is: orders/orders-adhoc (no schedule and no upstream: started by hand only)');
    expect(r.out.split('\n').at(-1)).toBe('orders paused: 3 of 4 trigger(s) of 3 dag(s) changed');
  });

  it('pause <use-case> without AWS credentials says so once, with the hint, before changing anything (exit 1)', async () => {
    scheduler.on(GetScheduleCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const r = await ops(['pause', 'orders']);
    expect(r.code).toBe(1);
    expect(r.err.match(/no AWS credentials: Could not load credentials from any providers/g)).toHaveLength(1);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('resume <use-case> resumes them but leaves a dag the specs disable as it is', async () => {
    scheduler.on(GetScheduleCommand).resolves(deployed('DISABLED'));
    dynamodb.on(GetItemCommand).resolves({ Item: { paused_at: { S: '2026-11-24T10:00:00.000Z' } } });
    const r = await ops(['resume', 'orders', '--json']);
    expect(r.code).toBe(0);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input.State)).toEqual(['ENABLED']);
    expect(dynamodb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key?.sk?.S)).toEqual(['orders/orders-ingestion', 'orders/orders-upserts']);
    const got = JSON.parse(r.out);
    expect(got.dags.map((d: { ref: string }) => d.ref)).toEqual(['orders/orders-ingestion', 'orders/orders-upserts']);
    expect(got.left).toEqual([
      { ref: 'orders/orders-off', why: 'the specs disable it (`enabled: false`)' },
      { ref: 'orders/orders-adhoc', why: 'no schedule and no upstream: started by hand only' },
    ]);
  });

  it('a dag whose triggers cannot be read does not stop the others; exit 1 names it', async () => {
    scheduler.on(GetScheduleCommand).rejects(Object.assign(new Error('not authorized to perform scheduler:GetSchedule'), { name: 'AccessDeniedException' }));
    const r = await ops(['pause', 'orders']);
    expect(r.code).toBe(1);
    expect(dynamodb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.sk?.S)).toEqual(['orders/orders-upserts']);
    expect(r.out).toContain('not paused: orders/orders-ingestion: its triggers could not be read (AccessDeniedException: not authorized to perform scheduler:GetSchedule)');
    expect(r.out.split('\n').at(-1)).toBe('orders: not every trigger could be paused (orders/orders-ingestion)');
  });

  it.each([
    [['pause'], 'pause needs a use case or a dag: lakestep pause <use-case>[/<dag>]'],
    [['resume', 'ordrs'], 'unknown use case "ordrs"; did you mean "orders"?'],
  ])('%j exits 2 before any AWS call', async (argv, message) => {
    const r = await ops(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(scheduler.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('status shows whether the dag is paused, and since when', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    scheduler.on(GetScheduleCommand).resolves(deployed('DISABLED'));
    dynamodb.on(GetItemCommand).resolves({ Item: { ...FLAG, paused_at: { S: '2026-11-24T10:00:00.000Z' } } });
    const r = await ops(['status', 'orders/orders-ingestion', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').at(-2)).toBe('triggers: paused (acme-orders-orders-ingestion DISABLED; after orders/orders-migration DISABLED since 2026-11-24T10:00:00.000Z)');
    // Its one upstream has no gate entry yet.
    expect(r.out.split('\n').at(-1)).toBe('joins: starts once orders/orders-migration succeeded for the same logical date; no upstream succeeded yet (no gate entry)');
    scheduler.on(GetScheduleCommand).resolves(deployed('ENABLED'));
    const partly = await ops(['status', 'orders/orders-ingestion', '--account', ACCOUNT, '--json']);
    expect(JSON.parse(partly.out).triggers.map((t: { state: string }) => t.state)).toEqual(['ENABLED', 'DISABLED']);
  });
});

describe('lakestep status: the joins of a dag with upstreams', () => {
  const machineArn = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;
  const gate = (date: string, done: string[], closes: string, started?: boolean) => ({
    pk: { S: 'orders/orders-upserts' },
    sk: { S: date },
    done: { SS: done.map(machineArn) },
    expires_ms: { N: String(Date.parse(closes)) },
    expires_at: { N: String(Date.parse(closes) / 1000 + 90_000) },
    ...(started === undefined ? {} : { started: { BOOL: started } }),
  });

  it('shows the newest gate entries of each logical date: waiting for an upstream, a window that closed, started, complete without a start', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    dynamodb.on(QueryCommand, { TableName: 'g' }).resolves({
      Items: [
        gate('2026-11-25T00:00:00Z', ['acme-orders-orders-ingestion'], '2026-11-25T06:00:00Z'),
        gate('2026-11-24T00:00:00Z', ['acme-customers-customers-ingestion'], '2026-11-24T06:00:00Z'),
        gate('2026-11-23T00:00:00Z', ['acme-orders-orders-ingestion', 'acme-customers-customers-ingestion'], '2026-11-23T06:00:00Z', true),
        gate('2026-11-22T00:00:00Z', ['acme-orders-orders-ingestion', 'acme-customers-customers-ingestion', 'acme-x-y\u001b[2J'], '2026-11-22T06:00:00Z'),
      ],
    });
    const r = await ops(['status', 'orders/orders-upserts', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    const query = dynamodb.commandCalls(QueryCommand).find((c) => c.args[0].input.TableName === 'g')!.args[0].input;
    expect(query).toMatchObject({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'orders/orders-upserts' } }, ScanIndexForward: false, Limit: 5 });
    const joins = r.out.slice(r.out.indexOf('joins:'));
    expect(joins.split('\n')[0]).toBe('joins: starts once orders/orders-ingestion and customers/customers-ingestion succeeded for the same logical date (newest 4):');
    expect(joins).toMatch(/^ *2026-11-25T00:00:00Z +waiting +orders\/orders-ingestion +customers\/customers-ingestion +2026-11-25T06:00:00Z$/m);
    expect(joins).toMatch(/^ *2026-11-24T00:00:00Z +window closed +customers\/customers-ingestion +orders\/orders-ingestion +2026-11-24T06:00:00Z$/m);
    expect(joins).toMatch(/^ *2026-11-23T00:00:00Z +started +customers\/customers-ingestion, orders\/orders-ingestion +- +2026-11-23T06:00:00Z$/m);
    // Every upstream succeeded, no start recorded; a machine that is no upstream (a route removed since, a hostile name) is named, escaped.
    expect(joins).toMatch(/^ *2026-11-22T00:00:00Z +complete, no start recorded +acme-x-y\\x1b\[2J, customers\/customers-ingestion, orders\/orders-ingestion +- +2026-11-22T06:00:00Z$/m);
    expect(joins).not.toContain('\u001b');
    const json = JSON.parse((await ops(['status', 'orders/orders-upserts', '--account', ACCOUNT, '--json'])).out);
    expect(json.joins.upstreams).toEqual([{ machine: 'acme-orders-orders-ingestion', ref: 'orders/orders-ingestion' }, { machine: 'acme-customers-customers-ingestion', ref: 'customers/customers-ingestion' }]);
    expect(json.joins.joins[2]).toEqual({ logicalDate: '2026-11-23T00:00:00Z', succeeded: ['customers/customers-ingestion', 'orders/orders-ingestion'], waitingFor: [], started: true, windowCloses: '2026-11-23T06:00:00Z', expired: false });
  });

  it('a gates table it may not read is one line; the rest of status still shows', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    dynamodb.on(QueryCommand, { TableName: 'g' }).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const r = await ops(['status', 'orders/orders-upserts', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').at(-1)).toBe('joins: unknown (AccessDeniedException: not allowed)');
    expect(r.out).toMatch(/^triggers: /m);
  });

  it('a dag without upstreams has no joins', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const r = await ops(['status', 'orders/orders-adhoc', '--account', ACCOUNT, '--json']);
    expect(JSON.parse(r.out).joins).toBeUndefined();
    expect(dynamodb.commandCalls(QueryCommand).filter((c) => c.args[0].input.TableName === 'g')).toHaveLength(0);
  });
});

/** History of an execution whose two EMR tasks ran: `Ingest` (failed) and `Stream` (still running). */
const HISTORY: HistoryEvent[] = [
  { id: 1, type: 'ExecutionStarted', timestamp: NOW },
  { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: NOW, stateEnteredEventDetails: { name: 'Stream page-views' } },
  { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: NOW, taskScheduledEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun', region: 'eu-west-1', parameters: '{}' } },
  { id: 4, previousEventId: 3, type: 'TaskSucceeded', timestamp: NOW, taskSucceededEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun', output: JSON.stringify({ ApplicationId: APP, JobRunId: 'run-stream', Arn: 'x' }) } },
  { id: 5, previousEventId: 4, type: 'TaskStateEntered', timestamp: NOW, stateEnteredEventDetails: { name: 'Ingest 2 source(s)' } },
  { id: 6, previousEventId: 5, type: 'TaskScheduled', timestamp: NOW, taskScheduledEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync', region: 'eu-west-1', parameters: '{}' } },
  { id: 7, previousEventId: 6, type: 'TaskStarted', timestamp: NOW, taskStartedEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync' } },
  { id: 8, previousEventId: 7, type: 'TaskSubmitted', timestamp: NOW, taskSubmittedEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync', output: JSON.stringify({ ApplicationId: APP, JobRunId: 'run-ingest', Arn: 'y' }) } },
  { id: 9, previousEventId: 8, type: 'TaskFailed', timestamp: NOW, taskFailedEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync', error: 'States.TaskFailed', cause: 'Job run failed' } },
  { id: 10, previousEventId: 9, type: 'ExecutionFailed', timestamp: NOW, executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'Job run failed' } },
];

function emrRuns(ingestState: string, streamState = 'RUNNING'): void {
  emr.on(GetJobRunCommand, { jobRunId: 'run-ingest' }).resolves({
    jobRun: {
      applicationId: APP,
      jobRunId: 'run-ingest',
      name: 'orders-ingestion-ingest',
      state: ingestState as never,
      stateDetails: 'Job failed: org.apache.spark.SparkException: Job aborted',
      totalExecutionDurationSeconds: 125,
      configurationOverrides: { monitoringConfiguration: { s3MonitoringConfiguration: { logUri: 's3://acme-logs/emr/' } } },
    } as never,
  });
  emr.on(GetJobRunCommand, { jobRunId: 'run-stream' }).resolves({ jobRun: { applicationId: APP, jobRunId: 'run-stream', state: streamState } as never });
  emr.on(GetDashboardForJobRunCommand).callsFake((input: { jobRunId: string }) => ({ url: `https://spark-ui.example/${input.jobRunId}` }));
}

describe('lakestep logs', () => {
  it('lists the job runs of the named execution with state, details, Spark UI and driver logs', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC, name: '2026-11-25T000000Z', status: 'FAILED', stateMachineArn: MACHINE, startDate: NOW });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: HISTORY });
    emrRuns('FAILED');
    const r = await ops(['logs', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z', '--account', ACCOUNT]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXEC });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0]?.args[0].input).toMatchObject({ executionArn: EXEC });
    expect(emr.commandCalls(GetJobRunCommand).map((c) => c.args[0].input)).toEqual([
      { applicationId: APP, jobRunId: 'run-stream' },
      { applicationId: APP, jobRunId: 'run-ingest' },
    ]);
    expect(r.out).toBe(
      [
        'orders/orders-ingestion execution 2026-11-25T000000Z: FAILED',
        'failed in Ingest 2 source(s): States.TaskFailed — Job run failed',
        '',
        `Stream page-views  RUNNING  run-stream`,
        '  spark ui: https://spark-ui.example/run-stream',
        `Ingest 2 source(s)  FAILED  run-ingest  2m 05s`,
        '  details: Job failed: org.apache.spark.SparkException: Job aborted',
        '  spark ui: https://spark-ui.example/run-ingest',
        `  driver log: s3://acme-logs/emr/applications/${APP}/jobs/run-ingest/SPARK_DRIVER/stderr.gz`,
        `  driver log: s3://acme-logs/emr/applications/${APP}/jobs/run-ingest/SPARK_DRIVER/stdout.gz`,
      ].join('\n'),
    );
  });

  it('without --execution reads the newest execution', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, name: '2026-11-25T000000Z', status: 'SUCCEEDED', stateMachineArn: MACHINE, startDate: NOW }] });
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC, name: '2026-11-25T000000Z', status: 'SUCCEEDED', stateMachineArn: MACHINE, startDate: NOW });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: HISTORY.slice(0, 1) });
    const r = await ops(['logs', 'orders/orders-ingestion', '--account', ACCOUNT]);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toEqual({ stateMachineArn: MACHINE, maxResults: 1 });
    expect(r.out).toBe('orders/orders-ingestion execution 2026-11-25T000000Z: SUCCEEDED\n\nno EMR Serverless job runs in this execution');
  });

  it('an unknown execution is one line and exit 1', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    const r = await ops(['logs', 'orders/orders-ingestion', '--execution', 'nope', '--account', ACCOUNT]);
    expect(r).toEqual({ code: 1, out: '', err: 'lakestep logs: orders/orders-ingestion has no execution "nope": `lakestep status orders/orders-ingestion` lists them' });
  });
});

describe('lakestep cancel', () => {
  it('stops a running execution and cancels its active job runs only', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC, name: '2026-11-25T000000Z', status: 'RUNNING', stateMachineArn: MACHINE, startDate: NOW });
    sfn.on(StopExecutionCommand).resolves({ stopDate: NOW });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: HISTORY.slice(0, 8) });
    emrRuns('RUNNING', 'SUCCESS');
    emr.on(CancelJobRunCommand).resolves({ applicationId: APP, jobRunId: 'run-ingest' });
    const r = await ops(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z', '--account', ACCOUNT]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input)).toEqual([{ executionArn: EXEC, error: 'lakestep.Cancelled', cause: 'cancelled by lakestep cancel' }]);
    expect(emr.commandCalls(CancelJobRunCommand).map((c) => c.args[0].input)).toEqual([{ applicationId: APP, jobRunId: 'run-ingest' }]);
    expect(r.out).toBe('orders/orders-ingestion: stopped execution 2026-11-25T000000Z\n  cancelled job run run-ingest (Ingest 2 source(s), was RUNNING)');
  });

  it('does not stop an execution that already ended, and still cancels a job run it left running', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: EXEC, name: '2026-11-25T000000Z', status: 'FAILED', stateMachineArn: MACHINE, startDate: NOW });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: HISTORY });
    emrRuns('FAILED', 'RUNNING');
    emr.on(CancelJobRunCommand).resolves({});
    const r = await ops(['cancel', 'orders/orders-ingestion', '--execution', '2026-11-25T000000Z', '--account', ACCOUNT]);
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
    expect(emr.commandCalls(CancelJobRunCommand).map((c) => c.args[0].input.jobRunId)).toEqual(['run-stream']);
    expect(r.out.split('\n')[0]).toBe('orders/orders-ingestion: execution 2026-11-25T000000Z was not running (FAILED): nothing to stop');
  });

  it('needs --execution (exit 2, before any AWS call)', async () => {
    const r = await ops(['cancel', 'orders/orders-ingestion']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('lakestep cancel: cancel needs --execution NAME (lakestep status lists them)');
    expect(sfn.calls()).toHaveLength(0);
  });
});
