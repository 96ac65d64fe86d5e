/**
 * The run-time half of "no write into a table before its migration finished"
 * (src/ir/migration-order.ts decides which tables a workflow waits for).
 *
 * - The migration marks each table once its conversion committed (and its watermark,
 *   if any, advanced): `migrated_at` on the table's item `migration/<db>.<table>` in
 *   the watermarks table, the item that also carries the migration watermark.
 * - A workflow that touches migrated tables reads each mark first. While one is
 *   missing it writes and reads nothing: the run ends in `Record success` with
 *   `summary.skipped` naming the table and its migration.
 *
 * Skipping loses nothing: every writer continues from state it keeps (JDBC and merge
 * watermarks, Kafka checkpoints), so the first run after the migration reads what
 * the skipped runs would have. Failing instead would page the owner every schedule
 * tick for the whole (days-long) migration.
 *
 * The mark is read the way a watermark is (`SET … = if_not_exists(…, '')`, ALL_NEW):
 * an item absent until the migration wrote it yields '' rather than a missing path,
 * which a `ResultSelector` could not select.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.SET.PreventingAttributeOverwrites
 */
import { ON_FAILURE, ON_SUCCESS } from '../asl/frame.ts';
import { retryFor } from '../asl/policy.ts';
import { template } from '../asl/templates.ts';
import type { State } from '../asl/types.ts';
import type { MigrationWait } from '../ir/migration-order.ts';
import { MIGRATED_AT, migrationWatermarkKey } from './migration.ts';
import type { Fragment } from './watermarks.ts';

/** Where the guard reads each mark to. */
const MARK_PATH = '$.migration_mark';
/** Where a skipping run says why. */
const SKIPPED_PATH = '$.summary.skipped';

/** A state that ends the run as skipped: off the success path that does the work. */
export function isSkipState(s: State): boolean {
  return s.Type === 'Pass' && s.ResultPath === SKIPPED_PATH;
}

/** Mark check per table, in order, then `next`; an unmigrated table skips the run. */
export function migrationGuard(waits: readonly MigrationWait[], next: string): Fragment {
  const states: Record<string, State> = {};
  const read = (w: MigrationWait) => `Read migration mark ${w.table}`;
  waits.forEach((w, i) => {
    const check = `${w.table} migrated?`;
    const skip = `Skip: ${w.table} not migrated yet`;
    states[read(w)] = template<State>('watermark-read', {
      comment: `${w.by} ${w.table}: wait for '${w.migration}' to have converted it; '' until it has`,
      keyObject: { pk: { S: migrationWatermarkKey(w.target) } },
      attribute: MIGRATED_AT,
      resultPath: MARK_PATH,
      retry: retryFor('dynamodb'),
      failure: ON_FAILURE,
      next: check,
    });
    states[check] = {
      Type: 'Choice',
      Choices: [{ Variable: `${MARK_PATH}.value`, StringEquals: '', Next: skip }],
      Default: waits[i + 1] ? read(waits[i + 1]!) : next,
    };
    states[skip] = {
      Type: 'Pass',
      Comment: `Nothing written: '${w.migration}' has not converted ${w.table} yet. Nothing lost either: the next run continues from the same watermarks and checkpoints.`,
      Result: { reason: 'migration not finished', table: w.table, migration: w.migration },
      ResultPath: SKIPPED_PATH,
      Next: ON_SUCCESS,
    };
  });
  return { startAt: waits[0] ? read(waits[0]) : next, states };
}
