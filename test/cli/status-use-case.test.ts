/**
 * `lakestep status <use-case>`: every dag of a use case on a line, through `cli()` with
 * mocked Step Functions, Scheduler and DynamoDB clients (moto: test/aws-local/operator.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, ListTagsForResourceCommand, SFNClient, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FreshnessAlarm, Manifest, ScheduleDefinition } from '../../src/build/types.ts';
import type { Io } from '../../src/cli/io.ts';
import { manifest as fixture } from '../ops/fixtures.ts';
import { manifestWorkflow } from '../helpers/manifest.ts';
import { nextFireOf } from '../../src/ops/use-case-status.ts';
import { folderWithBuild, runCli } from './support.ts';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-26T06:12:34Z');
const arn = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;
const exec = (machine: string, name: string) => `${arn(machine).replace(':stateMachine:', ':execution:')}:${name}`;

const REPORT = 'acme-orders-orders-daily-report';
const INGEST = 'acme-orders-orders-ingestion';
const CURATE = 'acme-orders-orders-curate';

const schedule = (name: string): ScheduleDefinition => ({
  Name: name,
  GroupName: '${ScheduleGroupName}',
  Description: 'd',
  ScheduleExpression: 'cron(0 6 * * ? *)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  State: 'ENABLED',
  Target: { Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:s', RoleArn: 'arn:aws:iam::123456789012:role/s', Input: '{}', RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:d' } },
});

const sla = (table: string, workflow: string, level: 'warn' | 'error', afterSeconds: number): FreshnessAlarm => ({
  name: `acme-fresh-${table}-${level}`,
  table,
  level,
  afterSeconds,
  workflow,
  namespace: 'lakestep',
  metric: 'SecondsSincePublish',
  dimensions: {},
  period: 300,
  evaluationPeriods: 1,
});

/** orders: a scheduled report, an ingestion after the report, a curate dag; customers and the quarantined payments beside it. */
function buildFolder(): string {
  const m: Manifest = fixture();
  m.useCases[0] = {
    ...m.useCases[0]!,
    workflows: [
      manifestWorkflow('orders', 'orders-daily-report', { schedules: [schedule(REPORT)] }),
      manifestWorkflow('orders', 'orders-ingestion', { dependsOn: ['orders/orders-daily-report'], routes: [{ Name: '/lakestep/acme/after/acme-orders-orders-daily-report/acme-orders-orders-ingestion', Type: 'String', Value: '{}', Description: 'd' }] }),
      manifestWorkflow('orders', 'orders-curate'),
    ],
    freshness: [sla('raw.orders', 'orders/orders-ingestion', 'warn', 3600), sla('raw.orders', 'orders/orders-ingestion', 'error', 86_400), sla('raw.lines', 'orders/orders-ingestion', 'error', 86_400)],
  };
  return folderWithBuild(m);
}

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBClient);
const scheduler = mockClient(SchedulerClient);
const aws: Partial<Io> = { sfn: (region) => new SFNClient({ region }), dynamodb: (region) => new DynamoDBClient({ region }), scheduler: (region) => new SchedulerClient({ region }), now: () => NOW };
const status = (argv: string[], dir = buildFolder()) => runCli(['status', ...argv], dir, aws);

const checksSummary = JSON.stringify({
  quality: { status: 'failed', checks: [
    { table: 'raw.orders', check: 'not_null(order_id)', kind: 'not_null', severity: 'error', status: 'failed', failing: 3 },
    { table: 'raw.orders', check: 'unique(order_id)', kind: 'unique', severity: 'error', status: 'passed', failing: 0 },
  ] },
});

beforeEach(() => {
  sfn.reset();
  ddb.reset();
  scheduler.reset();
  // Deployed: the report and the ingestion; the curate dag is not.
  sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [REPORT, INGEST].map((n) => ({ name: n, stateMachineArn: arn(n), type: 'STANDARD', creationDate: NOW })) });
  sfn.on(ListExecutionsCommand, { stateMachineArn: arn(REPORT) }).resolves({
    executions: [{ executionArn: exec(REPORT, '2026-11-26T060000Z'), stateMachineArn: arn(REPORT), name: '2026-11-26T060000Z', status: 'FAILED', startDate: new Date('2026-11-26T06:00:05Z'), stopDate: new Date('2026-11-26T06:04:05Z') }],
  });
  sfn.on(ListExecutionsCommand, { stateMachineArn: arn(INGEST) }).resolves({
    executions: [{ executionArn: exec(INGEST, 'b'), stateMachineArn: arn(INGEST), name: 'b', status: 'RUNNING', startDate: new Date('2026-11-26T06:02:34Z') }],
  });
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [
      { id: 3, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Spark.JobFailed', cause: 'the job failed' } },
      { id: 2, timestamp: NOW, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run report' } },
    ],
  });
  scheduler.on(GetScheduleCommand).resolves({ Name: REPORT, State: 'DISABLED' });
  ddb.on(GetItemCommand).resolves({});
  ddb.on(GetItemCommand, { Key: { pk: { S: 'published/raw.orders' } } }).resolves({ Item: { published_at: { S: '2026-11-26T05:12:34Z' } } });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': { S: 'orders/orders-daily-report' } } }).resolves({
    Items: [{ pk: { S: 'orders/orders-daily-report' }, sk: { S: '2026-11-26T06:00:00Z#2026-11-26T060000Z' }, status: { S: 'FAILED' }, finished_at: { S: '2026-11-26T06:04:05Z' }, summary: { S: checksSummary } }],
  });
});

