/**
 * `lakestep backfill <use-case>/<dag> --from D1 --to D2`: one execution per day,
 * named after its logical date, so running the same backfill again starts only
 * the days that have no execution yet.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { executionName, logicalDateFromDay } from '../naming.ts';
import { enumerateDays, parseDay, startInput } from './dates.ts';
import { awsErrorName, errorMessage, OpsError } from './errors.ts';
import type { WorkflowTarget } from './resolve.ts';
import { startOnce } from './start.ts';

/** Largest range without `force`. */
export const BACKFILL_MAX_DAYS = 366;
export const BACKFILL_DEFAULT_CONCURRENCY = 2;
/** StartExecution is throttled per account; more in flight only buys retries. */
export const BACKFILL_MAX_CONCURRENCY = 10;

/** Errors after which no further start can succeed: stop instead of failing every day. */
const FATAL = new Set([
  'StateMachineDoesNotExist',
  'StateMachineDeleting',
  'InvalidArn',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'InvalidSignatureException',
]);

export interface BackfillOptions {
  /** First day, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day, inclusive. */
  to: string;
  concurrency?: number;
  dryRun?: boolean;
  /** Allow more than {@link BACKFILL_MAX_DAYS} days. */
  force?: boolean;
  now: Date;
}

export interface BackfillItem {
  ds: string;
  logicalDate: string;
  name: string;
  /** `planned` only in a dry run; `skipped` after a fatal error stopped the backfill. */
  outcome: 'planned' | 'started' | 'exists' | 'failed' | 'skipped';
  executionArn?: string;
  error?: string;
}

export interface BackfillResult {
  ref: string;
  stateMachineArn: string;
  from: string;
  to: string;
  dryRun: boolean;
  items: BackfillItem[];
  summary: { planned: number; started: number; existing: number; failed: number; skipped: number };
  /** True when nothing failed to start. */
  ok: boolean;
}

/** Checks the range and lists the executions, without calling AWS. */
export function planBackfill(opts: Pick<BackfillOptions, 'from' | 'to' | 'force'>): BackfillItem[] {
  const from = parseDay(opts.from, '--from');
  const to = parseDay(opts.to, '--to');
  if (from > to) throw new OpsError('USAGE', `--from ${from} is after --to ${to}`);
  const days = enumerateDays(from, to);
  if (days.length > BACKFILL_MAX_DAYS && !opts.force) {
    throw new OpsError('USAGE', `${from}..${to} is ${days.length} days; more than ${BACKFILL_MAX_DAYS} needs --force`);
  }
  return days.map((ds) => {
    const logicalDate = logicalDateFromDay(ds);
    return { ds, logicalDate, name: executionName(logicalDate), outcome: 'planned' };
  });
}

export async function backfill(client: SFNClient, target: WorkflowTarget, opts: BackfillOptions): Promise<BackfillResult> {
  const concurrency = opts.concurrency ?? BACKFILL_DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > BACKFILL_MAX_CONCURRENCY) {
    throw new OpsError('USAGE', `--concurrency must be an integer from 1 to ${BACKFILL_MAX_CONCURRENCY}, got ${concurrency}`);
  }
  const items = planBackfill(opts);
  if (!opts.dryRun) {
    let next = 0;
    let stopped = false;
    const worker = async () => {
      for (let i = next++; i < items.length; i = next++) {
        const item = items[i] as BackfillItem;
        if (stopped) {
          item.outcome = 'skipped';
          continue;
        }
        try {
          const res = await startOnce(client, {
            stateMachineArn: target.stateMachineArn,
            name: item.name,
            input: startInput('backfill', item.logicalDate),
            requestedAt: opts.now,
          });
          item.outcome = res.kind === 'started' ? 'started' : 'exists';
          item.executionArn = res.executionArn;
        } catch (err) {
          item.outcome = 'failed';
          item.error = `${awsErrorName(err) ?? 'Error'}: ${errorMessage(err)}`;
          if (FATAL.has(awsErrorName(err) ?? '')) stopped = true;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  }
  const count = (o: BackfillItem['outcome']) => items.filter((i) => i.outcome === o).length;
  const summary = {
    planned: items.length,
    started: count('started'),
    existing: count('exists'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
  return {
    ref: target.ref,
    stateMachineArn: target.stateMachineArn,
    from: items[0]?.ds ?? opts.from,
    to: items.at(-1)?.ds ?? opts.to,
    dryRun: opts.dryRun ?? false,
    items,
    summary,
    ok: summary.failed === 0 && summary.skipped === 0,
  };
}
