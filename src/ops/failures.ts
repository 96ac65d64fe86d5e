/**
 * `lakestep failures`: the dags whose executions failed, timed out or were aborted since a
 * point in time, across the whole platform, in seconds at any size. Listing every state
 * machine's executions is paced by `ListExecutions`' quota (about 20 minutes for 5,000
 * machines); instead CloudWatch's `AWS/States` metrics — `ExecutionsFailed`,
 * `ExecutionsTimedOut`, `ExecutionsAborted` per `StateMachineArn` — are summed over the window
 * with `GetMetricData`, 500 queries a request, and only the machines that have any are listed
 * (`ListExecutions` with a status filter) for their newest failure, whose history gives the
 * error, the cause and the state that raised it. Counts are the metrics' sums in whole periods
 * ({@link metricPeriod}: a period at either end of the window may reach past it); the metrics trail
 * the executions by a few minutes. Beside them, the tables past their freshness SLA: the build's
 * freshness alarms (one per table and level) that are in ALARM now, from `DescribeAlarms`.
 * The dispatcher is an Express workflow: Step Functions keeps no list or history of its runs
 * (`ListExecutions` refuses it), so its counts come with the log group its runs are in.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { type ExecutionStatus, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { FreshnessAlarm, Manifest } from '../build/types.ts';
import { stateMachineLogGroupName } from '../naming.ts';
import { DISPATCHER_REF, expressWorkflows } from '../simulator/refs.ts';
import { isoSeconds } from './dates.ts';
import { failureFromHistory } from './history.ts';
import { executionHistory } from './jobruns.ts';
import { dagMachines, locateMachines, type Machine, notDeployedNote, type PlatformReadOptions, pool } from './machines.ts';

/** The metric of each way an execution ends badly. */
export const FAILURE_METRICS = { FAILED: 'ExecutionsFailed', TIMED_OUT: 'ExecutionsTimedOut', ABORTED: 'ExecutionsAborted' } as const;
export type FailureStatus = keyof typeof FAILURE_METRICS;
const STATUSES = Object.keys(FAILURE_METRICS) as FailureStatus[];
/** Queries one GetMetricData request may hold. */
export const METRIC_QUERIES_PER_REQUEST = 500;
/** Executions of one status read per failing machine, to find the newest that ended in the window. */
const NEWEST_PAGE = 20;

export interface FailedDag {
  /** `<use-case>/<dag>`, or `lakestep/dispatch` and `lakestep/backfill` for the platform's machines. */
  dag: string;
  stateMachineArn: string;
  counts: Record<FailureStatus, number>;
  /** An Express workflow's runs are not listed: they are in this log group. */
  logGroup?: string;
  /** The newest execution of those statuses that ended in the window, with why (from its history). */
  newest?: { name: string; executionArn: string; status: string; stop: string; error?: string; cause?: string; state?: string };
}

/** A table past its freshness SLA: its alarm of that level is in ALARM. */
export interface StaleTable {
  table: string;
  level: FreshnessAlarm['level'];
  /** The SLA, seconds since the last publish. */
  afterSeconds: number;
  /** `<use-case>/<dag>` that publishes it. */
  workflow: string;
  alarm: string;
  /** When the alarm went to ALARM. */
  since?: string;
}

export interface FailuresReport {
  since: string;
  now: string;
  /** State machines looked at (deployed). */
  machines: number;
  /** Most failures first. */
  failing: FailedDag[];
  /** Past their error SLA first, then by table; a table once, at its worst level. */
  stale: StaleTable[];
  /** The build's freshness alarms looked at. */
  freshnessAlarms: number;
  /** Period of the metrics, seconds. */
  period: number;
  calls: { getMetricData: number; describeAlarms: number; listExecutions: number; getExecutionHistory: number; listStateMachines: boolean };
  notes: string[];
}

/** Without `useCases`, the platform's own machines (dispatcher, backfill) are read too. */
export type FailuresOptions = PlatformReadOptions;

