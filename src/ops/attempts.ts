/**
 * Attempts of a run: the first is named after its logical date, the N-th `<name>_aN`.
 * What an operator start does with a run depends on its attempts: a run without one
 * starts; a running one is left alone; a finished one is skipped unless asked to
 * reprocess it (`failed`: when its latest attempt failed; `all`: always), which starts
 * the next attempt. Attempts are found with `DescribeExecution`, never by starting.
 *
 * Step Functions keeps a closed execution 90 days, and none of a state machine that was
 * deleted (a stack replaced); after that its name is free again, and a start under it
 * would run the date a second time. The runs table keeps every run's record for good
 * (`Record success` / `Record failure`, keyed by logical date and execution name), so an
 * attempt Step Functions no longer knows is taken from its record: one `Query` over the
 * days of the runs, read before the first lookup.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { executionArnOf } from '../naming.ts';
import { describeExisting, FAILED_STATUSES, type ExecutionApi, type ExecutionInfo } from '../starter/executions.ts';
import { errorMessage } from './errors.ts';
import { attemptName, type PlannedRun } from './plan.ts';
import type { RunRecord, RunRecordSource } from './run-records.ts';

export type Reprocess = 'none' | 'failed' | 'all';
export const REPROCESS: readonly Reprocess[] = ['none', 'failed', 'all'];

/** Highest attempt looked for (names up to `_a<MAX>`). */
export const MAX_ATTEMPTS = 100;

export type Decision =
  | { action: 'run'; attempt: number; name: string; because?: string }
  | { action: 'skip'; attempt: number; name: string; because: string; failed: boolean };

/** The runs table's records of a dag's runs, by their sort key `<logical date>#<execution name>`. */
export type RecordedRuns = ReadonlyMap<string, RunRecord>;

export interface RunHistory {
  recorded: RecordedRuns;
  /** Why the runs table could not be read (then only Step Functions' 90 days are seen). */
  unread?: string;
}

/**
 * The records of the runs of `days` (`YYYY-MM-DD`; one paged `Query` from the first to the last). A table that
 * cannot be read is said in `unread`, not fatal: the runs Step Functions keeps are still found.
 */
export async function runHistory(source: RunRecordSource | undefined, workflowKey: string, days: readonly string[]): Promise<RunHistory> {
  if (!source || days.length === 0) return { recorded: new Map() };
  const sorted = [...days].sort();
  try {
    const records = await source.onDays(workflowKey, sorted[0]!, sorted.at(-1)!);
    return { recorded: new Map(records.map((r) => [`${r.logicalDate}#${r.execution}`, r])) };
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error';
    return { recorded: new Map(), unread: `the runs table was not read (${name}: ${errorMessage(err)}): a run Step Functions no longer keeps (after 90 days) is not seen and would run again` };
  }
}

/** A recorded attempt as an execution: its status and times as the record has them. */
function recordedExecution(r: RunRecord, arn: string): ExecutionInfo {
  const date = (iso: string | undefined) => (iso === undefined || Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso));
  const [startDate, stopDate] = [date(r.startedAt), date(r.finishedAt)];
  return { executionArn: r.executionArn ?? arn, status: r.status, ...(startDate ? { startDate } : {}), ...(stopDate ? { stopDate } : {}), recorded: true };
}

/**
 * The attempts of a run, by number (`[0]` is attempt 1): each from Step Functions, else from its record in `recorded`;
 * undefined for an attempt neither knows below the highest recorded one (cancelled or timed out — those write no
 * record — and forgotten by Step Functions), so a gap never hides the later attempts. Ends at the highest attempt found.
 */
export async function attemptsOf(api: ExecutionApi, machineArn: string, p: PlannedRun, recorded: RecordedRuns = new Map()): Promise<(ExecutionInfo | undefined)[]> {
  let highestRecorded = 0;
  for (let n = 1; n <= MAX_ATTEMPTS; n++) if (recorded.has(`${p.logicalDate}#${attemptName(p, n)}`)) highestRecorded = n;
  const out: (ExecutionInfo | undefined)[] = [];
  for (let n = 1; n <= MAX_ATTEMPTS; n++) {
    const name = attemptName(p, n);
    const arn = executionArnOf(machineArn, name);
    const record = recorded.get(`${p.logicalDate}#${name}`);
    const found = (await api.describe(arn)) ?? (record && recordedExecution(record, arn));
    if (!found && n > highestRecorded) return out;
    out.push(found);
  }
  return out;
}

/** What to do with a run given its attempts (by number, as {@link attemptsOf} gives them). */
export function decide(p: PlannedRun, attempts: readonly (ExecutionInfo | undefined)[], reprocess: Reprocess): Decision {
  const last = attempts.at(-1);
  const n = attempts.length;
  if (!last) return { action: 'run', attempt: 1, name: attemptName(p, 1) };
  // Any attempt still running, or about to run again (an earlier one redriven), is the run going on: nothing starts beside it.
  const running = attempts.findIndex((a) => a?.status === 'RUNNING' || a?.status === 'PENDING_REDRIVE');
  if (running >= 0) return { action: 'skip', attempt: running + 1, name: attemptName(p, running + 1), because: describeExisting(attempts[running]!), failed: false };
  const failed = FAILED_STATUSES.has(last.status);
  const name = attemptName(p, n);
  if (reprocess === 'all' || (reprocess === 'failed' && failed)) {
    return { action: 'run', attempt: n + 1, name: attemptName(p, n + 1), because: `attempt ${n} ${describeExisting(last).replace(/^already ran /, 'ran ')}` };
  }
  return { action: 'skip', attempt: n, name, because: describeExisting(last), failed };
}
