/**
 * `lakestep backfill <use-case>/<dag> --from D1 --to D2`: every run of those days
 * (each interval of a sub-daily dag), named exactly as the schedule names them, so a
 * backfill never starts a run that exists. `--reprocess` says what to do with runs
 * that already ran (`none`: skip them; `failed`: start the next attempt of those whose
 * latest attempt failed; `all`: of every one not running). At most `--max-concurrency`
 * runs are in flight: this command waits for them (`--detach` hands the same plan to
 * the platform's backfill state machine instead, src/ops/backfill-detach.ts), oldest
 * date first unless `--backwards`. `--dry-run` looks every run up and lists what would
 * happen, and the dags each run starts downstream, without starting anything.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import type { ExecutionApi } from '../starter/executions.ts';
import { parseDay } from './dates.ts';
import { awsErrorName, errorMessage, OpsError } from './errors.ts';
import { runsForDays, type PlannedRun } from './plan.ts';
import type { WorkflowTarget } from './resolve.ts';
import { notDueItem, planItem, startItem, type RunItem } from './start.ts';
import { REPROCESS, runHistory, type Reprocess } from './attempts.ts';
import type { RunRecordSource } from './run-records.ts';

/** Largest range without `force`. */
export const BACKFILL_MAX_DAYS = 366;
/** Most runs of one backfill, `force` or not (about two years of a dag that runs every 5 minutes): past it, a list that would not end. */
export const BACKFILL_MAX_RUNS = 200_000;
export const BACKFILL_DEFAULT_CONCURRENCY = 2;
/** Runs in flight at once: the account's StartExecution throttle and the EMR application's capacity set the bound. */
export const BACKFILL_MAX_CONCURRENCY = 40;
/** Seconds between two looks at the runs in flight. */
export const BACKFILL_POLL_SECONDS = 30;

/** Errors after which no further start can succeed: stop instead of failing every run. */
const FATAL = new Set(['StateMachineDoesNotExist', 'StateMachineDeleting', 'InvalidArn', 'AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException', 'InvalidSignatureException']);

export interface BackfillOptions {
  /** First day, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day, inclusive. */
  to: string;
  reprocess?: Reprocess;
  maxConcurrency?: number;
  /** Newest date first. */
  backwards?: boolean;
  dryRun?: boolean;
  /** Allow more than {@link BACKFILL_MAX_DAYS} days. */
  force?: boolean;
  now: Date;
  /** The runs table: attempts Step Functions no longer keeps (src/ops/attempts.ts). */
  records?: RunRecordSource;
  /** Waits between looks at the runs in flight (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  pollSeconds?: number;
}

export interface BackfillItem extends RunItem {
  /** How the run ended, for runs this backfill started and waited for. */
  final?: string;
  error?: string;
}

export interface BackfillResult {
  ref: string;
  stateMachineArn: string;
  from: string;
  to: string;
  dryRun: boolean;
  reprocess: Reprocess;
  maxConcurrency: number;
  /** Set when the dag's `max_active_runs` kept `maxConcurrency` below what was asked. */
  limitedByMaxActiveRuns?: true;
  items: BackfillItem[];
  /** `notDue`: runs their schedule has not started yet (their data interval has not ended), never started early. */
  summary: { runs: number; started: number; skipped: number; notDue: number; failedToStart: number; notAttempted: number; succeeded: number; failed: number };
  /** True when nothing failed to start and no run it started failed. */
  ok: boolean;
  /** Why the runs table could not be read, when it could not. */
  historyUnread?: string;
  /** Why the backfill stopped before its end (a call refused for good), and the runs it started whose end it did not see. */
  stopped?: string;
  unfollowed?: string[];
}

/** Checks the options and lists the runs, in the order they will be started; no AWS call. */
export function planBackfill(target: Pick<WorkflowTarget, 'workflow'>, opts: Pick<BackfillOptions, 'from' | 'to' | 'force' | 'backwards' | 'reprocess' | 'maxConcurrency'>): PlannedRun[] {
  const from = parseDay(opts.from, '--from');
  const to = parseDay(opts.to, '--to');
  if (from > to) throw new OpsError('USAGE', `--from ${from} is after --to ${to}`);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > BACKFILL_MAX_DAYS && !opts.force) throw new OpsError('USAGE', `${from}..${to} is ${days} days; more than ${BACKFILL_MAX_DAYS} needs --force`);
  if (opts.reprocess !== undefined && !REPROCESS.includes(opts.reprocess)) throw new OpsError('USAGE', `--reprocess must be ${REPROCESS.join(', ')}, got "${opts.reprocess}"`);
  const n = opts.maxConcurrency ?? BACKFILL_DEFAULT_CONCURRENCY;
  if (!Number.isInteger(n) || n < 1 || n > BACKFILL_MAX_CONCURRENCY) throw new OpsError('USAGE', `--max-concurrency must be an integer from 1 to ${BACKFILL_MAX_CONCURRENCY}, got ${n}`);
  const runs = runsForDays(target.workflow, from, to, BACKFILL_MAX_RUNS);
  return opts.backwards ? runs.reverse() : runs;
}