/** Data points one GetMetricData request returns at most, and so per query of a full request of 500. */
const POINTS_PER_QUERY = Math.floor(100_800 / METRIC_QUERIES_PER_REQUEST);

/**
 * The period of the sums, seconds: a multiple of what CloudWatch keeps for data that old (1-minute data 15 days,
 * 5-minute data 63 days, hourly data 455 days), long enough that a query of the window has at most ~200 data
 * points, so that a request of 500 queries is answered whole (100,800 data points).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention
 */
export function metricPeriod(since: Date, now: Date): number {
  const age = (now.getTime() - since.getTime()) / 86_400_000;
  const step = age > 63 ? 3600 : age > 15 ? 300 : 60;
  const window = (now.getTime() - since.getTime()) / 1000;
  return Math.max(1, Math.ceil(window / POINTS_PER_QUERY / step)) * step;
}

export async function readFailures(cloudWatch: CloudWatchClient, sfn: SFNClient, manifest: Manifest, opts: FailuresOptions): Promise<FailuresReport> {
  const { region, prefix } = manifest.platform;
  const machines: Machine[] = [
    ...dagMachines(manifest, opts),
    ...(opts.useCases?.length
      ? []
      : [
          ...(manifest.machines?.dispatcher ? [{ dag: DISPATCHER_REF, name: manifest.machines.dispatcher.stateMachineName }] : []),
          ...(manifest.machines ? [{ dag: 'lakestep/backfill', name: manifest.machines.backfill.stateMachineName }] : []),
        ]),
  ];
  await locateMachines(sfn, machines, region, opts.account);
  const found = machines.filter((m): m is Machine & { arn: string } => m.arn !== undefined);
  const notes: string[] = [];
  const missing = machines.filter((m) => !m.arn);
  if (missing.length) notes.push(notDeployedNote(missing, region));

  const period = metricPeriod(opts.since, opts.now);
  const { sums, requests } = await failureSums(cloudWatch, found, opts.since, opts.now, period);
  const alarms = manifest.useCases.filter((u) => !opts.useCases?.length || opts.useCases.includes(u.name)).flatMap((u) => u.freshness ?? []);
  const { stale, describeAlarms } = await staleTables(cloudWatch, alarms, prefix);
  const calls = { getMetricData: requests, describeAlarms, listExecutions: 0, getExecutionHistory: 0, listStateMachines: opts.account === undefined };
  const express = expressWorkflows(manifest);
  const failing: FailedDag[] = found
    .map((m, i) => ({ dag: m.dag, stateMachineArn: m.arn, counts: sums[i]!, ...(express.has(m.dag) ? { logGroup: stateMachineLogGroupName(prefix) } : {}) }))
    .filter((f) => STATUSES.some((s) => f.counts[s] > 0));

  await pool(failing, opts.concurrency ?? 4, async (f) => {
    if (f.logGroup) return;
    let newest: { arn: string; name: string; status: string; stop: Date } | undefined;
    for (const status of STATUSES.filter((s) => f.counts[s] > 0)) {
      calls.listExecutions++;
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: f.stateMachineArn, statusFilter: status as ExecutionStatus, maxResults: NEWEST_PAGE }));
      for (const e of page.executions ?? []) {
        if (!e.stopDate || !e.executionArn || e.stopDate.getTime() < opts.since.getTime()) continue;
        if (!newest || e.stopDate.getTime() > newest.stop.getTime()) newest = { arn: e.executionArn, name: e.name ?? '', status, stop: e.stopDate };
      }
    }
    if (!newest) return;
    calls.getExecutionHistory++;
    const why = failureFromHistory(await executionHistory(sfn, newest.arn));
    f.newest = {
      name: newest.name,
      executionArn: newest.arn,
      status: newest.status,
      stop: isoSeconds(newest.stop),
      ...(why.error === undefined ? {} : { error: why.error }),
      ...(why.cause === undefined ? {} : { cause: why.cause }),
      ...(why.state === undefined ? {} : { state: why.state }),
    };
  });
  const total = (f: FailedDag) => STATUSES.reduce((n, s) => n + f.counts[s], 0);
  failing.sort((a, b) => total(b) - total(a) || (b.newest?.stop ?? '').localeCompare(a.newest?.stop ?? '') || a.dag.localeCompare(b.dag));
  return { since: isoSeconds(opts.since), now: isoSeconds(opts.now), machines: found.length, failing, stale, freshnessAlarms: alarms.length, period, calls, notes };
}