describe('lakestep status <use-case>', () => {
  it('shows every dag: triggers, newest execution, its checks, the worst freshness, and the failure below', async () => {
    const r = await status(['orders']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('orders (owner o@example.com): 3 dag(s) in eu-west-1 — 1 failed, 1 running, 1 paused, 1 with failed checks, 1 with stale tables, 1 not deployed');
    expect(lines[1]).toMatch(/^DAG +TRIGGERS +NEXT FIRE +LAST EXECUTION +STATUS +START +DURATION +CHECKS +FRESHNESS$/);
    expect(lines[2]).toMatch(/^orders-daily-report +paused +2026-11-26T060000Z +FAILED +2026-11-26T06:00:05Z +4m 00s +1 passed, 1 failed$/);
    // raw.orders is past its warn SLA (1h) but not its error one; raw.lines was never published, which is worse.
    // No schedule: it runs after its upstream, of which no success is recorded yet (no gate entry).
    expect(lines[3]).toMatch(/^orders-ingestion +active +after upstreams +b +RUNNING +2026-11-26T06:02:34Z +10m 00s +never published: raw\.lines$/);
    expect(lines[4]).toMatch(/^orders-curate +by hand only +not deployed$/);
    expect(r.out).toContain('Failures (newest execution):\n  orders/orders-daily-report 2026-11-26T060000Z: Run report / Spark.JobFailed: the job failed');
    expect(r.out.endsWith('details of a dag: lakestep status orders/<dag>')).toBe(true);
    // One ListExecutions of one item per deployed machine, one history for the failed execution only.
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input).sort((a, b) => a.stateMachineArn!.localeCompare(b.stateMachineArn!))).toEqual([
      { stateMachineArn: arn(REPORT), maxResults: 1 },
      { stateMachineArn: arn(INGEST), maxResults: 1 },
    ].sort((a, b) => a.stateMachineArn.localeCompare(b.stateMachineArn)));
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.executionArn)).toEqual([exec(REPORT, '2026-11-26T060000Z')]);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(1);
    // The pause flag of the dag with upstreams, in the gates table.
    expect(ddb.commandCalls(GetItemCommand).some((c) => c.args[0].input.TableName === 'g' && c.args[0].input.Key?.sk?.S === 'orders/orders-ingestion')).toBe(true);
  });

  it('shows when an enabled schedule fires next (in its time zone), none for a paused one', async () => {
    scheduler.on(GetScheduleCommand).resolves({ Name: REPORT, State: 'ENABLED' });
    const r = await status(['orders', '--json']);
    // cron(0 6 * * ? *) in UTC, now 2026-11-26T06:12:34Z: tomorrow at 06:00.
    expect(JSON.parse(r.out).dags.map((d: { next?: string }) => d.next)).toEqual(['2026-11-27T06:00:00Z', undefined, undefined]);
    const text = await status(['orders']);
    expect(text.out).toMatch(/^orders-daily-report +active +2026-11-27T06:00:00Z +2026-11-26T060000Z +FAILED /m);
  });

  it('the next fire follows the schedule\'s time zone across a daylight saving change', () => {
    const w = manifestWorkflow('orders', 'orders-daily-report', { schedules: [{ ...schedule(REPORT), ScheduleExpression: 'cron(30 2 * * ? *)', ScheduleExpressionTimezone: 'Europe/Lisbon' }] });
    // 02:30 Lisbon is 01:30 UTC in summer (WEST) and 02:30 UTC in winter (WET); the change is on 2026-10-25.
    expect(nextFireOf(w, [], new Date('2026-10-24T12:00:00Z'))).toBe('2026-10-25T02:30:00Z');
    expect(nextFireOf(w, [], new Date('2026-07-01T12:00:00Z'))).toBe('2026-07-02T01:30:00Z');
    expect(nextFireOf(w, [{ kind: 'schedule', name: REPORT, state: 'DISABLED', deployed: 'ENABLED' }], new Date('2026-07-01T12:00:00Z'))).toBeUndefined();
    // Whether it is on is unknown: no time rather than a wrong one.
    expect(nextFireOf(w, 'triggers: unknown', new Date('2026-07-01T12:00:00Z'))).toBeUndefined();
  });

  it('--json gives each dag its machine, newest execution, triggers and quality', async () => {
    const r = await status(['orders', '--json']);
    const got = JSON.parse(r.out);
    expect(got).toMatchObject({ useCase: 'orders', owner: 'o@example.com', region: 'eu-west-1' });
    expect(got.dags.map((d: { ref: string }) => d.ref)).toEqual(['orders/orders-daily-report', 'orders/orders-ingestion', 'orders/orders-curate']);
    expect(got.dags[0]).toMatchObject({ stateMachineArn: arn(REPORT), latest: { status: 'FAILED', failure: { state: 'Run report', error: 'Spark.JobFailed' } }, triggers: [{ kind: 'schedule', state: 'DISABLED' }], quality: { lastChecks: { failed: 1, passed: 1 } } });
    expect(got.dags[2]).toEqual({ ref: 'orders/orders-curate', stateMachineName: CURATE, triggers: [], quality: { freshness: [] } });
  });

  it('with --account builds the ARNs; a machine that does not exist is not deployed, other errors exit 1', async () => {
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn(CURATE) }).rejects(new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${arn(CURATE)}'`, $metadata: {} }));
    const r = await status(['orders', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    expect(r.out).toMatch(/^orders-curate +by hand only +not deployed$/m);

    sfn.on(ListExecutionsCommand, { stateMachineArn: arn(CURATE) }).rejects(Object.assign(new Error('not authorized to perform states:ListExecutions'), { name: 'AccessDeniedException', $metadata: {} }));
    const denied = await status(['orders', '--account', ACCOUNT]);
    expect(denied).toMatchObject({ code: 1, err: 'lakestep status: AWS call failed: AccessDeniedException: not authorized to perform states:ListExecutions' });
  });

  it('a throttled ListExecutions is retried, as failures and ui --from-aws pace theirs', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn(INGEST) }).rejectsOnce(throttled).resolves({ executions: [] });
    const r = await status(['orders']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^orders-ingestion +active +after upstreams +no executions yet/m);
    expect(sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: arn(INGEST) })).toHaveLength(2);
  });

  it("builds the ARNs from the platform's account when it declares one", async () => {
    const dir = buildFolder();
    const path = join(dir, 'build', 'manifest.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), platform: { ...JSON.parse(readFileSync(path, 'utf8')).platform, account: ACCOUNT } }));
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn(CURATE) }).rejects(new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} }));
    const r = await status(['orders'], dir);
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(3);
  });

  it("says what a dag with upstreams waits for, from its newest gate entry (one Query of one item)", async () => {
    ddb.on(QueryCommand, { TableName: 'g' }).resolves({
      Items: [{ pk: { S: 'orders/orders-ingestion' }, sk: { S: '2026-11-26T00:00:00Z' }, done: { SS: [] }, expires_ms: { N: String(Date.parse('2026-11-27T00:00:00Z')) } }],
    });
    const r = await status(['orders']);
    expect(r.out.split('\n')[0]).toMatch(/— 1 failed, 1 running, 1 paused, 1 with failed checks, 1 with stale tables, 1 waiting for upstreams, 1 not deployed$/);
    expect(r.out).toMatch(/^orders-ingestion +active +2026-11-26 waits for orders\/orders-daily-report +b +RUNNING/m);
    const gates = ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.TableName === 'g').map((c) => c.args[0].input);
    expect(gates).toEqual([expect.objectContaining({ ExpressionAttributeValues: { ':pk': { S: 'orders/orders-ingestion' } }, ScanIndexForward: false, Limit: 1 })]);
    ddb.on(QueryCommand, { TableName: 'g' }).resolves({
      Items: [{ pk: { S: 'orders/orders-ingestion' }, sk: { S: '2026-11-26T00:00:00Z' }, done: { SS: [arn(REPORT)] }, expires_ms: { N: '1' }, started: { BOOL: true } }],
    });
    const started = await status(['orders', '--json']);
    expect(JSON.parse(started.out).dags[1].join).toMatchObject({ logicalDate: '2026-11-26T00:00:00Z', succeeded: ['orders/orders-daily-report'], waitingFor: [], started: true });
    expect((await status(['orders'])).out).toMatch(/^orders-ingestion +active +after upstreams \(2026-11-26 started\) +b/m);
  });

  it('a trigger or table read that fails is shown once as a note, the rest still read', async () => {
    scheduler.on(GetScheduleCommand).rejects(Object.assign(new Error('not authorized to perform scheduler:GetSchedule'), { name: 'AccessDeniedException' }));
    ddb.on(QueryCommand).rejects(Object.assign(new Error('not authorized to perform dynamodb:Query'), { name: 'AccessDeniedException' }));
    const r = await status(['orders']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^orders-daily-report +unknown +2026-11-26T060000Z +FAILED +\S+ +4m 00s +unknown +unknown$/m);
    expect(r.out.split('\n').filter((l) => l.startsWith('note: checks and freshness: unknown (AccessDeniedException'))).toHaveLength(1);
    expect(r.out).toContain('note: triggers: unknown (AccessDeniedException: not authorized to perform scheduler:GetSchedule)');
  });

  it('a cause or error carrying terminal escapes and line breaks is printed inert, on one line', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [{ id: 3, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E\u001b]0;owned\u0007', cause: 'line1\nline2 \u001b[2J\u202ecleared' } }],
    });
    const r = await status(['orders']);
    expect(r.out).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(r.out).toContain('E\\x1b]0;owned\\x07: line1 line2 \\x1b[2J\\u202ecleared');
    // `status <use-case>/<dag>` prints its causes the same way.
    const one = await status(['orders/orders-daily-report']);
    expect(one.out).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(one.out).toContain('2026-11-26T060000Z: line1 line2 \\x1b[2J\\u202ecleared');
  });

  it('a quarantined use case shows its last good deployment: its machines found by name and confirmed by their tags', async () => {
    const machine = (name: string) => ({ name, stateMachineArn: arn(name), type: 'STANDARD' as const, creationDate: NOW });
    // The second is another platform's (prefix acme-payments), whose name starts the same way.
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [machine(REPORT), machine('acme-payments-payments-ingestion'), machine('acme-payments-payments-ingestion-slow'), machine('acme-payments-payments-load')] });
    // The slow-run watcher beside the dag's machine carries the dag's tags but is not the dag.
    sfn.on(ListTagsForResourceCommand, { resourceArn: arn('acme-payments-payments-ingestion-slow') }).resolves({ tags: [{ key: 'lakestep:platform', value: 'acme' }, { key: 'lakestep:use-case', value: 'payments' }, { key: 'lakestep:dag', value: 'payments-ingestion' }] });
    sfn.on(ListTagsForResourceCommand, { resourceArn: arn('acme-payments-payments-ingestion') }).resolves({ tags: [{ key: 'lakestep:platform', value: 'acme' }, { key: 'lakestep:use-case', value: 'payments' }, { key: 'lakestep:dag', value: 'payments-ingestion' }] });
    sfn.on(ListTagsForResourceCommand, { resourceArn: arn('acme-payments-payments-load') }).resolves({ tags: [{ key: 'lakestep:platform', value: 'acme-payments' }, { key: 'lakestep:use-case', value: 'payments' }, { key: 'lakestep:dag', value: 'load' }] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arn('acme-payments-payments-ingestion') }).resolves({
      executions: [{ executionArn: exec('acme-payments-payments-ingestion', 'p'), stateMachineArn: arn('acme-payments-payments-ingestion'), name: 'p', status: 'SUCCEEDED', startDate: new Date('2026-11-26T05:00:00Z'), stopDate: new Date('2026-11-26T05:01:00Z') }],
    });
    const r = await status(['payments']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('payments is quarantined: its specs have 1 error(s) (first: payments/orchestration.yaml:4:5 SCHEMA_UNKNOWN_FIELD unknown field "shedule"); what runs is its last good deployment, 1 state machine(s) in eu-west-1');
    expect(lines[2]).toMatch(/^payments-ingestion +unknown +p +SUCCEEDED +2026-11-26T05:00:00Z +1m 00s$/);
    expect(lines).toHaveLength(5);
    expect(r.out).toContain('note: triggers: unknown (the use case is quarantined: the build has none of its schedules or upstreams)');
    expect(sfn.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.resourceArn).sort()).toEqual([arn('acme-payments-payments-ingestion'), arn('acme-payments-payments-ingestion-slow'), arn('acme-payments-payments-load')]);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.stateMachineArn)).toEqual([arn('acme-payments-payments-ingestion')]);
    // Its last run's checks are read from the runs table as for any dag.
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S)).toEqual(['payments/payments-ingestion']);
  });

  it.each([
    [['orders', '--limit', '2'], 2, '--limit goes with a dag (lakestep status orders/<dag> --limit N)'],
    [['ordrs'], 2, 'unknown use case "ordrs"; did you mean "orders"?'],
    [['ord\u001b[2Jrs'], 2, 'unknown use case "ord\\x1b[2Jrs"'],
    [['orders', '--account', '12'], 2, '--account must be a 12-digit AWS account id'],
    [[], 2, 'status needs a use case or a dag: lakestep status <use-case>[/<dag>] (what failed across the platform: lakestep failures)'],
  ])('%j exits %i before any AWS call', async (argv, code, message) => {
    const r = await status(argv);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
    expect(sfn.calls()).toHaveLength(0);
  });
});
