/**
 * `lakestep ui --from-aws`: the runs of every dag's state machine in AWS since a
 * point in time, with the same SDK calls as the operator commands (src/ops):
 * `ListStateMachines` to find the machines (unless the account is given),
 * `ListExecutions` per machine, newest first, paging until the window is passed,
 * and for failed runs `GetExecutionHistory` (error, cause, failed state, states,
 * job runs, input). Every call is paced by throttle.ts; thousands of machines
 * take as long as the `ListExecutions` quota says, and the estimate is printed.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import { paginateListExecutions, type ExecutionListItem, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { Manifest } from '../build/types.ts';
import { executionHistory, failureFromHistory, isoSeconds, jobRunsFromHistory, OpsError, partitionOf } from '../ops/index.ts';
import { dagMachines, locateMachines, type Machine, notDeployedNote, type PlatformReadOptions, pool } from '../ops/machines.ts';
import { parseDuration } from '../spec/duration.ts';
import { logicalDateOf } from '../ops/dates.ts';
import { statesFromHistory } from './history.ts';
import { runIdentity } from './identity.ts';
import { runState } from './runs.ts';
import { paced, stepFunctionsQuotas, type Clock, type PaceStats } from './throttle.ts';
import type { UiRun } from './types.ts';

export const AWS_SINCE_DEFAULT = '1d';
/** Step Functions keeps closed executions this long. */
const RETENTION_SECONDS = 90 * 86_400;
const FAILED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export interface AwsReadOptions extends PlatformReadOptions {
  /** Executions and state machines asked for per page (default 1000, the API's maximum). */
  pageSize?: number;
  /** Failed runs whose history is read, newest first (default 100); the others show their status. */
  historyMax?: number;
  clock?: Clock;
  random?: () => number;
  progress?: (line: string) => void;
}

export interface AwsRead {
  runs: UiRun[];
  label: string;
  now: string;
  notes: string[];
  /** See `UiData.source.console`. */
  console: string;
  stats: PaceStats;
}

/** `--since`: a duration back from now (`1d`, `12h`) or an ISO date; within the 90 days Step Functions keeps executions. */
export function parseSince(value: string, now: Date): Date {
  const seconds = parseDuration(value.trim());
  let at: number;
  if (seconds !== undefined) at = now.getTime() - seconds * 1000;
  else {
    const d = logicalDateOf(value, '--since');
    if ('problem' in d) throw new OpsError('USAGE', `${d.problem}; or give a duration such as 1d or 12h`);
    at = Date.parse(d.date);
  }
  if (at >= now.getTime()) throw new OpsError('USAGE', `--since ${value} is not in the past`);
  if (now.getTime() - at > RETENTION_SECONDS * 1000) throw new OpsError('USAGE', `--since ${value} is more than 90 days back: Step Functions keeps executions 90 days`);
  return new Date(at);
}

