/**
 * run / status / backfill / deploy through `cli()`: argv → Step Functions calls
 * (mocked client) and printed output; deploy with a fake credentials check and cdk.
 */
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATE_LISTED_MAX } from '../../src/asl/gate.ts';
import type { Io } from '../../src/cli/io.ts';
import type { SpawnFn } from '../../src/ops/index.ts';
import { sparkUseCase } from '../compile/support.ts';
import { manifest } from '../ops/fixtures.ts';
import { fakeSfn } from '../ops/fake-sfn.ts';
import { folder, folderWithBuild, runCli } from './support.ts';

const ACCOUNT = '123456789012';
const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:acme-orders-orders-daily-report`;
const EXEC = MACHINE.replace(':stateMachine:', ':execution:');
const NOW = new Date('2026-11-26T06:12:34Z');

const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBClient);
let regions: string[] = [];
beforeEach(() => {
  sfn.reset();
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetItemCommand).resolves({});
  regions = [];
});

/** A folder with `build/manifest.json`: `m`, by default orders, customers; payments quarantined. */
function buildFolder(m = manifest()): string {
  return folderWithBuild(m);
}

const aws: Partial<Io> = {
  sfn: (region) => {
    regions.push(region);
    return new SFNClient({ region });
  },
  now: () => NOW,
};

const ops = (argv: string[], dir = buildFolder()) => runCli(argv, dir, aws);

describe('lakestep run', () => {
  it('starts the run of --date, named after its logical date, in the region of the manifest, with --account', async () => {
    const fake = fakeSfn(NOW, sfn);
    const r = await ops(['run', 'orders/orders-daily-report', '--date', '2026-11-20', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    // Looked up first, then started.
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([`${EXEC}:2026-11-20T000000Z`, `${EXEC}:2026-11-20T000000Z`]);
    expect(fake.started()).toEqual([{ name: '2026-11-20T000000Z', input: { trigger: 'manual', logical_date: '2026-11-20T00:00:00Z', data_interval_start: '2026-11-20T00:00:00Z', data_interval_end: '2026-11-21T00:00:00Z', prev_ds: '', next_ds: '', upstreams: [], attempt: 1 } }]);
    expect(r.out).toBe(`orders/orders-daily-report (${MACHINE})\n  2026-11-20T00:00:00Z  [2026-11-20T00:00:00Z, 2026-11-21T00:00:00Z)  started 2026-11-20T000000Z`);
  });

  it('finds the state machine with ListStateMachines without --account, and uses now without --date', async () => {
    const fake = fakeSfn(NOW, sfn);
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [{ name: 'acme-orders-orders-daily-report', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: NOW }] });
    const r = await ops(['run', 'orders/orders-daily-report']);
    expect(r.code).toBe(0);
    expect(fake.started().map((s) => s.name)).toEqual(['2026-11-26T061234Z']);
  });

  it('exits 1 with the --rerun hint when the date already has a failed run; --rerun starts attempt 2', async () => {
    const fake = fakeSfn(NOW, sfn);
    fake.seed(MACHINE, '2026-11-20T000000Z', 'FAILED', NOW);
    const r = await ops(['run', 'orders/orders-daily-report', '--date', '2026-11-20', '--account', ACCOUNT]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('already ran (FAILED at 2026-11-26T06:12:34Z): 2026-11-20T000000Z');
    expect(r.out).toContain('--rerun starts its next attempt');
    const again = await ops(['run', 'orders/orders-daily-report', '--date', '2026-11-20', '--rerun', '--account', ACCOUNT]);
    expect(again.code).toBe(0);
    expect(fake.started().map((s) => s.name)).toEqual(['2026-11-20T000000Z_a2']);
  });

  it('--json prints the result', async () => {
    fakeSfn(NOW, sfn);
    const r = await ops(['run', 'orders/orders-daily-report', '--date', '2026-11-20', '--account', ACCOUNT, '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, items: [{ outcome: 'started', name: '2026-11-20T000000Z', attempt: 1 }] });
  });

  it.each([
    [['run'], 2, 'run needs a workflow'],
    [['run', 'a/b', 'c/d'], 2, "unexpected argument 'c/d'"],
    [['run', 'orders'], 2, 'workflow must be given as <use-case>/<dag>'],
    [['run', 'ordrs/orders-daily-report'], 2, 'unknown use case "ordrs"; did you mean "orders"?'],
    [['run', 'orders/orders-daily-report', '--date', 'tomorrow', '--account', ACCOUNT], 2, '--date must be a day'],
    [['run', 'orders/orders-daily-report', '--account', '12'], 2, '--account must be a 12-digit AWS account id'],
    [['run', 'payments/payments-ingestion'], 1, 'use case "payments" is quarantined'],
  ])('%j exits %i', async (argv, code, message) => {
    const r = await ops(argv);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('exits 1 when the build is missing, or the machine is not deployed', async () => {
    expect(await runCli(['run', 'orders/orders-daily-report'], folder(), aws)).toMatchObject({ code: 1, err: expect.stringContaining('manifest.json not found') });
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    expect(await ops(['run', 'orders/orders-daily-report'])).toMatchObject({ code: 1, err: expect.stringContaining('is not deployed in region eu-west-1') });
  });

  it('turns an AWS error into one line and exit 1', async () => {
    sfn.on(ListStateMachinesCommand).rejects(Object.assign(new Error('User is not authorized to perform states:ListStateMachines'), { name: 'AccessDeniedException', $metadata: {} }));
    const r = await ops(['run', 'orders/orders-daily-report']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('lakestep run: AWS call failed: AccessDeniedException: User is not authorized to perform states:ListStateMachines');
  });
});

describe('lakestep status', () => {
  it('lists --limit executions and the failed state of each failure', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: `${EXEC}:b`, stateMachineArn: MACHINE, name: 'b', status: 'FAILED', startDate: new Date('2026-11-26T06:00:00Z'), stopDate: new Date('2026-11-26T06:05:00Z') },
        { executionArn: `${EXEC}:a`, stateMachineArn: MACHINE, name: 'a', status: 'SUCCEEDED', startDate: new Date('2026-11-25T06:00:00Z'), stopDate: new Date('2026-11-25T06:10:00Z') },
      ],
    });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 3, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Spark.JobFailed', cause: 'the job failed' } },
        { id: 2, timestamp: NOW, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run report' } },
      ],
    });
    const r = await ops(['status', 'orders/orders-daily-report', '--limit', '2', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand)[0]?.args[0].input).toEqual({ stateMachineArn: MACHINE, maxResults: 2 });
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.executionArn)).toEqual([`${EXEC}:b`]);
    expect(r.out).toContain(`orders/orders-daily-report (${MACHINE})`);
    expect(r.out).toMatch(/b +FAILED +2026-11-26T06:00:00Z +2026-11-26T06:05:00Z +5m.*Spark.JobFailed/);
    expect(r.out).toContain('  b: the job failed');
  });

  it('says when the next run is due and which run it is (a dag its schedule starts; none for one nothing schedules)', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const m = manifest();
    m.useCases[0]!.workflows[0]!.timetable = { schedule: 'cron(0 6 * * ? *)', timezone: 'UTC', logicalDate: 'interval' };
    const dir = buildFolder(m);
    const r = await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT], dir);
    expect(r.code).toBe(0);
    // 06:12 on 2026-11-26: the run of 2026-11-26 (its interval ends tomorrow at 06:00).
    expect(r.out).toContain('next run: 2026-11-26T060000Z over [2026-11-26T06:00:00Z, 2026-11-27T06:00:00Z), due 2026-11-27T06:00:00Z');
    const json = JSON.parse((await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT, '--json'], dir)).out) as { next: unknown };
    expect(json.next).toEqual({ logicalDate: '2026-11-26T06:00:00Z', dataInterval: ['2026-11-26T06:00:00Z', '2026-11-27T06:00:00Z'], due: '2026-11-27T06:00:00Z', name: '2026-11-26T060000Z' });
    expect((await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT])).out).not.toContain('next run');
  });

  it('with max_active_runs, says which running executions work and which wait in the gate for an earlier one', async () => {
    const running = (name: string, start: string) => ({ executionArn: `${EXEC}:${name}`, stateMachineArn: MACHINE, name, status: 'RUNNING' as const, startDate: new Date(start) });
    // Newest first, as ListExecutions lists them: the oldest running one works, the two after it wait.
    sfn.on(ListExecutionsCommand).resolves({
      executions: [running('c', '2026-11-26T06:10:00Z'), running('b', '2026-11-26T06:05:00Z'), running('a', '2026-11-26T06:00:00Z'), { executionArn: `${EXEC}:z`, stateMachineArn: MACHINE, name: 'z', status: 'SUCCEEDED', startDate: new Date('2026-11-26T05:00:00Z'), stopDate: new Date('2026-11-26T05:20:00Z') }],
    });
    const m = manifest();
    m.useCases[0]!.workflows[0]!.maxActiveRuns = 1;
    const dir = buildFolder(m);
    const r = await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT], dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('max_active_runs 1: 3 running, 2 waiting for an earlier run to end (c, b)');
    const json = JSON.parse((await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT, '--json'], dir)).out) as { gate: unknown };
    expect(json.gate).toEqual({ maxActiveRuns: 1, running: 3, complete: true, working: ['a'], waiting: ['c', 'b'] });
    // The gate is read as the runs read it, whatever --limit: the running executions, one page of the gate's size.
    expect(sfn.commandCalls(ListExecutionsCommand, { stateMachineArn: MACHINE, statusFilter: 'RUNNING', maxResults: GATE_LISTED_MAX })).not.toHaveLength(0);
    // More running than one page: the listed ones all wait, as their gates do.
    sfn.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions: [running('c', '2026-11-26T06:10:00Z'), running('b', '2026-11-26T06:05:00Z')], nextToken: 'more' });
    const full = await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT], dir);
    expect(full.out).toContain('max_active_runs 1: more than 2 running, past one listing: no run in the gate goes until at most 2 run (waiting runs time out)');
    // Without max_active_runs: no such line.
    expect((await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT])).out).not.toContain('max_active_runs');
  });

  it('--json prints the executions', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const r = await ops(['status', 'orders/orders-daily-report', '--json', '--account', ACCOUNT]);
    expect(JSON.parse(r.out)).toEqual({ ref: 'orders/orders-daily-report', stateMachineArn: MACHINE, executions: [], triggers: [], quality: { freshness: [] } });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ TableName: 'runs', ExpressionAttributeValues: { ':pk': { S: 'orders/orders-daily-report' } } });
  });

  it('shows the last run checks; a runs table it cannot read is shown, not fatal', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    ddb.on(QueryCommand).rejects(Object.assign(new Error('not authorized to perform dynamodb:Query'), { name: 'AccessDeniedException' }));
    const r = await ops(['status', 'orders/orders-daily-report', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('checks and freshness: unknown (AccessDeniedException: not authorized to perform dynamodb:Query)');
  });

  it.each([
    [['status', 'orders/orders-daily-report', '--limit', 'ten'], '--limit must be an integer'],
    [['status', 'orders/orders-daily-report', '--limit', '0', '--account', ACCOUNT], '--limit must be an integer from 1 to 1000'],
    [['status'], 'status needs a use case or a dag'],
  ])('%j exits 2', async (argv, message) => {
    const r = await ops(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(sfn.commandCalls(ListExecutionsCommand)).toHaveLength(0);
  });
});

describe('lakestep backfill', () => {
  it('--dry-run looks every run up and lists its fate without starting anything', async () => {
    const fake = fakeSfn(NOW, sfn);
    fake.seed(MACHINE, '2026-11-02T000000Z', 'SUCCEEDED', NOW);
    const r = await ops(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-03', '--dry-run', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(r.out).toContain('already ran (SUCCEEDED at 2026-11-26T06:12:34Z): 2026-11-02T000000Z');
    expect(r.out).toContain('dry run: 2 would start, 1 skipped; nothing was started');
  });

  it('starts every run, skipping runs that exist; a second backfill over running runs starts nothing', async () => {
    const fake = fakeSfn(NOW, sfn);
    fake.seed(MACHINE, '2026-11-02T000000Z', 'SUCCEEDED', NOW);
    const io = { ...aws, sleep: async () => fake.finishAll() } as Partial<Io>;
    const r = await runCli(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-03', '--max-concurrency', '1', '--account', ACCOUNT], buildFolder(), io);
    expect(r.code).toBe(0);
    expect(fake.started().map((s) => [s.name, s.input.trigger])).toEqual([
      ['2026-11-01T000000Z', 'backfill'],
      ['2026-11-03T000000Z', 'backfill'],
    ]);
    expect(r.out).toContain('2 started (2 succeeded, 0 failed), 1 skipped, 0 failed to start');
  });

  it('reads the runs table over the days of the backfill once: a run only its record remembers is not started again', async () => {
    const fake = fakeSfn(NOW, sfn);
    const sk = '2026-11-02T00:00:00Z#2026-11-02T000000Z';
    ddb.on(QueryCommand).resolves({ Items: [{ pk: { S: 'orders/orders-daily-report' }, sk: { S: sk }, status: { S: 'SUCCEEDED' }, logical_date: { S: '2026-11-02T00:00:00Z' }, finished_at: { S: '2026-11-02T00:20:00Z' } }] });
    const io = { ...aws, sleep: async () => fake.finishAll() } as Partial<Io>;
    const r = await runCli(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-03', '--account', ACCOUNT], buildFolder(), io);
    expect(r.out).toContain('already ran (SUCCEEDED at 2026-11-02T00:20:00Z, from the runs table): 2026-11-02T000000Z');
    expect(fake.started().map((s) => s.name)).toEqual(['2026-11-01T000000Z', '2026-11-03T000000Z']);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({
        TableName: 'runs',
        KeyConditionExpression: 'pk = :pk AND #sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': { S: 'orders/orders-daily-report' }, ':lo': { S: '2026-11-01' }, ':hi': { S: '2026-11-04' } },
      }),
    ]);
  });

  it('exits 1 when a run fails to start', async () => {
    fakeSfn(NOW, sfn);
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('Provided input is not valid JSON'), { name: 'InvalidExecutionInput', $metadata: { httpStatusCode: 400 } }));
    const r = await ops(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-01', '--account', ACCOUNT]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not started: InvalidExecutionInput: Provided input is not valid JSON');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('waits out throttling: a throttled lookup or start is retried after a backoff, and the runs start once each', async () => {
    const fake = fakeSfn(NOW, sfn);
    // AWS throttles the first lookup and the first two starts; every other call reaches the fake.
    const throttles = new Map<string, number>([
      ['DescribeExecutionCommand', 1],
      ['StartExecutionCommand', 2],
    ]);
    const throttling = (client: SFNClient): SFNClient =>
      new Proxy(client, {
        get: (target, key, receiver) =>
          key !== 'send'
            ? Reflect.get(target, key, receiver)
            : async (command: object) => {
                const left = throttles.get(command.constructor.name) ?? 0;
                if (left > 0) {
                  throttles.set(command.constructor.name, left - 1);
                  throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
                }
                return target.send(command as StartExecutionCommand);
              },
      });
    const waits: number[] = [];
    const io = { ...aws, sfn: (region: string) => throttling(new SFNClient({ region })), sleep: async (ms: number) => void (waits.push(ms), fake.finishAll()) } as Partial<Io>;
    const r = await runCli(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--max-concurrency', '1', '--account', ACCOUNT], buildFolder(), io);
    expect(r.code).toBe(0);
    expect([...throttles.values()]).toEqual([0, 0]);
    expect(fake.started().map((s) => s.name)).toEqual(['2026-11-01T000000Z', '2026-11-02T000000Z']);
    expect(r.out).toContain('2 started (2 succeeded, 0 failed), 0 skipped, 0 failed to start');
    // Three backoffs, each under its cap (0.5 s, 0.5 s, then 1 s: a retried call waits up to twice as long as before).
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(waits.slice(0, 3).every((ms) => ms < 1_000)).toBe(true);
  });

  it('--detach hands the runs to the backfill state machine in one execution', async () => {
    const fake = fakeSfn(NOW, sfn);
    fake.seed(MACHINE, '2026-11-02T000000Z', 'FAILED', NOW);
    const r = await ops(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-03', '--reprocess', 'failed', '--max-concurrency', '3', '--detach', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    const [start] = fake.started();
    expect(start?.name).toBe('orders-orders-daily-report_2026-11-01_2026-11-03_20261126T061234Z');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.stateMachineArn).toBe(`arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:acme-lakestep-backfill`);
    expect(start?.input).toMatchObject({ state_machine_arn: MACHINE, max_concurrency: 3 });
    expect((start?.input.runs as unknown[][]).map(([name, logicalDate, , , , , attempt]) => [name, logicalDate, attempt])).toEqual([
      ['2026-11-01T000000Z', '2026-11-01T00:00:00Z', 1],
      ['2026-11-02T000000Z_a2', '2026-11-02T00:00:00Z', 2],
      ['2026-11-03T000000Z', '2026-11-03T00:00:00Z', 1],
    ]);
    expect(r.out).toContain('handed 3 run(s) to orders-orders-daily-report_2026-11-01_2026-11-03_20261126T061234Z, at most 3 at a time');
    expect(r.out).toContain('handed to the backfill machine as 2026-11-02T000000Z_a2 (attempt 2; attempt 1 ran (FAILED');
    expect(r.out).not.toMatch(/would (re)?run|dry run|0 started/);
  });

  it('--detach --json says what was handed, and that it was no dry run', async () => {
    fakeSfn(NOW, sfn);
    const r = await ops(['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--detach', '--json', '--account', ACCOUNT]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ dryRun: false, detached: { runs: 2 } });
    expect(out.items.map((i: { outcome: string }) => i.outcome)).toEqual(['handed', 'handed']);
  });

  it.each([
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01'], 'backfill needs --from YYYY-MM-DD and --to YYYY-MM-DD'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-03', '--to', '2026-11-01', '--account', ACCOUNT], '--from 2026-11-03 is after --to 2026-11-01'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--max-concurrency', '50', '--account', ACCOUNT], '--max-concurrency must be an integer from 1 to 40'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--reprocess', 'some', '--account', ACCOUNT], '--reprocess must be none, failed or all'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--detach', '--dry-run', '--account', ACCOUNT], '--detach and --dry-run exclude each other'],
    [['backfill', 'orders/orders-daily-report', '--from', '2020-01-01', '--to', '2026-01-01', '--account', ACCOUNT], 'needs --force'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--dryrun'], "Unknown option '--dryrun'"],
    [['backfill', 'orders/orders-daily-report', '--status', '--from', '2026-11-01', '--detach'], '--status lists the detached backfills; it takes no --from, --detach'],
    [['backfill', 'orders/orders-daily-report', '--status', '--limit', '0'], '--limit must be an integer from 1 to 100, got 0'],
    [['backfill', 'orders/orders-daily-report', '--from', '2026-11-01', '--to', '2026-11-02', '--limit', '3'], '--limit goes with --status'],
  ])('%j exits 2', async (argv, message) => {
    const r = await ops(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('lakestep deploy', () => {
  const CLEAN = {
    'specs/sales/orchestration.yaml': sparkUseCase('sales@example.com', [{ name: 'extract', schedule: 'rate(1 day)' }]),
    'specs/crm/orchestration.yaml': sparkUseCase('crm@example.com', [{ name: 'scores' }]),
  };
  const BROKEN_HR = { ...CLEAN, 'specs/hr/orchestration.yaml': 'owner: hr@example.com\ndags: 3\n' };
  const calls: { command: string; args: string[]; cwd: string }[] = [];
  const spawn = (code: number): SpawnFn => async (command, args, options) => {
    calls.push({ command, args, cwd: options.cwd });
    return code;
  };
  const credentials: Partial<Io> = { checkCredentials: async () => ({ ok: true, source: 'env', elapsedMs: 1 }) };
  // The bootstrap preflight's SDK calls (the check itself runs): bootstrapped unless a test says otherwise.
  const ssm = mockClient(SSMClient);
  const sts = mockClient(STSClient);
  // Nothing deployed yet unless a test says otherwise; an account with room for the roles the deploy adds.
  const cfn = mockClient(CloudFormationClient);
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    calls.length = 0;
    ssm.reset();
    sts.reset();
    cfn.reset();
    iam.reset();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [] });
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { Roles: 40, RolesQuota: 1000 } });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  });

  it('stops before cdk when the platform account and region are not bootstrapped, printing the cdk bootstrap command', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const dir = folder({ ...CLEAN, 'specs/platform.yaml': 'prefix: acme\nregion: eu-central-1\naccount: "210987654321"\n' });
    const r = await runCli(['deploy', 'specs'], dir, { ...credentials, spawn: spawn(0) });
    expect(r.code).toBe(1);
    expect(r.err).toContain('lakestep deploy: cannot deploy: the CDK is not bootstrapped in aws://210987654321/eu-central-1 (no SSM parameter /cdk-bootstrap/hnb659fds/version); bootstrap it once with\n  npx cdk bootstrap aws://210987654321/eu-central-1\n');
    expect(calls).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({ Name: '/cdk-bootstrap/hnb659fds/version' });
  });

  it('compiles, then runs cdk deploy on the stacks not deployed yet', async () => {
    const dir = folder(CLEAN);
    const r = await runCli(['deploy', 'specs'], dir, { ...credentials, spawn: spawn(0) });
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 use case(s) compiled, 2 workflow(s), 0 quarantined → build/manifest.json');
    expect(r.out).toContain('deploy lakestep-platform: not deployed\ndeploy use case crm: new\ndeploy use case sales: new\n');
    const stacks = ['lakestep-platform', 'lakestep-crm', 'lakestep-crm-[0-9]*', 'lakestep-sales', 'lakestep-sales-[0-9]*'];
    expect(calls).toEqual([
      {
        command: 'node_modules/.bin/cdk',
        args: ['deploy', '--app', 'node --v8-pool-size=1 --import tsx infra/app.ts', '--context', `buildDir=${join(dir, 'build')}`, '--require-approval', 'never', '--concurrency', '8', '--exclusively', ...stacks],
        cwd: dir,
      },
    ]);
    expect(r.out).toContain(`deployed ${stacks.join(' ')} from build/manifest.json`);
  });

  it('--all deploys every stack; --dry-run stops before cdk', async () => {
    const dir = folder(CLEAN);
    const all = await runCli(['deploy', 'specs', '--all'], dir, { ...credentials, spawn: spawn(0) });
    expect(all.code).toBe(0);
    expect(calls[0]?.args.at(-1)).toBe('--all');
    // Read for the role quota: every role of the build is new to the account.
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(all.out).toMatch(/IAM: the account has 40 IAM roles of its quota of 1,000 and this deploy adds \d+/);
    const dry = await runCli(['deploy', 'specs', '--dry-run'], dir, { ...credentials, spawn: spawn(0) });
    expect(dry.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(dry.out).toContain('deploy use case sales: new');
    expect(dry.out).toContain('dry run: nothing deployed');
  });

  it('--concurrency sets how many stacks cdk deploys at once; a bad value stops before anything is asked of AWS', async () => {
    const dir = folder(CLEAN);
    const three = await runCli(['deploy', 'specs', '--concurrency', '3'], dir, { ...credentials, spawn: spawn(0) });
    expect(three.code).toBe(0);
    const args = calls[0]!.args;
    expect(args.slice(args.indexOf('--concurrency'), args.indexOf('--concurrency') + 2)).toEqual(['--concurrency', '3']);
    for (const [value, message] of [
      ['0', '--concurrency must be an integer from 1 to 50, got 0'],
      ['51', '--concurrency must be an integer from 1 to 50, got 51'],
      ['many', '--concurrency must be an integer, got "many"'],
    ] as const) {
      cfn.resetHistory();
      const checkCredentials = vi.fn(async () => ({ ok: true as const, source: 'env' as const, elapsedMs: 1 }));
      const bad = await runCli(['deploy', 'specs', '--concurrency', value], dir, { checkCredentials, spawn: spawn(0) });
      expect(bad.code, value).toBe(2);
      expect(bad.err, value).toContain(message);
      expect(checkCredentials).not.toHaveBeenCalled();
      expect(cfn.calls()).toHaveLength(0);
    }
    expect(calls).toHaveLength(1);
  });

  it('counts what it deploys past 100 use cases instead of naming every stack', async () => {
    const many: Record<string, string> = { ...CLEAN };
    for (let i = 0; i < 101; i++) many[`specs/uc${String(i).padStart(3, '0')}/orchestration.yaml`] = sparkUseCase(`uc${String(i).padStart(3, '0')}@example.com`, [{ name: 'run' }]);
    const r = await runCli(['deploy', 'specs'], folder(many), { ...credentials, spawn: spawn(0) });
    expect(r.code).toBe(0);
    // crm, sales and uc000…uc097 one per line, then a count.
    expect(r.out).toContain('deploy use case uc097: new\ndeploy 3 more use case(s): 3 new\n');
    expect(r.out).not.toContain('deploy use case uc098');
    expect(r.out).toContain('deployed the stacks of 103 use case(s) and the platform stack from build/manifest.json');
    // cdk still gets every stack by name.
    expect(calls[0]!.args.filter((a) => /^lakestep-uc\d{3}$/.test(a))).toHaveLength(101);
  }, 60_000);

  it('--use-case deploys the platform stack and those use cases only', async () => {
    const r = await runCli(['deploy', 'specs', '--use-case', 'sales', '--use-case', 'crm', '--out', 'out'], folder(CLEAN), { ...credentials, spawn: spawn(0) });
    expect(r.code).toBe(0);
    expect(calls[0]?.args.slice(-5)).toEqual(['lakestep-platform', 'lakestep-sales', 'lakestep-sales-[0-9]*', 'lakestep-crm', 'lakestep-crm-[0-9]*']);
  });

  it('leaves a quarantined use case out, says its stacks are untouched, deploys the others and exits 1', async () => {
    const r = await runCli(['deploy', 'specs'], folder(BROKEN_HR), { ...credentials, spawn: spawn(0) });
    expect(calls).toHaveLength(1);
    expect(r.out).toContain('1 use case(s) quarantined and left out of this deployment: hr');
    expect(r.out).toContain('use case hr is quarantined (1 error(s) in its specs): not deployed; its stacks in AWS (lakestep-hr*), if any, are left untouched');
    expect(r.code).toBe(1);
  });

  it('refuses --use-case of a quarantined (exit 1) or unknown (exit 2) use case before cdk runs', async () => {
    const q = await runCli(['deploy', 'specs', '--use-case', 'hr'], folder(BROKEN_HR), { ...credentials, spawn: spawn(0) });
    expect(q.code).toBe(1);
    expect(q.err).toContain('use case "hr" is quarantined');
    const u = await runCli(['deploy', 'specs', '--use-case', 'sale'], folder(CLEAN), { ...credentials, spawn: spawn(0) });
    expect(u.code).toBe(2);
    expect(u.err).toContain('unknown use case "sale"');
    expect(calls).toHaveLength(0);
  });

  it('exits 1 when cdk fails', async () => {
    const r = await runCli(['deploy', 'specs'], folder(CLEAN), { ...credentials, spawn: spawn(3) });
    expect(r.code).toBe(1);
    expect(r.err).toContain('cdk deploy exited with code 3');
  });

  it('deploys nothing when platform.yaml has errors', async () => {
    const r = await runCli(['deploy', 'specs'], folder({ ...CLEAN, 'specs/platform.yaml': 'prefix: 3\nbogus: true\n' }), { ...credentials, spawn: spawn(0) });
    expect(r.code).toBe(1);
    expect(r.err).toContain('platform.yaml has errors: nothing deployed');
    expect(calls).toHaveLength(0);
  });

  describe('without AWS credentials', () => {
    afterEach(() => void vi.unstubAllEnvs());

    it('fails within seconds naming the missing credentials, and cdk never runs', async () => {
      const empty = folder();
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
        vi.stubEnv(name, undefined);
      }
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(empty, 'credentials'));
      vi.stubEnv('AWS_CONFIG_FILE', join(empty, 'config'));
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      const started = Date.now();
      const r = await runCli(['deploy', 'specs'], folder(CLEAN), { spawn: spawn(0) });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/lakestep deploy: cannot deploy: .*AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY/);
      expect(calls).toHaveLength(0);
    }, 15_000);

    it('reports a failed credentials check as exit 1', async () => {
      const r = await runCli(['deploy', 'specs'], folder(CLEAN), { checkCredentials: async () => ({ ok: false, message: 'no AWS credentials: nope', elapsedMs: 3 }), spawn: spawn(0) });
      expect(r).toMatchObject({ code: 1, err: expect.stringContaining('cannot deploy: no AWS credentials: nope') });
      expect(calls).toHaveLength(0);
    });
  });
});
