/**
 * `lakestep backfill --status` over a mocked Step Functions client: which executions of the backfill
 * machine are the dag's (name and input), across pages, and how many are read. The same command runs on
 * moto's ListExecutions and DescribeExecution in test/aws-local/operator.test.ts.
 */
import { DescribeExecutionCommand, ExecutionDoesNotExist, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { detachedName } from '../../src/ops/backfill-detach.ts';
import { backfillStatus } from '../../src/ops/backfill-status.ts';
import { formatBackfillStatus } from '../../src/ops/format.ts';
import { itemRecords } from '../../src/ops/run-records.ts';
import { target } from './fixtures.ts';

const sfn = mockClient(SFNClient);
const BACKFILL = 'arn:aws:states:eu-west-1:123456789012:stateMachine:acme-lakestep-backfill';
const START = new Date('2026-11-25T00:00:00Z');

/** A dag whose detached backfills' names are cut to 80 characters. */
const longTarget = () => {
  const t = target();
  const dag = `orders-${'x'.repeat(70)}`;
  return { ...t, dag, ref: `orders/${dag}`, stateMachineArn: t.stateMachineArn.replace('orders-daily-report', dag) };
};

/** A backfill's input as `backfill --detach` hands it: a row per run (DetachedRow). */
const input = (machine: string, runs: string[], extra = {}) => {
  const day = (name: string) => `${name.slice(0, 10)}T00:00:00Z`;
  return JSON.stringify({ state_machine_arn: machine, max_concurrency: 3, runs: runs.map((name) => [name, day(name), day(name), day(name), '', '', 1]), ...extra });
};
/** The input of a backfill started by a lakestep before rows: `{name, input}` per run. */
const objectInput = (machine: string, runs: string[]) =>
  JSON.stringify({ state_machine_arn: machine, max_concurrency: 3, runs: runs.map((name) => ({ name, input: JSON.stringify({ logical_date: `${name.slice(0, 10)}T00:00:00Z` }) })) });

beforeEach(() => sfn.reset());

describe('backfill --status', () => {
  it("keeps the dag's backfills by name and input across pages, reads no more than --limit of them, and a long name's cut prefix still matches", async () => {
    const t = longTarget();
    const name = (stamp: string) => detachedName(t, '2026-11-01', '2026-11-02', new Date(stamp));
    expect(name('2026-11-25T00:00:00Z')).toHaveLength(80);
    const executions = {
      [name('2026-11-25T03:00:00Z')]: input(t.stateMachineArn, ['2026-11-01T000000Z', '2026-11-02T000000Z']),
      'orders-other_2026-11-01_2026-11-02_20261125T020000Z': input(t.stateMachineArn, ['2026-11-01T000000Z']),
      [name('2026-11-25T01:00:00Z')]: '{not json',
      [name('2026-11-25T00:30:00Z')]: objectInput(t.stateMachineArn, ['2026-10-01T000000Z']),
      [name('2026-11-25T00:00:00Z')]: input(t.stateMachineArn, ['2026-09-01T000000Z']),
    };
    const arnOf = (n: string) => `${BACKFILL.replace(':stateMachine:', ':execution:')}:${n}`;
    const listed = Object.keys(executions).map((n) => ({ name: n, executionArn: arnOf(n), stateMachineArn: BACKFILL, status: 'RUNNING' as const, startDate: START }));
    sfn.on(ListExecutionsCommand, { stateMachineArn: BACKFILL }).resolves({ executions: listed.slice(0, 2), nextToken: 'page2' });
    sfn.on(ListExecutionsCommand, { stateMachineArn: BACKFILL, nextToken: 'page2' }).resolves({ executions: listed.slice(2) });
    sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => {
      const backfill = listed.find((e) => e.executionArn === executionArn);
      if (backfill) return { executionArn, status: 'RUNNING', startDate: START, input: executions[backfill.name] };
      if (executionArn.endsWith(':2026-11-01T000000Z')) return { executionArn, status: 'FAILED', startDate: START, error: 'Lakestep.QualityCheckFailed' };
      throw new ExecutionDoesNotExist({ message: 'none', $metadata: {} });
    });

    const result = await backfillStatus(new SFNClient({ region: 'eu-west-1' }), t, 'acme-lakestep-backfill', { limit: 2 });
    expect(result.backfills.map((b) => [b.executionName, b.runs.map((r) => `${r.name} ${r.state}`)])).toEqual([
      [name('2026-11-25T03:00:00Z'), ['2026-11-01T000000Z failed', '2026-11-02T000000Z pending']],
      [name('2026-11-25T00:30:00Z'), ['2026-10-01T000000Z pending']],
    ]);
    // Logical dates read from the rows, and from the {name, input} runs of a backfill started before rows.
    expect(result.backfills.map((b) => b.days)).toEqual([
      ['2026-11-01', '2026-11-02'],
      ['2026-10-01', '2026-10-01'],
    ]);
    // The other dag's backfill and the unreadable input were not counted; the backfill past --limit was not described.
    const described = sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn);
    expect(described).not.toContain(arnOf('orders-other_2026-11-01_2026-11-02_20261125T020000Z'));
    expect(described).not.toContain(arnOf(name('2026-11-25T00:00:00Z')));
    expect(formatBackfillStatus(result).split('\n').slice(1, 4)).toEqual([
      `  ${name('2026-11-25T03:00:00Z')}  RUNNING since 2026-11-25T00:00:00Z`,
      '    2026-11-01..2026-11-02, 2 run(s), at most 3 at a time: 1 failed, 1 pending',
      '    FAILED: 2026-11-01T000000Z (Lakestep.QualityCheckFailed)',
    ]);
  });

  it('a run its record says succeeded is not looked up; a recorded failure is (a redrive may be under way); a name no execution can have is not', async () => {
    const t = target();
    const name = detachedName(t, '2026-11-01', '2026-11-03', START);
    const arnOf = (n: string) => `${BACKFILL.replace(':stateMachine:', ':execution:')}:${n}`;
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ name, executionArn: arnOf(name), stateMachineArn: BACKFILL, status: 'SUCCEEDED', startDate: START }] });
    const runArn = (day: string) => `${t.stateMachineArn.replace(':stateMachine:', ':execution:')}:${day}T000000Z`;
    sfn.on(DescribeExecutionCommand).callsFake(({ executionArn }: { executionArn: string }) => {
      if (executionArn === arnOf(name)) {
        const handed = JSON.parse(input(t.stateMachineArn, ['2026-11-01T000000Z', '2026-11-02T000000Z', '2026-11-03T000000Z', 'x:acme-orders-other:y'])) as { runs: unknown[] };
        // Rows no backfill --detach writes: no name, a name that is no string, a logical date that is no string, no row at all.
        handed.runs.push([], [42, '2026-11-04T00:00:00Z'], ['2026-11-05T000000Z', { $gt: '' }], null, 'row', { name: ['a'] });
        return { executionArn, status: 'SUCCEEDED', startDate: START, stopDate: START, input: JSON.stringify(handed) };
      }
      if (executionArn === runArn('2026-11-02')) return { executionArn, status: 'RUNNING', startDate: START };
      throw new ExecutionDoesNotExist({ message: 'none', $metadata: {} });
    });
    const record = (day: string, status: string) => ({ pk: { S: t.ref }, sk: { S: `${day}T00:00:00Z#${day}T000000Z` }, status: { S: status }, logical_date: { S: `${day}T00:00:00Z` }, ...(status === 'FAILED' ? { error: { S: 'Spark.JobFailed' } } : {}) });
    const records = itemRecords([record('2026-11-01', 'SUCCEEDED'), record('2026-11-02', 'FAILED'), record('2026-10-31', 'FAILED')]);

    const [b] = (await backfillStatus(new SFNClient({ region: 'eu-west-1' }), t, 'acme-lakestep-backfill', { records })).backfills;
    expect(b?.runs.map((r) => [r.name, r.state, r.status])).toEqual([
      ['2026-11-01T000000Z', 'succeeded', 'SUCCEEDED'],
      ['2026-11-02T000000Z', 'running', 'RUNNING'],
      ['2026-11-03T000000Z', 'not started', undefined],
      // The input is anyone's who may start the machine: a name no execution can have is not looked up (nor another machine's ARN built from it).
      ['x:acme-orders-other:y', 'not started', undefined],
      ['2026-11-05T000000Z', 'not started', undefined],
    ]);
    expect(b?.runs.at(-1)?.logicalDate).toBeUndefined();
    expect(b?.days).toEqual(['2026-11-01', '2026-11-03']);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([arnOf(name), runArn('2026-11-02'), runArn('2026-11-03'), runArn('2026-11-05')]);
  });
});
