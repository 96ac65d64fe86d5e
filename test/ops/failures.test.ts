/**
 * `lakestep failures`: the metric queries (batched by 500, paged), which machines are then read, the
 * newest failure of each, the table, the exit code and the arguments. CloudWatch and Step Functions are
 * mocked SDK clients here; test/aws-local/failures.moto.ts runs the same reads on moto's.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, ListTagsForResourceCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FreshnessAlarm, Manifest } from '../../src/build/types.ts';
import { failuresCommand, failuresExitCode, formatFailures } from '../../src/cli/failures.ts';
import { metricPeriod, readFailures } from '../../src/ops/failures.ts';
import { manifestPlatform, manifestWorkflow, writeManifest } from '../helpers/manifest.ts';

const cw = mockClient(CloudWatchClient);
const sfn = mockClient(SFNClient);
beforeEach(() => {
  cw.reset();
  sfn.reset();
});

const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;
/** `n` use cases of two dags each, the platform's machines beside them. */
function platform(n: number): Manifest {
  return {
    version: 1,
    lakestepVersion: '0.1.0',
    platform: manifestPlatform({ account: ACCOUNT }),
    useCases: Array.from({ length: n }, (_, i) => ({ name: `uc${i}`, owner: 'o@example.com', specHash: 'h', files: [], workflows: ['load', 'report'].map((d) => manifestWorkflow(`uc${i}`, d)) })),
    tables: {},
    quarantined: [],
    machines: { backfill: { stateMachineName: 'acme-lakestep-backfill', definition: 'lakestep/backfill.asl.json' }, dispatcher: { stateMachineName: 'acme-lakestep-dispatcher', definition: 'lakestep/dispatch.asl.json', rule: {} as never } },
  };
}
const NOW = new Date('2026-12-06T12:00:00Z');
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
const SINCE = new Date('2026-12-05T12:00:00Z');
/** Answers GetMetricData with `values` for the queries (by machine name and metric) they name, nothing for the others. */
function metrics(values: Record<string, Record<string, number[]>>) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q): MetricDataResult => {
      const stat = q.MetricStat!;
      const machine = stat.Metric!.Dimensions![0]!.Value!.split(':').at(-1)!;
      return { Id: q.Id, Label: stat.Metric!.MetricName, StatusCode: 'Complete', Timestamps: [], Values: values[machine]?.[stat.Metric!.MetricName!] ?? [] };
    }),
  }));
}

