/**
 * `ui --from-aws` against mocked Step Functions clients: finding the machines by
 * paging ListStateMachines, paging ListExecutions until the window is passed,
 * throttling retried, the pace of thousands of machines within the quota, and a
 * failed execution's error, cause, state, states and job runs from its history.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/build/types.ts';
import { consolePrefix, parseSince, readAwsRuns } from '../../src/ui/aws.ts';
import { stepFunctionsQuotas } from '../../src/ui/throttle.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';
import { fakeClock } from './clock.ts';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-26T12:00:00Z');
const SINCE = new Date('2026-11-25T12:00:00Z');
const arnOf = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;
const execArn = (machine: string, name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:execution:${machine}:${name}`;
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

function platform(useCases: Record<string, string[]>): Manifest {
  return {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: manifestPlatform(),
    useCases: Object.entries(useCases).map(([uc, dags]) => ({ name: uc, owner: `${uc}@example.com`, specHash: 'h', files: [], workflows: dags.map((d) => manifestWorkflow(uc, d)) })),
    tables: {},
    quarantined: [],
  };
}

/** The history of a run that failed in its Spark job, caught, recorded and ended in a Fail state. */
function failedHistory(): HistoryEvent[] {
  const t = (s: string) => new Date(`2026-11-26T${s}Z`);
  return [
    { id: 1, timestamp: t('02:00:01'), type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"trigger":"schedule","logical_date":"2026-11-26T02:00:00Z"}' } },
    { id: 2, previousEventId: 1, timestamp: t('02:00:01'), type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Run context' } },
    { id: 3, previousEventId: 2, timestamp: t('02:00:01'), type: 'PassStateExited', stateExitedEventDetails: { name: 'Run context' } },
    { id: 4, previousEventId: 3, timestamp: t('02:00:02'), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run report (Spark)' } },
    { id: 5, previousEventId: 4, timestamp: t('02:00:02'), type: 'TaskScheduled' },
    { id: 6, previousEventId: 5, timestamp: t('02:00:03'), type: 'TaskSubmitted', taskSubmittedEventDetails: { resource: 'startJobRun.sync', resourceType: 'emr-serverless', output: '{"ApplicationId":"00app","JobRunId":"00run1"}' } },
    { id: 7, previousEventId: 6, timestamp: t('02:04:00'), type: 'TaskFailed', taskFailedEventDetails: { resource: 'startJobRun.sync', resourceType: 'emr-serverless', error: 'EMRServerless.JobFailed', cause: 'Job run failed: AnalysisException: Table not found' } },
    { id: 8, previousEventId: 7, timestamp: t('02:04:00'), type: 'TaskStateExited', stateExitedEventDetails: { name: 'Run report (Spark)' } },
    { id: 9, previousEventId: 8, timestamp: t('02:04:00'), type: 'FailStateEntered', stateEnteredEventDetails: { name: 'Failed' } },
    { id: 10, previousEventId: 9, timestamp: t('02:04:01'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'EMRServerless.JobFailed', cause: 'Job run failed: AnalysisException: Table not found' } },
  ];
}

describe('readAwsRuns', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());

  it('finds the machines over pages of ListStateMachines and pages executions until the window is passed', async () => {
    const m = platform({ orders: ['orders-report', 'orders-ingestion'], customers: ['customers-ingestion'] });
    sfn.on(ListStateMachinesCommand, {}).resolves({ stateMachines: [{ name: 'other-app', stateMachineArn: arnOf('other-app'), type: 'STANDARD', creationDate: NOW }], nextToken: 'p2' });
    sfn.on(ListStateMachinesCommand, { nextToken: 'p2' }).resolves({
      stateMachines: ['acme-orders-orders-report', 'acme-orders-orders-ingestion'].map((n) => ({ name: n, stateMachineArn: arnOf(n), type: 'STANDARD' as const, creationDate: NOW })),
    });
    const report = 'acme-orders-orders-report';
    const item = (name: string, start: string, status: 'SUCCEEDED' | 'RUNNING' = 'SUCCEEDED') => ({
      executionArn: execArn(report, name), stateMachineArn: arnOf(report), name, status, startDate: new Date(start), ...(status === 'RUNNING' ? {} : { stopDate: new Date(Date.parse(start) + 60_000) }),
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf(report) }).resolves({ executions: [item('2026-11-26T060000Z', '2026-11-26T06:00:02Z', 'RUNNING'), item('2026-11-26T000000Z', '2026-11-26T00:00:02Z')], nextToken: 'e2' });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf(report), nextToken: 'e2' }).resolves({ executions: [item('2026-11-25T180000Z', '2026-11-25T18:00:02Z'), item('2026-11-25T060000Z', '2026-11-25T06:00:02Z')], nextToken: 'e3' });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf('acme-orders-orders-ingestion') }).resolves({ executions: [] });
    const lines: string[] = [];
    const read = await readAwsRuns(new SFNClient({}), m, { since: SINCE, now: NOW, quarantined: [], clock: fakeClock(), progress: (l) => lines.push(l) });
    expect(read.runs.map((r) => [r.dag, r.name, r.state, r.logicalDate, r.dateFrom])).toEqual([
      ['orders/orders-report', '2026-11-26T060000Z', 'running', '2026-11-26T06:00:00Z', 'name'],
      ['orders/orders-report', '2026-11-26T000000Z', 'succeeded', '2026-11-26T00:00:00Z', 'name'],
      ['orders/orders-report', '2026-11-25T180000Z', 'succeeded', '2026-11-25T18:00:00Z', 'name'],
    ]);
    // The page holding the first execution older than --since is the last one asked for (not e3).
    expect(sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: arnOf(report) })).toHaveLength(2);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(3);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(2);
    expect(read.notes).toEqual(['1 state machine(s) not deployed in eu-west-1: customers/customers-ingestion']);
    expect(read.console).toBe('https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/');
    expect(lines.at(-1)).toMatch(/^read 3 execution\(s\) of 2 state machine\(s\) in \d+ s \(3 ListExecutions, 0 GetExecutionHistory, 0 throttled call\(s\) retried\)$/);
  });

  it("shows a failed execution's error, cause, state, states and job runs, and its logical date from the input", async () => {
    const m = platform({ orders: ['orders-report', 'orders-audit'] });
    const report = 'acme-orders-orders-report';
    const audit = 'acme-orders-orders-audit';
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf(report) }).resolves({
      executions: [{ executionArn: execArn(report, 'f00d'), stateMachineArn: arnOf(report), name: 'f00d', status: 'FAILED', startDate: new Date('2026-11-26T02:00:01Z'), stopDate: new Date('2026-11-26T02:04:01Z') }],
    });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf(audit) }).resolves({
      executions: [{ executionArn: execArn(audit, '2026-11-26T030000Z'), stateMachineArn: arnOf(audit), name: '2026-11-26T030000Z', status: 'FAILED', startDate: new Date('2026-11-26T03:00:01Z'), stopDate: new Date('2026-11-26T03:01:00Z') }],
    });
    sfn.on(GetExecutionHistoryCommand, { executionArn: execArn(report, 'f00d') }).resolves({ events: failedHistory() });
    sfn.on(GetExecutionHistoryCommand, { executionArn: execArn(audit, '2026-11-26T030000Z') }).resolves({
      events: [{ id: 1, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Lakestep.QualityCheckFailed', cause: 'not_null(order_id): 3 rows' } }],
    });
    const read = await readAwsRuns(new SFNClient({}), m, { since: SINCE, now: NOW, account: ACCOUNT, quarantined: [], clock: fakeClock() });
    const failed = read.runs.find((r) => r.dag === 'orders/orders-report')!;
    expect(failed).toMatchObject({
      state: 'failed',
      status: 'FAILED',
      logicalDate: '2026-11-26T02:00:00Z',
      dateFrom: 'input',
      trigger: 'schedule',
      error: 'EMRServerless.JobFailed',
      cause: 'Job run failed: AnalysisException: Table not found',
      failedState: 'Run report (Spark)',
      jobRuns: [{ state: 'Run report (Spark)', id: '00run1' }],
    });
    expect(failed.states).toEqual([
      { name: 'Run context', at: '2026-11-26T02:00:01Z', outcome: 'succeeded' },
      { name: 'Run report (Spark)', at: '2026-11-26T02:00:02Z', outcome: 'caught', error: 'EMRServerless.JobFailed' },
      { name: 'Failed', at: '2026-11-26T02:04:00Z', outcome: 'failed' },
    ]);
    expect(read.runs.find((r) => r.dag === 'orders/orders-audit')).toMatchObject({ state: 'quality', error: 'Lakestep.QualityCheckFailed' });
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
  });

  it('with --account, notes a machine that does not exist instead of failing', async () => {
    const m = platform({ orders: ['orders-report', 'orders-new'] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf('acme-orders-orders-report') }).resolves({ executions: [] });
    sfn.on(ListExecutionsCommand, { stateMachineArn: arnOf('acme-orders-orders-new') }).rejects(
      Object.assign(new Error('State Machine Does Not Exist'), { name: 'StateMachineDoesNotExist', $metadata: { httpStatusCode: 400 } }),
    );
    const read = await readAwsRuns(new SFNClient({}), m, { since: SINCE, now: NOW, account: ACCOUNT, quarantined: [], clock: fakeClock() });
    expect(read.notes).toEqual(['1 state machine(s) not deployed in eu-west-1: orders/orders-new']);
    expect(read.runs).toEqual([]);
  });

  it('reads 3,000 state machines within the ListExecutions quota, retrying throttled calls', async () => {
    const dags = Array.from({ length: 3000 }, (_, i) => `d${i}`);
    const m = platform({ big: dags });
    const clock = fakeClock();
    const at: number[] = [];
    let n = 0;
    sfn.on(ListExecutionsCommand).callsFake((input: { stateMachineArn: string }) => {
      at.push(clock.now());
      // Every 7th call is throttled once, as AWS would when other tools share the bucket.
      if (++n % 7 === 0) throw throttled();
      const name = input.stateMachineArn.split(':').pop()!;
      return { executions: [{ executionArn: execArn(name, '2026-11-26T000000Z'), stateMachineArn: input.stateMachineArn, name: '2026-11-26T000000Z', status: 'SUCCEEDED', startDate: new Date('2026-11-26T00:00:05Z'), stopDate: new Date('2026-11-26T00:01:00Z') }] };
    });
    const read = await readAwsRuns(new SFNClient({}), m, { since: SINCE, now: NOW, account: ACCOUNT, quarantined: [], clock, random: () => 0.5, concurrency: 8 });
    expect(new Set(read.runs.map((r) => r.dag)).size).toBe(3000);
    expect(read.stats.retried).toBeGreaterThan(400);
    // Token bucket: call k happens no sooner than (k - bucket) / refill seconds after the start.
    const { bucket, refill } = stepFunctionsQuotas('eu-west-1').ListExecutions;
    at.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(Math.floor(((k + 1 - bucket) / refill) * 1000) - 1));
    expect(clock.now() / 1000).toBeGreaterThan((at.length - bucket) / refill);
  });
});

describe('parseSince', () => {
  it('takes a duration back from now or a date', () => {
    expect(parseSince('1d', NOW).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseSince('90m', NOW).toISOString()).toBe('2026-11-26T10:30:00.000Z');
    expect(parseSince('2026-11-20', NOW).toISOString()).toBe('2026-11-20T00:00:00.000Z');
  });

  it.each([
    ['tomorrow', /--since must be a day .*; or give a duration such as 1d or 12h/],
    ['2026-12-01', /is not in the past/],
    ['91d', /more than 90 days back/],
  ])('refuses %s', (value, message) => expect(() => parseSince(value, NOW)).toThrow(message));
});

describe('consolePrefix', () => {
  it('points at the console of the partition', () => {
    expect(consolePrefix('cn-north-1')).toBe('https://console.amazonaws.cn/states/home?region=cn-north-1#/v2/executions/details/');
    expect(consolePrefix('us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com/states/home?region=us-gov-west-1#/v2/executions/details/');
  });
});