export async function readAwsRuns(raw: SFNClient, manifest: Manifest, opts: AwsReadOptions): Promise<AwsRead> {
  const region = manifest.platform.region;
  const { client, stats } = paced(raw, { quotas: stepFunctionsQuotas(region), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.random ? { random: opts.random } : {}) });
  const clock = opts.clock ?? { now: () => Date.now() };
  const t0 = clock.now();
  const machines = dagMachines(manifest, opts);
  const notes: string[] = [];
  await locateMachines(client, machines, region, opts.account, opts.pageSize ?? 1000);
  const missing = machines.filter((m) => !m.arn);
  const found = machines.filter((m): m is Machine & { arn: string } => m.arn !== undefined);
  const quota = stepFunctionsQuotas(region).ListExecutions;
  const eta = Math.max(0, found.length - quota.bucket) / quota.refill;
  opts.progress?.(`reading the executions of ${found.length} state machine(s) since ${isoSeconds(opts.since)}${eta > 60 ? `: at least ${Math.ceil(eta / 60)} min at ListExecutions' quota` : ''}`);

  const listed: { machine: Machine; item: ExecutionListItem }[] = [];
  const absent: Machine[] = [];
  let done = 0;
  await pool(found, opts.concurrency ?? 4, async (machine) => {
    try {
      for await (const page of paginateListExecutions({ client, pageSize: opts.pageSize ?? 1000 }, { stateMachineArn: machine.arn })) {
        const items = page?.executions ?? [];
        const recent = items.filter((e) => e.startDate !== undefined && e.startDate.getTime() >= opts.since.getTime());
        for (const item of recent) listed.push({ machine, item });
        // Newest first: once one started before the window, the rest did too.
        if (recent.length < items.length) break;
      }
    } catch (err) {
      // An ARN built from --account names a machine that may not be deployed (yet, or any more).
      if ((err as Error).name !== 'StateMachineDoesNotExist') throw err;
      absent.push(machine);
    }
    if (++done % 500 === 0) opts.progress?.(`  ${done} of ${found.length} state machines read`);
  });
  const notDeployed = [...missing, ...absent];
  if (notDeployed.length) notes.push(notDeployedNote(notDeployed, region));

  const failed = listed.filter((l) => FAILED.has(l.item.status ?? '')).sort((a, b) => (b.item.startDate?.getTime() ?? 0) - (a.item.startDate?.getTime() ?? 0));
  const histories = new Map<string, HistoryEvent[]>();
  await pool(failed.slice(0, opts.historyMax ?? 100), opts.concurrency ?? 4, async ({ item }) => {
    if (item.executionArn) histories.set(item.executionArn, await executionHistory(client, item.executionArn));
  });
  if (failed.length > (opts.historyMax ?? 100)) notes.push(`the history of the newest ${opts.historyMax ?? 100} of ${failed.length} failed runs was read; the others link to the console`);
  const runs = listed.map(({ machine, item }) => toRun(machine.dag, item, histories.get(item.executionArn ?? '')));
  const seconds = Math.round((clock.now() - t0) / 1000);
  opts.progress?.(`read ${runs.length} execution(s) of ${found.length} state machine(s) in ${seconds} s (${stats.calls.ListExecutions} ListExecutions, ${stats.calls.GetExecutionHistory} GetExecutionHistory, ${stats.retried} throttled call(s) retried)`);
  return { runs, label: `AWS ${region}, executions started since ${isoSeconds(opts.since)}`, now: isoSeconds(opts.now), notes, console: consolePrefix(region), stats };
}

function toRun(dag: string, item: ExecutionListItem, history: HistoryEvent[] | undefined): UiRun {
  const name = item.name ?? '';
  const arn = item.executionArn ?? '';
  const start = item.startDate ? isoSeconds(item.startDate) : '';
  const started = history?.find((e) => e.type === 'ExecutionStarted')?.executionStartedEventDetails?.input;
  const identity = runIdentity({ name, start, ...(started ? { input: parseJson(started) } : {}) });
  const failure = history ? failureFromHistory(history) : undefined;
  const status = item.status ?? 'UNKNOWN';
  const jobRuns = history ? jobRunsFromHistory(history).map((j) => ({ state: j.state, id: j.jobRunId })) : undefined;
  return {
    dag,
    name,
    executionArn: arn,
    logicalDate: identity.logicalDate,
    dateFrom: identity.dateFrom,
    state: runState(status, failure?.error, false),
    status,
    start,
    ...(item.stopDate ? { stop: isoSeconds(item.stopDate) } : {}),
    ...(identity.trigger ? { trigger: identity.trigger } : {}),
    ...(failure?.error ? { error: failure.error } : {}),
    ...(failure?.cause ? { cause: failure.cause } : {}),
    ...(failure?.state ? { failedState: failure.state } : {}),
    ...(history ? { states: statesFromHistory(history) } : {}),
    ...(jobRuns?.length ? { jobRuns } : {}),
  };
}

/** What an execution's ARN follows in the address of its page in the Step Functions console of the region's partition. */
export function consolePrefix(region: string): string {
  const partition = partitionOf(region);
  const host = partition === 'aws-cn' ? 'console.amazonaws.cn' : partition === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  return `https://${host}/states/home?region=${region}#/v2/executions/details/`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