describe('readFailures', () => {
  it('asks for the three failure metrics of every machine in requests of at most 500 queries, then lists only the failing ones', async () => {
    const m = platform(100); // 200 dags and 2 platform machines: 606 queries
    metrics({ 'acme-uc7-report': { ExecutionsFailed: [1, 0, 2] }, 'acme-lakestep-dispatcher': { ExecutionsAborted: [1] } });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), m, { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT });
    const requests = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(requests.map((q) => q.MetricDataQueries!.length)).toEqual([500, 106]);
    expect(requests[0]).toMatchObject({ StartTime: SINCE, EndTime: NOW });
    expect(requests[0]!.MetricDataQueries![0]).toEqual({
      Id: 'm0_failed',
      MetricStat: { Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: arnOf('acme-uc0-load') }] }, Period: 480, Stat: 'Sum' },
      ReturnData: true,
    });
    expect(new Set(requests.flatMap((q) => q.MetricDataQueries!.map((x) => x.MetricStat!.Metric!.MetricName)))).toEqual(new Set(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']));
    expect(r.failing.map((f) => [f.dag, f.counts])).toEqual([
      ['uc7/report', { FAILED: 3, TIMED_OUT: 0, ABORTED: 0 }],
      ['lakestep/dispatch', { FAILED: 0, TIMED_OUT: 0, ABORTED: 1 }],
    ]);
    // One ListExecutions per failing machine and status that has failures; nothing ended in the window: no history.
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => [c.args[0].input.stateMachineArn, c.args[0].input.statusFilter]).sort()).toEqual([
      [arnOf('acme-lakestep-dispatcher'), 'ABORTED'],
      [arnOf('acme-uc7-report'), 'FAILED'],
    ]);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    expect(r.calls).toEqual({ getMetricData: 2, describeAlarms: 0, listExecutions: 2, getExecutionHistory: 0, listStateMachines: false });
  });

  it("counts an Express dispatcher's failures from its metrics and names its log group: Step Functions lists no Express execution", async () => {
    // The SFN service model as the SDK ships it: ListExecutions throws StateMachineTypeNotSupported, and neither
    // DescribeExecution nor GetExecutionHistory reads an Express execution.
    const commands = join(dirname(createRequire(import.meta.url).resolve('@aws-sdk/client-sfn/package.json')), 'dist-types/commands');
    expect(readFileSync(join(commands, 'ListExecutionsCommand.d.ts'), 'utf8')).toContain('@throws {@link StateMachineTypeNotSupported}');
    expect(readFileSync(join(commands, 'GetExecutionHistoryCommand.d.ts'), 'utf8')).toMatch(/not supported by <code>EXPRESS<\/code> state machines/);
    const m = platform(1);
    m.machines!.dispatcher!.type = 'EXPRESS';
    metrics({ 'acme-lakestep-dispatcher': { ExecutionsFailed: [2], ExecutionsTimedOut: [1] }, 'acme-uc0-load': { ExecutionsFailed: [1] } });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), m, { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT });
    expect(r.failing).toEqual([
      { dag: 'lakestep/dispatch', stateMachineArn: arnOf('acme-lakestep-dispatcher'), counts: { FAILED: 2, TIMED_OUT: 1, ABORTED: 0 }, logGroup: '/aws/vendedlogs/states/acme' },
      { dag: 'uc0/load', stateMachineArn: arnOf('acme-uc0-load'), counts: { FAILED: 1, TIMED_OUT: 0, ABORTED: 0 } },
    ]);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.stateMachineArn)).toEqual([arnOf('acme-uc0-load')]);
    const text = formatFailures(r);
    expect(text).toMatch(/lakestep\/dispatch +2 +1 +0 +- +Express runs: in the log group \/aws\/vendedlogs\/states\/acme/);
  });

  it('follows NextToken within a batch', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'm1_failed', Values: [1] }], NextToken: 'more' })
      .resolves({ MetricDataResults: [{ Id: 'm1_failed', Values: [2] }, { Id: 'm0_timed_out', Values: [1] }] });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), platform(1), { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT, useCases: ['uc0'] });
    expect(cw.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('more');
    expect(r.failing.map((f) => [f.dag, f.counts])).toEqual([
      ['uc0/report', { FAILED: 3, TIMED_OUT: 0, ABORTED: 0 }],
      ['uc0/load', { FAILED: 0, TIMED_OUT: 1, ABORTED: 0 }],
    ]);
    // --use-case: the platform's machines are not asked about.
    expect(cw.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries).toHaveLength(6);
  });

  it("reads the history of each failing dag's newest failure that ended in the window, over its failure statuses", async () => {
    metrics({ 'acme-uc0-load': { ExecutionsFailed: [1], ExecutionsTimedOut: [1] } });
    const arn = arnOf('acme-uc0-load');
    const exec = (name: string, stop: string) => ({ executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`, stateMachineArn: arn, name, status: undefined, startDate: new Date(stop), stopDate: new Date(stop) });
    sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: [{ ...exec('2026-12-06T010000Z', '2026-12-06T01:20:00Z'), status: 'FAILED' }, { ...exec('2026-12-05T000000Z', '2026-12-05T00:30:00Z'), status: 'FAILED' }] });
    sfn.on(ListExecutionsCommand, { statusFilter: 'TIMED_OUT' }).resolves({ executions: [{ ...exec('2026-12-06T020000Z', '2026-12-06T04:00:00Z'), status: 'TIMED_OUT' }] });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date(0) },
        { id: 2, type: 'TaskStateEntered', timestamp: new Date(0), stateEnteredEventDetails: { name: 'Run load' } },
        { id: 3, type: 'TaskTimedOut', previousEventId: 2, timestamp: new Date(0), taskTimedOutEventDetails: { resourceType: 'emr-serverless', resource: 'startJobRun.sync', error: 'States.Timeout', cause: 'job run\u001b[2J over 2h' } },
        { id: 4, type: 'ExecutionTimedOut', previousEventId: 3, timestamp: new Date(0), executionTimedOutEventDetails: { error: 'States.Timeout' } },
      ],
    });
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), platform(1), { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT });
    expect(r.failing[0]!.newest).toEqual({
      name: '2026-12-06T020000Z',
      executionArn: `${arn.replace(':stateMachine:', ':execution:')}:2026-12-06T020000Z`,
      status: 'TIMED_OUT',
      stop: '2026-12-06T04:00:00Z',
      error: 'States.Timeout',
      cause: 'job run\u001b[2J over 2h',
      state: 'Run load',
    });
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.executionArn)).toEqual([r.failing[0]!.newest!.executionArn]);
    // The table: one row, the cause escaped.
    const text = formatFailures(r);
    expect(text).toContain("uc0/load  1       1          0        2026-12-06T04:00:00Z 2026-12-06T020000Z  States.Timeout in 'Run load': job run\\x1b[2J over 2h");
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/^Failures since 2026-12-05T12:00:00Z \(CloudWatch's Step Functions metrics in 8-minute periods, 4 state machine\(s\), 1 GetMetricData request\(s\)\):/);
    expect(text.split('\n').at(-1)).toBe('1 of 4 state machine(s) failed since 2026-12-05T12:00:00Z; `lakestep status <dag>` lists its executions, `lakestep logs <dag> --execution NAME` its job runs');
  });

  it('finds the ARNs with ListStateMachines without an account, and notes the machines not deployed', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [{ name: 'acme-uc0-load', stateMachineArn: arnOf('acme-uc0-load'), type: 'STANDARD', creationDate: new Date(0) }] });
    metrics({});
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), platform(1), { since: SINCE, now: NOW, quarantined: [], useCases: ['uc0'] });
    expect(r.machines).toBe(1);
    expect(r.notes).toEqual(['1 state machine(s) not deployed in eu-west-1: uc0/report']);
    expect(formatFailures(r)).toBe(
      "note: 1 state machine(s) not deployed in eu-west-1: uc0/report\nNo execution failed, timed out or was aborted since 2026-12-05T12:00:00Z (CloudWatch's Step Functions metrics in 8-minute periods, 1 state machine(s), 1 GetMetricData request(s); the metrics trail the executions by a few minutes).",
    );
  });

  it('sums in periods of what CloudWatch keeps for data that old, of at most ~200 data points a query', () => {
    const at = (hours: number) => metricPeriod(new Date(NOW.getTime() - hours * 3600_000), NOW);
    // 1-minute data up to 15 days back, 5-minute data to 63, hourly data beyond.
    expect([at(1), at(3), at(4), at(24), at(24 * 15), at(24 * 16), at(24 * 90)]).toEqual([60, 60, 120, 480, 6480, 6900, 39_600]);
    for (const hours of [1, 3, 4, 24, 24 * 15, 24 * 16, 24 * 90]) expect((hours * 3600) / at(hours)).toBeLessThanOrEqual(201);
  });
});

describe('failures: tables past their freshness SLA', () => {
  const alarm = (uc: string, table: string, level: 'warn' | 'error', afterSeconds: number): FreshnessAlarm => ({
    name: `acme-${uc}-fresh-${table.replace('.', '-')}-${level}`,
    table,
    level,
    afterSeconds,
    workflow: `${uc}/load`,
    namespace: 'Lakestep',
    metric: 'TablePublished',
    dimensions: { Platform: 'acme', Table: table },
    period: 60,
    evaluationPeriods: afterSeconds / 60,
  });
  function withAlarms(): Manifest {
    const m = platform(2);
    m.useCases[0]!.freshness = [alarm('uc0', 'raw.a', 'warn', 7200), alarm('uc0', 'raw.a', 'error', 21_600), alarm('uc0', 'raw.b', 'warn', 3600)];
    m.useCases[1]!.freshness = [alarm('uc1', 'raw.c', 'error', 86_400)];
    return m;
  }
  const inAlarm = (name: string, at: string) => ({ AlarmName: name, StateValue: 'ALARM' as const, StateUpdatedTimestamp: new Date(at) });

  it("lists the build's freshness alarms in ALARM, a table once at its worst level, errors first; exit 1 only past an error SLA", async () => {
    metrics({});
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [inAlarm('acme-uc0-fresh-raw-a-warn', '2026-12-06T08:00:00Z'), inAlarm('acme-other-app-latency', '2026-12-06T09:00:00Z')], NextToken: 'p2' })
      .resolves({ MetricAlarms: [inAlarm('acme-uc0-fresh-raw-a-error', '2026-12-06T10:00:00Z'), inAlarm('acme-uc0-fresh-raw-b-warn', '2026-12-06T11:00:00Z')] });
    const r = await readFailures(new CloudWatchClient({}), new SFNClient({}), withAlarms(), { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toMatchObject({ StateValue: 'ALARM', AlarmNamePrefix: 'acme-', AlarmTypes: ['MetricAlarm'] });
    expect(r.stale).toEqual([
      { table: 'raw.a', level: 'error', afterSeconds: 21_600, workflow: 'uc0/load', alarm: 'acme-uc0-fresh-raw-a-error', since: '2026-12-06T10:00:00Z' },
      { table: 'raw.b', level: 'warn', afterSeconds: 3600, workflow: 'uc0/load', alarm: 'acme-uc0-fresh-raw-b-warn', since: '2026-12-06T11:00:00Z' },
    ]);
    expect(r.freshnessAlarms).toBe(4);
    expect(r.calls.describeAlarms).toBe(2);
    expect(failuresExitCode(r)).toBe(1);
    expect(formatFailures(r).split('\n').slice(1)).toEqual([
      'Tables past their freshness SLA now (2, from 4 alarm(s) in ALARM or not):',
      'TABLE  LEVEL  SLA  IN ALARM SINCE        PUBLISHED BY',
      'raw.a  error  6h   2026-12-06T10:00:00Z  uc0/load',
      'raw.b  warn   1h   2026-12-06T11:00:00Z  uc0/load',
    ]);
    expect(failuresExitCode({ ...r, stale: r.stale.filter((t) => t.level === 'warn') })).toBe(0);
  });

  it('asks CloudWatch about alarms only when the build has some, and says when none is in ALARM', async () => {
    metrics({});
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const none = await readFailures(new CloudWatchClient({}), new SFNClient({}), platform(2), { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT });
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
    expect(formatFailures(none)).not.toContain('freshness');
    const within = await readFailures(new CloudWatchClient({}), new SFNClient({}), withAlarms(), { since: SINCE, now: NOW, quarantined: [], account: ACCOUNT, useCases: ['uc1'] });
    expect(within.freshnessAlarms).toBe(1);
    expect(formatFailures(within).split('\n').at(-1)).toBe('Every table with a freshness SLA is within it (1 alarm(s), none in ALARM).');
  });
});

describe('lakestep failures', () => {
  const io = (dir: string, out: string[]) => ({
    cwd: dir,
    out: (t: string) => void out.push(t),
    err: (t: string) => void out.push(t),
    sfn: () => new SFNClient({}),
    cloudWatch: () => new CloudWatchClient({}),
  });

  it('exits 1 when a dag failed, 0 when none did; --json prints the report', async () => {
    const dir = tempDir('lakestep-failures-');
    writeManifest(dir, platform(2));
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    metrics({});
    const out: string[] = [];
    expect(await failuresCommand(io(dir, out) as never, { buildDir: '.', useCases: [], json: false, now: NOW })).toBe(0);
    expect(out[0]).toMatch(/^No execution failed, timed out or was aborted since 2026-12-05T12:00:00Z \(.*6 state machine\(s\)/);
    cw.reset();
    metrics({ 'acme-uc1-load': { ExecutionsFailed: [2] } });
    const json: string[] = [];
    expect(await failuresCommand(io(dir, json) as never, { buildDir: '.', useCases: [], json: true, now: NOW })).toBe(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ since: '2026-12-05T12:00:00Z', now: '2026-12-06T12:00:00Z', machines: 6, failing: [{ dag: 'uc1/load', counts: { FAILED: 2, TIMED_OUT: 0, ABORTED: 0 } }] });
  });

  it("reads a quarantined use case's last good deployment: its machines found by name and confirmed by their tags", async () => {
    const dir = tempDir('lakestep-failures-');
    const diagnostics = [{ code: 'SCHEMA_UNKNOWN_FIELD', severity: 'error' as const, message: 'm', file: 'uc9/orchestration.yaml', line: 1, column: 1, pointer: '', useCase: 'uc9' }];
    writeManifest(dir, { ...platform(2), quarantined: [{ useCase: 'uc9', diagnostics }] });
    const machine = (name: string) => ({ name, stateMachineArn: arnOf(name), type: 'STANDARD' as const, creationDate: NOW });
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [machine('acme-uc0-load'), machine('acme-uc9-load'), machine('acme-uc9-load2')] });
    const tags = (platform: string, dag: string) => ({ tags: [{ key: 'lakestep:platform', value: platform }, { key: 'lakestep:use-case', value: 'uc9' }, { key: 'lakestep:dag', value: dag }] });
    sfn.on(ListTagsForResourceCommand, { resourceArn: arnOf('acme-uc9-load') }).resolves(tags('acme', 'load'));
    // Another platform's (prefix acme-uc9, use case load2 would be its name's rest): not this use case's.
    sfn.on(ListTagsForResourceCommand, { resourceArn: arnOf('acme-uc9-load2') }).resolves(tags('acme-uc9', 'load2'));
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: `${arnOf('acme-uc9-load')}:e`, stateMachineArn: arnOf('acme-uc9-load'), name: 'e', status: 'FAILED', startDate: NOW, stopDate: NOW }] });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [{ id: 2, timestamp: NOW, type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E', cause: 'c' } }] });
    metrics({ 'acme-uc9-load': { ExecutionsFailed: [1] }, 'acme-uc9-load2': { ExecutionsFailed: [5] } });
    const out: string[] = [];
    expect(await failuresCommand(io(dir, out) as never, { buildDir: '.', useCases: [], json: true, now: NOW })).toBe(1);
    const report = JSON.parse(out[0]!);
    expect(report.failing.map((f: { dag: string }) => f.dag)).toEqual(['uc9/load']);
    expect(report.machines).toBe(7);
    expect(report.notes).toEqual(['quarantined use case(s) read from their last good deployment, their dags not being in the build: uc9 (1 state machine(s))']);
  });

  it.each([
    ['an unknown use case, with the names close to it', { useCases: ['uc'] }, 'unknown use case "uc"; did you mean "uc0" or "uc1"?'],
    ['a use case name with terminal controls, escaped', { useCases: ['x\u001b[2Jy'] }, 'unknown use case "x\\x1b[2Jy"'],
    ['--since in the future', { since: '2027-01-01' }, '--since 2027-01-01 is not in the past'],
    ['--since past the 90 days Step Functions keeps', { since: '91d' }, 'more than 90 days back'],
    ['--account that is not an account id', { account: '12345' }, '--account must be a 12-digit AWS account id, got "12345"'],
  ])('refuses %s before asking AWS anything', async (_, extra, message) => {
    const dir = tempDir('lakestep-failures-');
    writeManifest(dir, platform(2));
    await expect(failuresCommand(io(dir, []) as never, { buildDir: '.', useCases: [], json: false, now: NOW, ...extra })).rejects.toThrow(message);
    expect(cw.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });
});
