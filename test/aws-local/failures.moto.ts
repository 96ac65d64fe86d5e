/**
 * `lakestep failures` against moto: its CloudWatch answers the GetMetricData queries (the Step
 * Functions metrics put in it as the service publishes them: namespace `AWS/States`, dimension
 * `StateMachineArn`, one data point per execution that ended so), and its Step Functions runs the
 * state machines, lists the failed executions by status and gives a failed one's real history.
 * Only the machines the metrics name are listed. Its CloudWatch also holds the freshness alarms, one
 * set to ALARM, which `DescribeAlarms` finds by state and prefix.
 */
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { FreshnessAlarm, Manifest } from '../../src/build/types.ts';
import { readFailures } from '../../src/ops/failures.ts';
import { taggedMachines } from '../../src/ops/machines.ts';
import { manifestPlatform, manifestWorkflow } from '../helpers/manifest.ts';
import { stoppedStatus } from './stopped.ts';

// A region and prefix of its own: the other moto files share this server.
const REGION = 'sa-east-1';
const PREFIX = 'fails';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/sfn`;
const config = () => ({ region: REGION, endpoint: inject('motoEndpoint'), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
const arn = (dag: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PREFIX}-orders-${dag}`;

const fresh = (table: string, level: 'warn' | 'error'): FreshnessAlarm => ({
  name: `${PREFIX}-orders-fresh-${table.replace('.', '-')}-${level}`,
  table,
  level,
  afterSeconds: 7200,
  workflow: 'orders/orders-load',
  namespace: 'Lakestep',
  metric: 'TablePublished',
  dimensions: { Platform: PREFIX, Table: table },
  period: 60,
  evaluationPeriods: 120,
});
const ALARMS = [fresh('raw_orders.orders', 'warn'), fresh('raw_orders.orders', 'error'), fresh('raw_orders.lines', 'warn')];

const manifest: Manifest = {
  version: 1,
  lakestepVersion: '0.1.0',
  platform: manifestPlatform({ region: REGION, prefix: PREFIX }),
  useCases: [{ name: 'orders', owner: 'o@example.com', specHash: 'h', files: [], freshness: ALARMS, workflows: ['orders-report', 'orders-audit', 'orders-load'].map((d) => manifestWorkflow('orders', d, {}, PREFIX)) }],
  tables: {},
  quarantined: [],
};

async function run(client: SFNClient, stateMachineArn: string, name: string): Promise<string> {
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{}' }));
  return stoppedStatus(client, executionArn!);
}

