import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatJson, formatStatus } from '../../src/ops/format.ts';
import { failureFromHistory } from '../../src/ops/history.ts';
import { GATE_LISTED_MAX } from '../../src/asl/gate.ts';
import { gateState, readGate, workflowStatus } from '../../src/ops/status.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:acme-orders-orders-daily-report';
const t = (s: string) => new Date(`2026-11-26T${s}Z`);

/** A failed run the way our machines fail: task caught, run recorded, Fail state with the original error. */
function failedHistory(): HistoryEvent[] {
  const forward: HistoryEvent[] = [
    { id: 1, timestamp: t('06:00:00'), type: 'ExecutionStarted' },
    { id: 2, previousEventId: 1, timestamp: t('06:00:00'), type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Run context' } },
    { id: 3, previousEventId: 2, timestamp: t('06:00:00'), type: 'PassStateExited', stateExitedEventDetails: { name: 'Run context' } },
    { id: 4, previousEventId: 3, timestamp: t('06:00:01'), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run daily report (Spark)' } },
    { id: 5, previousEventId: 4, timestamp: t('06:00:01'), type: 'TaskScheduled' },
    { id: 6, previousEventId: 5, timestamp: t('06:00:02'), type: 'TaskStarted' },
    { id: 7, previousEventId: 6, timestamp: t('06:04:00'), type: 'TaskFailed', taskFailedEventDetails: { resource: 'startJobRun.sync', resourceType: 'emr-serverless', error: 'EMRServerless.JobFailed', cause: 'Job run failed:\n  AnalysisException' } },
    { id: 8, previousEventId: 7, timestamp: t('06:04:00'), type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Record failed run' } },
    { id: 9, previousEventId: 8, timestamp: t('06:04:00'), type: 'TaskScheduled' },
    { id: 10, previousEventId: 9, timestamp: t('06:04:01'), type: 'TaskStarted' },
    { id: 11, previousEventId: 10, timestamp: t('06:04:01'), type: 'TaskSucceeded' },
    { id: 12, previousEventId: 11, timestamp: t('06:04:01'), type: 'TaskStateExited', stateExitedEventDetails: { name: 'Record failed run' } },
    { id: 13, previousEventId: 12, timestamp: t('06:04:01'), type: 'FailStateEntered', stateEnteredEventDetails: { name: 'Failed' } },
    { id: 14, previousEventId: 13, timestamp: t('06:04:01'), type: 'ExecutionFailed', executionFailedEventDetails: { error: 'EMRServerless.JobFailed', cause: 'Job run failed:\n  AnalysisException' } },
  ];
  return forward.reverse();
}

describe('failureFromHistory', () => {
  it('names the state whose task failed, not the final Fail state', () => {
    expect(failureFromHistory(failedHistory())).toEqual({
      state: 'Run daily report (Spark)',
      error: 'EMRServerless.JobFailed',
      cause: 'Job run failed:\n  AnalysisException',
    });
  });

  it('falls back to the last entered state for a timed-out execution', () => {
    const events: HistoryEvent[] = [
      { id: 6, previousEventId: 5, timestamp: t('07:00:00'), type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } },
      { id: 5, previousEventId: 4, timestamp: t('06:00:03'), type: 'WaitStateEntered', stateEnteredEventDetails: { name: 'Wait for DataSync' } },
    ];
    expect(failureFromHistory(events)).toEqual({ state: 'Wait for DataSync', error: 'States.Timeout' });
  });
});

describe('workflowStatus', () => {
  const sfn = mockClient(SFNClient);
  beforeEach(() => sfn.reset());

  it('lists recent executions and reads the history of failed ones only', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: `${EXEC}:2026-11-26T060000Z`, stateMachineArn: MACHINE_ARN, name: '2026-11-26T060000Z', status: 'FAILED', startDate: t('06:00:00'), stopDate: t('06:04:01') },
        { executionArn: `${EXEC}:2026-11-25T060000Z`, stateMachineArn: MACHINE_ARN, name: '2026-11-25T060000Z', status: 'SUCCEEDED', startDate: new Date('2026-11-25T06:00:00Z'), stopDate: new Date('2026-11-25T07:02:10Z') },
        { executionArn: `${EXEC}:2026-11-26T070000Z`, stateMachineArn: MACHINE_ARN, name: '2026-11-26T070000Z', status: 'RUNNING', startDate: t('07:00:00') },
      ],
    });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: failedHistory() });
    const res = await workflowStatus(new SFNClient({ region: 'eu-west-1' }), target(), { limit: 3, now: t('07:00:45') });

    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toEqual({ stateMachineArn: MACHINE_ARN, maxResults: 3 });
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toEqual([
      { executionArn: `${EXEC}:2026-11-26T060000Z`, reverseOrder: true, maxResults: 50, includeExecutionData: false },
    ]);
    expect(res.executions.map((e) => e.durationSeconds)).toEqual([241, 3730, 45]);

    const text = formatStatus(res);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`orders/orders-daily-report (${MACHINE_ARN})`);
    expect(lines[1]).toMatch(/^EXECUTION\s+STATUS\s+START\s+STOP\s+DURATION\s+FAILED STATE \/ ERROR$/);
    expect(lines[2]).toMatch(/^2026-11-26T060000Z\s+FAILED\s+2026-11-26T06:00:00Z\s+2026-11-26T06:04:01Z\s+4m 01s\s+Run daily report \(Spark\) \/ EMRServerless\.JobFailed$/);
    expect(lines[3]).toMatch(/^2026-11-25T060000Z\s+SUCCEEDED\s+.*1h 02m$/);
    expect(lines[4]).toMatch(/^2026-11-26T070000Z\s+RUNNING\s+2026-11-26T07:00:00Z\s+45s$/);
    expect(text).toContain('Causes:\n  2026-11-26T060000Z: Job run failed: AnalysisException');

    expect(JSON.parse(formatJson(res)).executions[0].failure).toEqual({
      state: 'Run daily report (Spark)',
      error: 'EMRServerless.JobFailed',
      cause: 'Job run failed:\n  AnalysisException',
    });
  });

  it('says when there are no executions', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const res = await workflowStatus(new SFNClient({ region: 'eu-west-1' }), target(), { now: t('07:00:00') });
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input.maxResults).toBe(10);
    expect(formatStatus(res)).toBe(`orders/orders-daily-report: no executions yet (${MACHINE_ARN})`);
  });

  it('readGate lists the running executions as the gate does: one page of its size, complete when no page follows', async () => {
    const running = (name: string) => ({ executionArn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`, stateMachineArn: MACHINE_ARN, name, status: 'RUNNING' as const, startDate: new Date('2026-11-26T06:00:00Z') });
    sfn.on(ListExecutionsCommand, { stateMachineArn: MACHINE_ARN, statusFilter: 'RUNNING', maxResults: GATE_LISTED_MAX }).resolvesOnce({ executions: [running('b'), running('a')] }).resolvesOnce({ executions: [running('z')], nextToken: 'more' });
    expect(await readGate(new SFNClient({}), MACHINE_ARN, 1)).toEqual({ maxActiveRuns: 1, running: 2, complete: true, working: ['a'], waiting: ['b'] });
    expect(await readGate(new SFNClient({}), MACHINE_ARN, 1)).toEqual({ maxActiveRuns: 1, running: 1, complete: false, working: [], waiting: ['z'] });
  });

  it('rejects an out-of-range limit', async () => {
    await expect(workflowStatus(new SFNClient({}), target(), { limit: 0, now: t('07:00:00') })).rejects.toThrow('--limit must be an integer from 1 to 1000');
  });
});

describe('gateState', () => {
  const rows = (...s: [string, string][]) => s.map(([name, status]) => ({ name, status }));
  it('the N running executions that started first work (the end of a newest-first list), the later ones wait', () => {
    const listed = rows(['e', 'RUNNING'], ['d', 'RUNNING'], ['c', 'SUCCEEDED'], ['b', 'RUNNING'], ['a', 'FAILED']);
    expect(gateState(listed, 2)).toEqual({ maxActiveRuns: 2, running: 3, complete: true, working: ['d', 'b'], waiting: ['e'] });
    expect(gateState(listed, 3)).toEqual({ maxActiveRuns: 3, running: 3, complete: true, working: ['e', 'd', 'b'], waiting: [] });
    expect(gateState(rows(['x', 'SUCCEEDED']), 1)).toEqual({ maxActiveRuns: 1, running: 0, complete: true, working: [], waiting: [] });
    // A listing with more pages: the earliest running are not in it, and none of those listed goes.
    expect(gateState(listed, 2, false)).toEqual({ maxActiveRuns: 2, running: 3, complete: false, working: [], waiting: ['e', 'd', 'b'] });
  });
});
