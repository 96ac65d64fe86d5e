/**
 * `lakestep retry` and the redrives `status` shows, through `cli()` with a mocked Step
 * Functions client: moto has no RedriveExecution (test/aws-local/moto-gaps.moto.ts), so
 * the SDK call is checked here, against the SDK's own command and error classes.
 */
import { DescribeExecutionCommand, ExecutionDoesNotExist, ExecutionNotRedrivable, ListExecutionsCommand, RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { manifestWith, manifestWorkflow } from '../helpers/manifest.ts';
import { folderWithBuild, runCli } from './support.ts';

const ACCOUNT = '123456789012';
const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:acme-orders-orders-ingestion`;
const NAME = '2026-11-25T020000Z';
const EXEC = `${MACHINE.replace(':stateMachine:', ':execution:')}:${NAME}`;
const NOW = new Date('2026-11-26T09:00:00Z');

function buildFolder(): string {
  return folderWithBuild(manifestWith([{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], workflows: [manifestWorkflow('orders', 'orders-ingestion', { kind: 'ingestion', type: 'ingestion' })] }]));
}

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());
const io: Partial<Io> = { sfn: (region) => new SFNClient({ region }), now: () => NOW };
const ops = (argv: string[]) => runCli(argv, buildFolder(), io);
const described = (over: Record<string, unknown>) => ({ executionArn: EXEC, name: NAME, stateMachineArn: MACHINE, startDate: new Date('2026-11-25T02:00:00Z'), ...over });
/** DescribeExecution of the run's execution answers `over`; any other execution does not exist. */
const onDescribe = (over: Record<string, unknown>, arn = EXEC) => {
  sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
  sfn.on(DescribeExecutionCommand, { executionArn: arn }).resolves(described(over));
};

describe('lakestep retry', () => {
  it('redrives a failed execution by its ARN and says which redrive it is', async () => {
    onDescribe({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-26T09:00:01.500Z') });
    const r = await ops(['retry', 'orders/orders-ingestion', '--execution', NAME, '--account', ACCOUNT]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const calls = sfn.commandCalls(RedriveExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.executionArn).toBe(EXEC);
    expect(r.out.split('\n')[0]).toBe(`orders/orders-ingestion: redrove execution ${NAME} from its failed state (redrive 1, at 2026-11-26T09:00:01Z)`);
  });

  it('a second retry of a timed-out execution that was redriven once is redrive 2', async () => {
    onDescribe({ status: 'TIMED_OUT', redriveCount: 1, redriveStatus: 'REDRIVABLE' });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: NOW });
    const r = await ops(['retry', 'orders/orders-ingestion', '--execution', NAME, '--account', ACCOUNT, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ execution: NAME, status: 'TIMED_OUT', redriven: true, redriveCount: 2, redriveDate: '2026-11-26T09:00:00Z' });
  });

  it.each([
    ['RUNNING', {}, 'it is running'],
    ['SUCCEEDED', {}, 'it succeeded: `lakestep run orders/orders-ingestion --date <logical date> --rerun` starts a new attempt'],
    ['FAILED', { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is older than 14 days' }, 'Step Functions cannot redrive it: Execution is older than 14 days'],
  ])('does not call RedriveExecution for a %s execution that cannot be redriven (exit 1)', async (status, over, reason) => {
    onDescribe({ status, ...over });
    const r = await ops(['retry', 'orders/orders-ingestion', '--execution', NAME, '--account', ACCOUNT]);
    expect(r.code).toBe(1);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    expect(r.out).toBe(`orders/orders-ingestion: execution ${NAME} (${status}) not redriven: ${reason}`);
  });

  it('reports the refusal of Step Functions when the execution became unredrivable after the describe', async () => {
    onDescribe({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    sfn.on(RedriveExecutionCommand).rejects(new ExecutionNotRedrivable({ message: 'Execution has reached the maximum redrive count', $metadata: {} }));
    const r = await ops(['retry', 'orders/orders-ingestion', '--execution', NAME, '--account', ACCOUNT]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not redriven: Step Functions cannot redrive it: Execution has reached the maximum redrive count');
  });

  it('does not redrive an attempt a later attempt of the run took over from (exit 1)', async () => {
    onDescribe({ status: 'FAILED', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    sfn.on(DescribeExecutionCommand, { executionArn: `${EXEC}_a2` }).resolves(described({ executionArn: `${EXEC}_a2`, name: `${NAME}_a2`, status: 'FAILED' }));
    const r = await ops(['retry', 'orders/orders-ingestion', '--execution', NAME, '--account', ACCOUNT]);
    expect(r.code).toBe(1);
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
    expect(r.out).toBe(`orders/orders-ingestion: execution ${NAME} (FAILED) not redriven: attempt 2 of this run exists (${NAME}_a2, FAILED): retry that one, or \`lakestep run orders/orders-ingestion --date <logical date> --rerun\` starts the next`);
    // Attempt 2 itself, with no attempt 3, is redriven.
    sfn.reset();
    onDescribe({ executionArn: `${EXEC}_a2`, name: `${NAME}_a2`, status: 'FAILED', redriveStatus: 'REDRIVABLE' }, `${EXEC}_a2`);
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: NOW });
    expect((await ops(['retry', 'orders/orders-ingestion', '--execution', `${NAME}_a2`, '--account', ACCOUNT])).code).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toContain(`${EXEC}_a3`);
  });

  it('needs --execution (exit 2, before any AWS call)', async () => {
    const r = await ops(['retry', 'orders/orders-ingestion']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('lakestep retry: retry needs --execution NAME (lakestep status lists them)');
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('lakestep status shows redrives', () => {
  it('adds a REDRIVES column with the count and last redrive once an execution was redriven', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXEC, stateMachineArn: MACHINE, name: NAME, status: 'SUCCEEDED', startDate: new Date('2026-11-25T02:00:00Z'), stopDate: new Date('2026-11-26T09:10:00Z'), redriveCount: 2, redriveDate: new Date('2026-11-26T09:00:00Z') },
        { executionArn: `${EXEC}x`, stateMachineArn: MACHINE, name: '2026-11-24T020000Z', status: 'SUCCEEDED', startDate: new Date('2026-11-24T02:00:00Z'), stopDate: new Date('2026-11-24T02:10:00Z'), redriveCount: 0 },
      ],
    });
    const r = await ops(['status', 'orders/orders-ingestion', '--account', ACCOUNT]);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^EXECUTION\s+STATUS\s+REDRIVES\s+START\s+STOP/);
    expect(lines[2]).toMatch(new RegExp(`^${NAME}\\s+SUCCEEDED\\s+2 \\(last 2026-11-26T09:00:00Z\\)\\s+2026-11-25T02:00:00Z`));
    expect(lines[3]).toMatch(/^2026-11-24T020000Z\s+SUCCEEDED\s+2026-11-24T02:00:00Z/);
  });

  it('has no REDRIVES column while nothing was redriven', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXEC, stateMachineArn: MACHINE, name: NAME, status: 'SUCCEEDED', startDate: NOW, stopDate: NOW, redriveCount: 0 }] });
    const r = await ops(['status', 'orders/orders-ingestion', '--account', ACCOUNT]);
    expect(r.out.split('\n')[1]).toMatch(/^EXECUTION\s+STATUS\s+START\s+STOP/);
  });
});
