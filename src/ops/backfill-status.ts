/**
 * `lakestep backfill <use-case>/<dag> --status`: the dag's detached backfills (`--detach`,
 * src/ops/backfill-detach.ts), newest first, and how far each got. The backfill machine's
 * executions are listed (`ListExecutions`) and kept when their name starts as the dag's do
 * and their input starts runs of the dag's state machine (`DescribeExecution`: the input
 * holds every run the backfill was handed); then what became of each of those runs: its record
 * in the runs table when it ended (one `Query` over the backfill's days), else its execution,
 * looked up under its name on the dag's machine: succeeded, failed (with its error), running,
 * or not started yet (a backfill still running) or never (one that stopped before it).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { paginateListExecutions, type SFNClient } from '@aws-sdk/client-sfn';
import { executionArnOf } from '../naming.ts';
import { describeExecution as describe } from '../starter/sfn.ts';
import { runHistory } from './attempts.ts';
import { isoSeconds } from './dates.ts';
import { OpsError } from './errors.ts';
import { stateMachineArn, type WorkflowTarget } from './resolve.ts';
import type { RunRecordSource } from './run-records.ts';

/**
 * What an execution name may be: 1–80 characters, none of them whitespace, a wildcard, a bracket, a control
 * character or one of `" # % \ ^ | ~ \` $ & , ; : /`.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
const EXECUTION_NAME = /^[^\s?*<>{}[\]"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** Detached backfills shown without `--limit`. */
export const BACKFILL_STATUS_DEFAULT = 5;

export type RunState = 'succeeded' | 'failed' | 'running' | 'pending' | 'not started';
export const RUN_STATES: readonly RunState[] = ['succeeded', 'failed', 'running', 'pending', 'not started'];

export interface BackfillRunState {
  name: string;
  logicalDate?: string;
  state: RunState;
  /** Step Functions' status of the run's execution, when it has one. */
  status?: string;
  error?: string;
}

export interface DetachedBackfillStatus {
  executionName: string;
  executionArn: string;
  status: string;
  start?: string;
  stop?: string;
  /** First and last day of its runs' logical dates. */
  days?: [string, string];
  maxConcurrency?: number;
  counts: Record<RunState, number>;
  runs: BackfillRunState[];
}

export interface BackfillStatusResult {
  ref: string;
  backfillMachineArn: string;
  backfills: DetachedBackfillStatus[];
}

interface DetachedInput {
  state_machine_arn?: unknown;
  max_concurrency?: unknown;
  /** Rows `[name, logical_date, …]` (src/ops/backfill-detach.ts DetachedRow), or `{name, input}` from a lakestep before them. */
  runs?: unknown[];
}

/** What the name of every detached backfill of the dag starts with (`detachedName` keeps the first 71 characters of a long one). */
function namePrefix(target: Pick<WorkflowTarget, 'useCase' | 'dag'>): string {
  return `${target.useCase}-${target.dag}_`.slice(0, 71);
}

function stateOf(status: string): RunState {
  if (status === 'SUCCEEDED') return 'succeeded';
  if (status === 'RUNNING') return 'running';
  return 'failed';
}

/** `--limit`, checked (1–100), or the default. */
export function statusLimit(limit: number | undefined): number {
  if (limit === undefined) return BACKFILL_STATUS_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new OpsError('USAGE', `--limit must be an integer from 1 to 100, got ${limit}`);
  return limit;
}

