import { DescribeExecutionCommand, ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatRun } from '../../src/ops/format.ts';
import { runWorkflow } from '../../src/ops/run.ts';
import { MACHINE_ARN, target } from './fixtures.ts';

const EXEC = 'arn:aws:states:eu-west-1:123456789012:execution:acme-orders-orders-daily-report';
const now = new Date('2026-11-26T06:12:34.567Z');
const taken = () => new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });

describe('runWorkflow', () => {
  const sfn = mockClient(SFNClient);
  const client = new SFNClient({ region: 'eu-west-1' });
  beforeEach(() => sfn.reset());

  it('starts with the deterministic name and the manual input of the given day', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXEC}:2026-11-20T000000Z`, startDate: now });
    const res = await runWorkflow(client, target(), { date: '2026-11-20', now });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE_ARN, name: '2026-11-20T000000Z', input: '{"trigger":"manual","logical_date":"2026-11-20T00:00:00Z"}' },
    ]);
    expect(res).toMatchObject({ outcome: 'started', ok: true, name: '2026-11-20T000000Z', logicalDate: '2026-11-20T00:00:00Z' });
    expect(formatRun(res)).toContain('started orders/orders-daily-report for 2026-11-20T00:00:00Z: execution 2026-11-20T000000Z');
  });

  it('uses now, to the second, without a date', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXEC}:x`, startDate: now });
    await runWorkflow(client, target(), { now });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toMatchObject({
      name: '2026-11-26T061234Z',
      input: '{"trigger":"manual","logical_date":"2026-11-26T06:12:34Z"}',
    });
  });

  it('reports a succeeded execution for the same date without failing', async () => {
    sfn.on(StartExecutionCommand).rejects(taken());
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: `${EXEC}:2026-11-20T000000Z`,
      status: 'SUCCEEDED',
      startDate: new Date('2026-11-20T00:00:05Z'),
      stopDate: new Date('2026-11-20T00:10:00Z'),
      stateMachineArn: MACHINE_ARN,
    });
    const res = await runWorkflow(client, target(), { date: '2026-11-20', now });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: `${EXEC}:2026-11-20T000000Z` });
    expect(res).toMatchObject({ outcome: 'exists', ok: true, status: 'SUCCEEDED', startDate: '2026-11-20T00:00:05Z', stopDate: '2026-11-20T00:10:00Z' });
    expect(formatRun(res)).toContain('already has execution 2026-11-20T000000Z for 2026-11-20T00:00:00Z: SUCCEEDED');
  });

  it('fails when the earlier execution failed, and suggests --rerun', async () => {
    sfn.on(StartExecutionCommand).rejects(taken());
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', startDate: now, stateMachineArn: MACHINE_ARN, executionArn: 'x' });
    const res = await runWorkflow(client, target(), { date: '2026-11-20', now });
    expect(res.ok).toBe(false);
    expect(res.hint).toContain('--rerun');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('treats the idempotent answer for a still-running identical start as existing', async () => {
    const earlier = new Date(now.getTime() - 10 * 60_000);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${EXEC}:2026-11-20T000000Z`, startDate: earlier });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: earlier, stateMachineArn: MACHINE_ARN, executionArn: 'x' });
    const res = await runWorkflow(client, target(), { date: '2026-11-20', now });
    expect(res).toMatchObject({ outcome: 'exists', ok: true, status: 'RUNNING' });
    expect(res.hint).toContain('still running');
  });

  it('--rerun takes the next free -r<N> name', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(taken())
      .rejectsOnce(taken())
      .resolvesOnce({ executionArn: `${EXEC}:2026-11-20T000000Z-r2`, startDate: now });
    const res = await runWorkflow(client, target(), { date: '2026-11-20', rerun: true, now });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual([
      '2026-11-20T000000Z',
      '2026-11-20T000000Z-r1',
      '2026-11-20T000000Z-r2',
    ]);
    expect(res).toMatchObject({ outcome: 'started', name: '2026-11-20T000000Z-r2' });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(0);
  });

  it('rejects a bad date before calling AWS', async () => {
    await expect(runWorkflow(client, target(), { date: '20-11-2026', now })).rejects.toThrow('--date must be a day');
    expect(sfn.calls()).toHaveLength(0);
  });
});