/** The build's freshness alarms in ALARM: those of the platform's prefix in that state, matched to the build's by name. */
async function staleTables(cloudWatch: CloudWatchClient, alarms: readonly FreshnessAlarm[], prefix: string): Promise<{ stale: StaleTable[]; describeAlarms: number }> {
  if (alarms.length === 0) return { stale: [], describeAlarms: 0 };
  const { paginateDescribeAlarms } = await import('@aws-sdk/client-cloudwatch');
  const byName = new Map(alarms.map((a) => [a.name, a]));
  const stale: StaleTable[] = [];
  let describeAlarms = 0;
  for await (const page of paginateDescribeAlarms({ client: cloudWatch, pageSize: 100 }, { StateValue: 'ALARM', AlarmNamePrefix: `${prefix}-`, AlarmTypes: ['MetricAlarm'] })) {
    describeAlarms++;
    for (const a of page.MetricAlarms ?? []) {
      const mine = a.AlarmName ? byName.get(a.AlarmName) : undefined;
      if (!mine || a.StateValue !== 'ALARM') continue;
      stale.push({ table: mine.table, level: mine.level, afterSeconds: mine.afterSeconds, workflow: mine.workflow, alarm: mine.name, ...(a.StateUpdatedTimestamp ? { since: isoSeconds(a.StateUpdatedTimestamp) } : {}) });
    }
  }
  // A table past both levels is shown once, at its error level.
  const worst = stale.filter((t) => t.level === 'error' || !stale.some((o) => o.table === t.table && o.level === 'error'));
  worst.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1) || a.table.localeCompare(b.table));
  return { stale: worst, describeAlarms };
}

/** The sum of each failure metric of each machine over the window, in requests of 500 queries (paged by NextToken). */
async function failureSums(cloudWatch: CloudWatchClient, machines: readonly { arn: string }[], since: Date, now: Date, period: number): Promise<{ sums: Record<FailureStatus, number>[]; requests: number }> {
  const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  const sums = machines.map(() => ({ FAILED: 0, TIMED_OUT: 0, ABORTED: 0 }) as Record<FailureStatus, number>);
  // Query ids must start with a lower-case letter: `m<machine>_<status>`.
  const queries: { id: string; machine: number; status: FailureStatus; query: MetricDataQuery }[] = machines.flatMap((m, machine) =>
    STATUSES.map((status) => {
      const id = `m${machine}_${status.toLowerCase()}`;
      return {
        id,
        machine,
        status,
        query: {
          Id: id,
          MetricStat: { Metric: { Namespace: 'AWS/States', MetricName: FAILURE_METRICS[status], Dimensions: [{ Name: 'StateMachineArn', Value: m.arn }] }, Period: period, Stat: 'Sum' },
          ReturnData: true,
        },
      };
    }),
  );
  const byId = new Map(queries.map((q) => [q.id, q]));
  let requests = 0;
  for (let i = 0; i < queries.length; i += METRIC_QUERIES_PER_REQUEST) {
    const batch = queries.slice(i, i + METRIC_QUERIES_PER_REQUEST).map((q) => q.query);
    let token: string | undefined;
    do {
      requests++;
      const page = await cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: since, EndTime: now, ...(token ? { NextToken: token } : {}) }));
      for (const r of page.MetricDataResults ?? []) {
        const q = r.Id ? byId.get(r.Id) : undefined;
        if (q) sums[q.machine]![q.status] += (r.Values ?? []).reduce((n, v) => n + v, 0);
      }
      token = page.NextToken;
    } while (token);
  }
  return { sums, requests };
}
