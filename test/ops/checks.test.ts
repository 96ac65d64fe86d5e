/**
 * `lakestep checks` and the quality part of `status` over a mocked DynamoDB client: run
 * records queried from the runs table, publish times read from the watermarks table.
 */
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FreshnessAlarm } from '../../src/build/types.ts';
import { checksResult } from '../../src/ops/checks.ts';
import { dynamoPublishes, freshnessState } from '../../src/ops/freshness.ts';
import { dagQuality, formatChecks, formatDagQuality } from '../../src/ops/quality-status.ts';
import { dynamoRecords, pickRecord, runRecordOf } from '../../src/ops/run-records.ts';
import { manifest } from './fixtures.ts';

const ddb = mockClient(DynamoDBClient);
beforeEach(() => ddb.reset());

const REF = 'orders/orders-daily-report';
const TABLE = 'process_orders.order_status';

const quality = (status: string, failing: 'error' | 'warn' | undefined) => ({
  status,
  attempts: 1,
  published: status === 'failed' ? [] : [TABLE],
  kept: status === 'failed' ? [{ table: TABLE, branch: 'audit_x' }] : [],
  checks: [
    { table: TABLE, check: 'not_null(order_id)', kind: 'not_null', severity: 'error', status: failing === 'error' ? 'failed' : 'passed', failing: failing === 'error' ? 3 : 0 },
    { table: TABLE, check: 'amount-not-negative', kind: 'expression', severity: 'warn', status: failing === 'warn' ? 'failed' : 'passed', failing: failing === 'warn' ? 1 : 0 },
  ],
});

function record(name: string, date: string, finished: string, status: string, summary: unknown) {
  return {
    pk: { S: REF },
    sk: { S: `${date}#${name}` },
    status: { S: status },
    logical_date: { S: date },
    started_at: { S: finished.replace(/:\d\dZ$/, ':00Z') },
    finished_at: { S: finished },
    ...(status === 'FAILED' ? { error: { S: 'Lakestep.QualityCheckFailed' }, cause: { S: '1 error check(s) failed' } } : {}),
    summary: { S: typeof summary === 'string' ? summary : JSON.stringify(summary) },
  };
}

const newer = record('2026-11-26T060000Z', '2026-11-26T06:00:00Z', '2026-11-26T06:05:10Z', 'FAILED', { quality: quality('failed', 'error') });
const older = record('2026-11-25T060000Z', '2026-11-25T06:00:00Z', '2026-11-25T06:04:00Z', 'SUCCEEDED', { quality: quality('warned', 'warn') });

function withAlarms(alarms: Partial<FreshnessAlarm>[]) {
  const m = manifest();
  m.useCases[0]!.freshness = alarms.map((a) => ({ name: 'x', namespace: 'Lakestep', metric: 'TablePublished', dimensions: {}, period: 3600, evaluationPeriods: 1, workflow: REF, table: TABLE, level: 'warn', afterSeconds: 7200, ...a }));
  return m;
}

describe('run records', () => {
  it('queries the dag partition newest first and picks the newest finish', async () => {
    ddb.on(QueryCommand).resolves({ Items: [newer, older] });
    const r = await pickRecord(dynamoRecords(new DynamoDBClient({}), 'acme-lakestep-runs'), REF);
    expect(r?.execution).toBe('2026-11-26T060000Z');
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      TableName: 'acme-lakestep-runs',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: REF } },
      ScanIndexForward: false,
      Limit: 20,
    });
  });

  it('--execution pages through the partition and matches the name exactly', async () => {
    const lookalike = record('2026-11-26T060000Z-r1', '2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z', 'SUCCEEDED', {});
    ddb.on(QueryCommand).resolvesOnce({ Items: [lookalike], LastEvaluatedKey: { pk: { S: REF }, sk: { S: 'a' } } }).resolvesOnce({ Items: [newer] });
    const r = await pickRecord(dynamoRecords(new DynamoDBClient({}), 'runs'), REF, '2026-11-26T060000Z');
    expect(r?.status).toBe('FAILED');
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ FilterExpression: 'contains(sk, :name)', ExpressionAttributeValues: { ':name': { S: '#2026-11-26T060000Z' } } });
    expect(calls[1]!.ExclusiveStartKey).toEqual({ pk: { S: REF }, sk: { S: 'a' } });
  });

  it('an unknown --execution is an error naming the dag', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await expect(pickRecord(dynamoRecords(new DynamoDBClient({}), 'runs'), REF, 'nope')).rejects.toThrow(`${REF} has no run record for execution nope`);
  });

  it('a summary that is not JSON reads as none; an item without a run sort key is skipped', () => {
    expect(runRecordOf(record('n', 'd', 'f', 'SUCCEEDED', '{oops'))?.summary).toEqual({});
    expect(runRecordOf({ pk: { S: 'published/x' } })).toBeUndefined();
  });
});