export async function backfill(api: ExecutionApi, target: WorkflowTarget, opts: BackfillOptions): Promise<BackfillResult> {
  const runs = planBackfill(target, opts);
  const reprocess = opts.reprocess ?? 'none';
  // More runs in flight than the dag's max_active_runs would only wait in its gate (src/asl/gate.ts).
  const asked = opts.maxConcurrency ?? BACKFILL_DEFAULT_CONCURRENCY;
  const maxConcurrency = Math.min(asked, target.workflow.maxActiveRuns ?? Infinity);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poll = (opts.pollSeconds ?? BACKFILL_POLL_SECONDS) * 1000;
  const history = await runHistory(opts.records, target.ref, runs.map((r) => r.ds));
  const items: BackfillItem[] = [];
  const inFlight: BackfillItem[] = [];
  /** Why the backfill stopped early (a call refused for good: the machine gone, access or credentials lost). */
  let stopped: string | undefined;
  const fatal = (err: unknown): string | undefined => (FATAL.has(awsErrorName(err) ?? '') ? `${awsErrorName(err)}: ${errorMessage(err)}` : undefined);

  const settle = async (all: boolean): Promise<void> => {
    while (!stopped && inFlight.length && (all || inFlight.length >= maxConcurrency)) {
      for (const item of [...inFlight]) {
        let now: Awaited<ReturnType<ExecutionApi['describe']>>;
        try {
          now = await api.describe(item.executionArn!);
        } catch (err) {
          // The runs started go on without this command: what it started so far is still reported.
          stopped = fatal(err);
          if (stopped) return;
          throw err;
        }
        if (now && now.status !== 'RUNNING') {
          item.final = now.status;
          inFlight.splice(inFlight.indexOf(item), 1);
        }
      }
      if (inFlight.length && (all || inFlight.length >= maxConcurrency)) await sleep(poll);
    }
  };
  /** A run not looked up or started, once the backfill stopped. */
  const notAttempted = (p: PlannedRun): BackfillItem => ({
    ds: p.ds,
    logicalDate: p.logicalDate,
    dataInterval: [p.run.data_interval_start, p.run.data_interval_end],
    name: p.name,
    attempt: 1,
    outcome: 'planned',
    error: `not attempted: the backfill stopped (${stopped})`,
  });

  for (const p of runs) {
    // A run its schedule has not started yet is never started early: its data is still arriving.
    const early = notDueItem(target.workflow, p, opts.now);
    if (early) {
      items.push(early);
      continue;
    }
    if (stopped) {
      items.push(notAttempted(p));
      continue;
    }
    let planned: Awaited<ReturnType<typeof planItem>>;
    try {
      planned = await planItem(api, target.stateMachineArn, p, reprocess, history.recorded);
    } catch (err) {
      stopped = fatal(err);
      if (!stopped) throw err;
      items.push(notAttempted(p));
      continue;
    }
    const { decision, ...item } = planned;
    if (decision === 'skip' || opts.dryRun) {
      items.push(item);
      continue;
    }
    await settle(false);
    if (stopped) {
      items.push(notAttempted(p));
      continue;
    }
    try {
      const started: BackfillItem = await startItem(api, target.stateMachineArn, p, item, 'backfill');
      items.push(started);
      if (started.outcome === 'started') inFlight.push(started);
    } catch (err) {
      items.push({ ...item, error: `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err)}` });
      stopped = fatal(err);
    }
  }
  if (!opts.dryRun) await settle(true);
  const count = (f: (i: BackfillItem) => boolean) => items.filter(f).length;
  const summary = {
    runs: items.length,
    started: count((i) => i.outcome === 'started'),
    skipped: count((i) => (i.outcome === 'skipped' && !i.notDue) || i.outcome === 'exists'),
    notDue: count((i) => i.notDue === true),
    failedToStart: count((i) => i.error !== undefined && !i.error.startsWith('not attempted')),
    notAttempted: count((i) => i.error?.startsWith('not attempted') ?? false),
    succeeded: count((i) => i.final === 'SUCCEEDED'),
    failed: count((i) => i.final !== undefined && i.final !== 'SUCCEEDED'),
  };
  return {
    ref: target.ref,
    stateMachineArn: target.stateMachineArn,
    from: opts.from,
    to: opts.to,
    dryRun: opts.dryRun ?? false,
    reprocess,
    maxConcurrency,
    ...(maxConcurrency < asked ? { limitedByMaxActiveRuns: true as const } : {}),
    items,
    summary,
    ok: summary.failedToStart === 0 && summary.notAttempted === 0 && summary.failed === 0 && stopped === undefined,
    ...(history.unread ? { historyUnread: history.unread } : {}),
    ...(stopped ? { stopped, unfollowed: inFlight.map((i) => i.name) } : {}),
  };
}
