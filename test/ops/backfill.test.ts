import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StateMachineDoesNotExist, ExecutionLimitExceeded } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { backfill, planBackfill } from '../../src/ops/backfill.ts';
import { formatBackfill } from '../../src/ops/format.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const now = new Date('2026-11-26T06:00:00Z');
const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:acme-orders-orders-daily-report';

describe('planBackfill', () => {
  it('enumerates days across a leap day and a month end, inclusive', () => {
    expect(planBackfill({ from: '2028-02-28', to: '2028-03-01' }).map((i) => i.name)).toEqual([
      '2028-02-28T000000Z',
      '2028-02-29T000000Z',
      '2028-03-01T000000Z',
    ]);
  });

  it('validates from ≤ to and caps the range unless forced', () => {
    expect(() => planBackfill({ from: '2026-03-02', to: '2026-03-01' })).toThrow('--from 2026-03-02 is after --to 2026-03-01');
    expect(() => planBackfill({ from: '2026-01-01', to: '2027-01-02' })).toThrow('2026-01-01..2027-01-02 is 367 days; more than 366 needs --force');
    expect(planBackfill({ from: '2028-01-01', to: '2028-12-31' })).toHaveLength(366);
    expect(planBackfill({ from: '2026-01-01', to: '2027-01-02', force: true })).toHaveLength(367);
    expect(() => planBackfill({ from: '2026-1-1', to: '2026-01-02' })).toThrow('--from must be a day as YYYY-MM-DD');
  });
});

describe('backfill', () => {
  const sfn = mockClient(SFNClient);
  const client = new SFNClient({ region: 'eu-west-1' });
  beforeEach(() => sfn.reset());

  /** Fake Step Functions that remembers names, like the real one does for 90 days. */
  function rememberNames(): Set<string> {
    const names = new Set<string>();
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => {
      if (names.has(input.name)) throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
      names.add(input.name);
      return { executionArn: `${EXEC}:${input.name}`, startDate: now };
    });
    return names;
  }

  it('starts one backfill execution per day with deterministic names and inputs', async () => {
    rememberNames();
    const res = await backfill(client, target(), { from: '2026-12-30', to: '2027-01-02', now });
    const inputs = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.name).sort()).toEqual(['2026-12-30T000000Z', '2026-12-31T000000Z', '2027-01-01T000000Z', '2027-01-02T000000Z']);
    expect(inputs.find((i) => i.name === '2027-01-01T000000Z')).toEqual({
      stateMachineArn: MACHINE_ARN,
      name: '2027-01-01T000000Z',
      input: '{"trigger":"backfill","logical_date":"2027-01-01T00:00:00Z"}',
    });
    expect(res.summary).toEqual({ planned: 4, started: 4, existing: 0, failed: 0, skipped: 0 });
    expect(res.ok).toBe(true);
    expect(formatBackfill(res)).toContain('orders/orders-daily-report 2026-12-30..2027-01-02: 4 started, 0 already started, 0 failed to start');
  });

  it('never double-starts when run again over an overlapping range', async () => {
    rememberNames();
    await backfill(client, target(), { from: '2026-02-26', to: '2026-03-01', now });
    const again = await backfill(client, target(), { from: '2026-02-28', to: '2026-03-03', concurrency: 3, now });
    expect(again.summary).toEqual({ planned: 4, started: 2, existing: 2, failed: 0, skipped: 0 });
    expect(again.items.map((i) => [i.ds, i.outcome])).toEqual([
      ['2026-02-28', 'exists'],
      ['2026-03-01', 'exists'],
      ['2026-03-02', 'started'],
      ['2026-03-03', 'started'],
    ]);
    expect(again.ok).toBe(true);
  });

  it('counts an identical backfill execution that is still running as already started', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXEC}:x`, startDate: new Date(now.getTime() - 3_600_000) });
    const res = await backfill(client, target(), { from: '2026-11-01', to: '2026-11-02', now });
    expect(res.summary).toMatchObject({ started: 0, existing: 2 });
  });

  it('keeps no more than `concurrency` starts in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string }) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { executionArn: `${EXEC}:${input.name}`, startDate: now };
    });
    const res = await backfill(client, target(), { from: '2026-01-01', to: '2026-01-10', concurrency: 3, now });
    expect(res.summary.started).toBe(10);
    expect(peak).toBe(3);
  });

  it('reports failures to start and stops after a fatal error', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new ExecutionLimitExceeded({ message: 'too many', $metadata: {} }))
      .rejectsOnce(new StateMachineDoesNotExist({ message: 'gone', $metadata: {} }))
      .resolves({ executionArn: `${EXEC}:x`, startDate: now });
    const res = await backfill(client, target(), { from: '2026-01-01', to: '2026-01-04', concurrency: 1, now });
    expect(res.items.map((i) => i.outcome)).toEqual(['failed', 'failed', 'skipped', 'skipped']);
    expect(res.items[0]?.error).toBe('ExecutionLimitExceeded: too many');
    expect(res.ok).toBe(false);
    expect(formatBackfill(res)).toContain('0 started, 0 already started, 2 failed to start, 2 not attempted');
  });

  it('dry run lists the executions without calling AWS', async () => {
    const res = await backfill(client, target(), { from: '2026-01-30', to: '2026-02-01', dryRun: true, now });
    expect(sfn.calls()).toHaveLength(0);
    expect(res.items.map((i) => i.outcome)).toEqual(['planned', 'planned', 'planned']);
    expect(formatBackfill(res)).toContain('dry run: 3 execution(s) would be started for orders/orders-daily-report from 2026-01-30 to 2026-02-01');
  });

  it('rejects a concurrency outside 1..10', async () => {
    await expect(backfill(client, target(), { from: '2026-01-01', to: '2026-01-02', concurrency: 50, now })).rejects.toThrow(
      '--concurrency must be an integer from 1 to 10',
    );
  });
});