/** The `limit` newest detached backfills of the dag on the platform's backfill machine `backfillMachineName`. */
export async function backfillStatus(
  client: SFNClient,
  target: WorkflowTarget,
  backfillMachineName: string,
  opts: { limit?: number; records?: RunRecordSource } = {},
): Promise<BackfillStatusResult> {
  const limit = statusLimit(opts.limit);
  const [, partition = 'aws', , region = target.region, account = ''] = target.stateMachineArn.split(':');
  const backfillMachineArn = stateMachineArn(backfillMachineName, { region, account, partition });
  const prefix = namePrefix(target);
  const backfills: DetachedBackfillStatus[] = [];
  // Newest first, as ListExecutions answers; each candidate's input says whether it is this dag's.
  for await (const page of paginateListExecutions({ client }, { stateMachineArn: backfillMachineArn })) {
    for (const e of page.executions ?? []) {
      if (backfills.length >= limit) return { ref: target.ref, backfillMachineArn, backfills };
      if (!e.name?.startsWith(prefix) || !e.executionArn) continue;
      const described = await describe(client, e.executionArn);
      let input: DetachedInput;
      try {
        input = JSON.parse(described?.input ?? '{}') as DetachedInput;
      } catch {
        continue;
      }
      if (input.state_machine_arn !== target.stateMachineArn || !Array.isArray(input.runs)) continue;
      backfills.push(await progress(client, target, { name: e.name, executionArn: e.executionArn, status: described!.status ?? 'UNKNOWN', start: described!.startDate, stop: described!.stopDate }, input, opts.records));
    }
  }
  return { ref: target.ref, backfillMachineArn, backfills };
}

interface BackfillExecution {
  name: string;
  executionArn: string;
  status: string;
  start?: Date | undefined;
  stop?: Date | undefined;
}

/** A run the backfill was handed: its name and, when its row or input has one, its logical date. */
function handedRun(run: unknown): { name: string; logicalDate: string | undefined } | undefined {
  if (Array.isArray(run)) return typeof run[0] === 'string' ? { name: run[0], logicalDate: typeof run[1] === 'string' ? run[1] : undefined } : undefined;
  const { name, input } = (run ?? {}) as { name?: unknown; input?: unknown };
  if (typeof name !== 'string') return undefined;
  try {
    const parsed = JSON.parse(typeof input === 'string' ? input : '{}') as { logical_date?: unknown };
    return { name, logicalDate: typeof parsed.logical_date === 'string' ? parsed.logical_date : undefined };
  } catch {
    return { name, logicalDate: undefined };
  }
}

async function progress(client: SFNClient, target: WorkflowTarget, backfill: BackfillExecution, input: DetachedInput, records?: RunRecordSource): Promise<DetachedBackfillStatus> {
  const handed = (input.runs ?? []).map(handedRun).filter((r) => r !== undefined);
  // A backfill's input is anyone's who may start the machine: a name no execution can have is never looked up.
  const possible = (name: string) => EXECUTION_NAME.test(name);
  const days = handed.map((r) => r.logicalDate?.slice(0, 10)).filter((d): d is string => d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  // By execution name; none when the table cannot be read (each run is then looked up instead).
  const recorded = new Map([...(await runHistory(records, target.ref, days)).recorded.values()].map((r) => [r.execution, r]));
  const runs: BackfillRunState[] = [];
  for (const { name, logicalDate } of handed) {
    const base = { name, ...(logicalDate ? { logicalDate } : {}) };
    // A success is final; a failure may be under redrive (lakestep retry), which its execution says.
    const record = recorded.get(name);
    if (record?.status === 'SUCCEEDED') {
      runs.push({ ...base, state: stateOf(record.status), status: record.status, ...(record.error ? { error: record.error } : {}) });
      continue;
    }
    // An execution under the run's name is the run, whoever started it (the backfill's own start, or another first).
    const e = possible(name) ? await describe(client, executionArnOf(target.stateMachineArn, name)) : undefined;
    if (!e?.status) runs.push({ ...base, state: backfill.status === 'RUNNING' ? 'pending' : 'not started' });
    else runs.push({ ...base, state: stateOf(e.status), status: e.status, ...(e.error ? { error: e.error } : {}) });
  }
  const counts = Object.fromEntries(RUN_STATES.map((s) => [s, runs.filter((r) => r.state === s).length])) as Record<RunState, number>;
  return {
    executionName: backfill.name,
    executionArn: backfill.executionArn,
    status: backfill.status,
    ...(backfill.start ? { start: isoSeconds(backfill.start) } : {}),
    ...(backfill.stop ? { stop: isoSeconds(backfill.stop) } : {}),
    ...(days.length ? { days: [days[0]!, days.at(-1)!] as [string, string] } : {}),
    ...(typeof input.max_concurrency === 'number' ? { maxConcurrency: input.max_concurrency } : {}),
    counts,
    runs,
  };
}