describe('checks result', () => {
  it('lists every check of the run with failing rows and the kept branch', () => {
    const r = checksResult(REF, runRecordOf(newer));
    expect(r).toMatchObject({ execution: '2026-11-26T060000Z', runStatus: 'FAILED', error: 'Lakestep.QualityCheckFailed' });
    expect(r.quality?.checks.map((c) => [c.check, c.status, c.failing])).toEqual([
      ['not_null(order_id)', 'failed', 3],
      ['amount-not-negative', 'passed', 0],
    ]);
    const text = formatChecks(r);
    expect(text).toMatch(/process_orders\.order_status +not_null\(order_id\) +error +failed +3/);
    expect(text).toContain('failed: 1 passed, 0 warned, 1 failed (1 attempt(s)); audit branches kept: process_orders.order_status (branch audit_x)');
  });

  it('a run that audited nothing, and a dag with no run', () => {
    expect(formatChecks(checksResult(REF, runRecordOf(record('n', 'd', 'f', 'SUCCEEDED', {}))))).toContain('no quality checks in this run');
    expect(formatChecks(checksResult(REF, undefined))).toBe(`${REF}: no run record yet`);
  });
});

describe('status: checks summary and freshness', () => {
  const now = new Date('2026-11-26T09:00:00Z');

  it.each([
    [60, undefined, 'never'],
    [60, 0, 'ok'],
    [60, 61, 'warn'],
    [60, 3601, 'error'],
  ] as const)('warn after %is: age %s is %s', (warn, age, state) => {
    expect(freshnessState(age, { warnAfterSeconds: warn, errorAfterSeconds: 3600 })).toBe(state);
  });

  it('counts the last run checks and ages each table with an SLA from its published item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [older, newer] });
    ddb.on(GetItemCommand).resolves({ Item: { pk: { S: `published/${TABLE}` }, published_at: { S: '2026-11-26T05:30:00Z' } } });
    const m = withAlarms([{}, { level: 'error', afterSeconds: 21600 }, { table: 'other.t', workflow: 'orders/orders-ingestion' }]);
    const client = new DynamoDBClient({});
    const q = await dagQuality(m, REF, dynamoRecords(client, 'runs'), dynamoPublishes(client, 'wm'), now);
    expect(q.lastChecks).toEqual({ execution: '2026-11-26T060000Z', runStatus: 'FAILED', status: 'failed', passed: 1, warned: 0, failed: 1, failing: [`${TABLE}: not_null(order_id)`] });
    // 3h30m old: past warn_after 2h, within error_after 6h. Only this dag's SLAs are read.
    expect(q.freshness).toEqual([{ table: TABLE, warnAfterSeconds: 7200, errorAfterSeconds: 21600, publishedAt: '2026-11-26T05:30:00Z', ageSeconds: 12600, state: 'warn' }]);
    expect(ddb.commandCalls(GetItemCommand).map((c) => c.args[0].input)).toEqual([{ TableName: 'wm', Key: { pk: { S: `published/${TABLE}` } }, ProjectionExpression: 'published_at' }]);
    const text = formatDagQuality(q);
    expect(text).toContain(`checks (last run 2026-11-26T060000Z, FAILED): 1 passed, 0 warned, 1 failed — failing: ${TABLE}: not_null(order_id)`);
    expect(text).toMatch(/process_orders\.order_status +warn +3h 30m +2026-11-26T05:30:00Z +warn 2h 00m, error 6h 00m/);
  });

  it('a table never published reads never; a dag without SLAs says so', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetItemCommand).resolves({});
    const client = new DynamoDBClient({});
    const q = await dagQuality(withAlarms([{}]), REF, dynamoRecords(client, 'runs'), dynamoPublishes(client, 'wm'), now);
    expect(q).toEqual({ freshness: [{ table: TABLE, warnAfterSeconds: 7200, state: 'never' }] });
    expect(formatDagQuality(q)).toMatch(/checks: none in the last run record\n.*\nprocess_orders\.order_status +never +never published/);
    expect(formatDagQuality({ freshness: [] })).toContain('freshness: no table of this dag has an SLA');
  });
});