beforeAll(async () => {
  const sfn = new SFNClient(config());
  const pass = JSON.stringify({ StartAt: 'Report', States: { Report: { Type: 'Pass', End: true } } });
  const fail = JSON.stringify({ StartAt: 'Check', States: { Check: { Type: 'Pass', Next: 'Quality gate' }, 'Quality gate': { Type: 'Fail', Error: 'Lakestep.QualityCheckFailed', Cause: 'not_null(order_id): 3 rows' } } });
  for (const [dag, definition] of [['orders-report', pass], ['orders-audit', fail], ['orders-load', fail]] as const) {
    await sfn.send(new CreateStateMachineCommand({ name: `${PREFIX}-orders-${dag}`, roleArn: ROLE, definition }));
  }
  expect(await run(sfn, arn('orders-report'), 'daily')).toBe('SUCCEEDED');
  expect(await run(sfn, arn('orders-audit'), 'first')).toBe('FAILED');
  expect(await run(sfn, arn('orders-audit'), 'second')).toBe('FAILED');
  // orders-load fails too, but its metric is not in yet (they trail the executions): it is not read.
  expect(await run(sfn, arn('orders-load'), 'late')).toBe('FAILED');
  const cloudWatch = new CloudWatchClient(config());
  const at = new Date(Date.now() - 10 * 60_000);
  await cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/States',
      MetricData: [
        { MetricName: 'ExecutionsSucceeded', Dimensions: [{ Name: 'StateMachineArn', Value: arn('orders-report') }], Timestamp: at, Value: 1, Unit: 'Count' },
        { MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: arn('orders-audit') }], Timestamp: at, Value: 1, Unit: 'Count' },
        { MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: arn('orders-audit') }], Timestamp: new Date(at.getTime() + 60_000), Value: 1, Unit: 'Count' },
        // Another machine's failure, and one before the window: neither counts.
        { MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:other-app` }], Timestamp: at, Value: 5, Unit: 'Count' },
        { MetricName: 'ExecutionsTimedOut', Dimensions: [{ Name: 'StateMachineArn', Value: arn('orders-report') }], Timestamp: new Date(Date.now() - 5 * 3600_000), Value: 1, Unit: 'Count' },
      ],
    }),
  );
  // The freshness alarms as infra/usecase/freshness-alarms.ts creates them; the orders table's error one and
  // another application's alarm of the same prefix are in ALARM.
  for (const a of [...ALARMS, { ...fresh('x.y', 'error'), name: `${PREFIX}-other-app-latency` }]) {
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: a.name,
        Namespace: a.namespace,
        MetricName: a.metric,
        Dimensions: Object.entries(a.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Statistic: 'Sum',
        Period: a.period,
        EvaluationPeriods: a.evaluationPeriods,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      }),
    );
  }
  for (const name of [ALARMS[1]!.name, `${PREFIX}-other-app-latency`]) await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'no publish for 2h' }));
}, 120_000);

describe('failures on moto', () => {
  it("reads the failure metrics of every machine, then lists and reads the history of only those that failed", async () => {
    const now = new Date();
    const report = await readFailures(new CloudWatchClient(config()), new SFNClient(config()), manifest, { since: new Date(now.getTime() - 3600_000), now, quarantined: [] });
    expect(report.machines).toBe(3);
    expect(report.period).toBe(60);
    expect(report.failing.map((f) => [f.dag, f.counts])).toEqual([['orders/orders-audit', { FAILED: 2, TIMED_OUT: 0, ABORTED: 0 }]]);
    expect(report.failing[0]!.newest).toMatchObject({ name: 'second', status: 'FAILED', error: 'Lakestep.QualityCheckFailed', cause: 'not_null(order_id): 3 rows', state: 'Quality gate' });
    expect(report.calls).toEqual({ getMetricData: 1, describeAlarms: 1, listExecutions: 1, getExecutionHistory: 1, listStateMachines: true });
    expect(report.stale).toEqual([{ table: 'raw_orders.orders', level: 'error', afterSeconds: 7200, workflow: 'orders/orders-load', alarm: ALARMS[1]!.name, since: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
    expect(report.freshnessAlarms).toBe(3);
  });

  it("finds a quarantined use case's last deployment by name and its stack's tags, and reads its failures", async () => {
    const sfn = new SFNClient(config());
    const fail = JSON.stringify({ StartAt: 'Load', States: { Load: { Type: 'Fail', Error: 'Spark.JobFailed', Cause: 'lost' } } });
    const tags = (platform: string, dag: string) => [{ key: 'lakestep:platform', value: platform }, { key: 'lakestep:use-case', value: 'refunds' }, { key: 'lakestep:dag', value: dag }];
    const mine = await sfn.send(new CreateStateMachineCommand({ name: `${PREFIX}-refunds-refunds-load`, roleArn: ROLE, definition: fail, tags: tags(PREFIX, 'refunds-load') }));
    // Another platform (prefix fails-refunds) whose machine's name starts the same way.
    await sfn.send(new CreateStateMachineCommand({ name: `${PREFIX}-refunds-refunds-x`, roleArn: ROLE, definition: fail, tags: tags(`${PREFIX}-refunds`, 'x') }));
    expect(await run(sfn, mine.stateMachineArn!, 'r1')).toBe('FAILED');
    await new CloudWatchClient(config()).send(
      new PutMetricDataCommand({ Namespace: 'AWS/States', MetricData: [{ MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: mine.stateMachineArn! }], Timestamp: new Date(Date.now() - 60_000), Value: 1, Unit: 'Count' }] }),
    );
    const found = await taggedMachines(sfn, PREFIX, ['refunds', 'orders']);
    expect(found.get('refunds')).toEqual([{ dag: 'refunds-load', name: `${PREFIX}-refunds-refunds-load`, arn: mine.stateMachineArn }]);
    // The orders machines carry no use-case tag here: not taken for another platform's.
    expect(found.get('orders')).toBeUndefined();
    const now = new Date();
    const report = await readFailures(new CloudWatchClient(config()), sfn, manifest, {
      since: new Date(now.getTime() - 3600_000),
      now,
      useCases: ['refunds'],
      quarantined: [{ useCase: 'refunds', errors: 1, dags: [{ name: 'refunds-load', dependsOn: [], enabled: true }] }],
    });
    expect(report.failing.map((f) => [f.dag, f.counts.FAILED, f.newest?.error])).toEqual([['refunds/refunds-load', 1, 'Spark.JobFailed']]);
  });

  it("counts the Express dispatcher's failed and timed-out runs from its metrics and points to its log, listing none of its runs", async () => {
    // AWS refuses to list an Express machine's executions (express-dispatcher.moto.ts reads it in the SFN
    // model); moto lists them like a Standard one's, so the calls counted show that none is asked for.
    const sfn = new SFNClient(config());
    const name = `${PREFIX}-lakestep-dispatcher`;
    const definition = JSON.stringify({ StartAt: 'Dispatch', States: { Dispatch: { Type: 'Fail', Error: 'Lakestep.DispatchFailed', Cause: 'routes unreadable' } } });
    const machine = await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition, type: 'EXPRESS' }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: '{}' }));
    await new CloudWatchClient(config()).send(
      new PutMetricDataCommand({
        Namespace: 'AWS/States',
        MetricData: [
          { MetricName: 'ExecutionsFailed', Dimensions: [{ Name: 'StateMachineArn', Value: machine.stateMachineArn! }], Timestamp: new Date(Date.now() - 120_000), Value: 1, Unit: 'Count' },
          { MetricName: 'ExecutionsTimedOut', Dimensions: [{ Name: 'StateMachineArn', Value: machine.stateMachineArn! }], Timestamp: new Date(Date.now() - 60_000), Value: 1, Unit: 'Count' },
        ],
      }),
    );
    const withDispatcher: Manifest = {
      ...manifest,
      useCases: [],
      machines: { backfill: { stateMachineName: `${PREFIX}-lakestep-backfill`, definition: 'b' }, dispatcher: { stateMachineName: name, type: 'EXPRESS', definition: 'd', rule: {} as never } },
    };
    const now = new Date();
    const report = await readFailures(new CloudWatchClient(config()), sfn, withDispatcher, { since: new Date(now.getTime() - 3600_000), now, quarantined: [] });
    expect(report.failing).toEqual([{ dag: 'lakestep/dispatch', stateMachineArn: machine.stateMachineArn, counts: { FAILED: 1, TIMED_OUT: 1, ABORTED: 0 }, logGroup: `/aws/vendedlogs/states/${PREFIX}` }]);
    expect(report.calls).toMatchObject({ listExecutions: 0, getExecutionHistory: 0 });
  });
});
