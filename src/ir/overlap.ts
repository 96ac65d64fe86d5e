/**
 * `RUNS_MAY_OVERLAP`: a scheduled ingestion whose Kafka `micro_batch` source keeps a checkpoint,
 * whose run may last longer than the shortest gap between two of its schedule's fires, and
 * which has no `max_active_runs`. Two runs would then read and commit the same checkpoint at
 * once; `max_active_runs: 1` makes each run wait for the one before (src/asl/gate.ts).
 */
import { durationText } from '../spec/duration.ts';
import { firesBetween, timetable } from '../time/timetable.ts';
import type { Workflow } from './types.ts';

/** A week from a Monday: long enough to see every gap of a cron that repeats daily or weekly. */
const WEEK_FROM = Date.UTC(2026, 0, 5);
const WEEK = 7 * 86_400_000;

/** The shortest time between two fires of `schedule` in `zone` over a week, in seconds (undefined: fewer than two fires). */
export function shortestGapSeconds(schedule: string, zone: string): number | undefined {
  const fires = firesBetween(timetable(schedule, zone), WEEK_FROM, WEEK_FROM + WEEK);
  let gap: number | undefined;
  for (let i = 1; i < fires.length; i++) gap = Math.min(gap ?? Infinity, fires[i]! - fires[i - 1]!);
  return gap === undefined ? undefined : gap / 1000;
}

/** The warning's message for `w`, or undefined when its runs cannot overlap on a shared checkpoint. */
export function overlapWarning(w: Pick<Workflow, 'name' | 'body' | 'schedule' | 'scheduleTimezone' | 'timeoutSeconds' | 'retries' | 'maxActiveRuns'>): string | undefined {
  if (w.body.kind !== 'ingestion' || w.schedule === undefined || w.maxActiveRuns !== undefined) return undefined;
  const checkpointed = w.body.ingestion.kafka.filter((k) => k.mode === 'micro_batch');
  if (checkpointed.length === 0) return undefined;
  const gap = shortestGapSeconds(w.schedule, w.scheduleTimezone ?? 'UTC');
  // One Spark job runs every source; each of its attempts may last the dag's timeout.
  const longest = w.timeoutSeconds * (w.retries + 1);
  if (gap === undefined || longest <= gap) return undefined;
  const sources = checkpointed.map((k) => `'${k.name}'`).join(', ');
  return (
    `runs of '${w.name}' may overlap: its schedule starts one every ${durationText(gap)} at the shortest, and a run may last ${durationText(longest)} ` +
    `(timeout ${durationText(w.timeoutSeconds)} × ${w.retries + 1} attempt(s)); two runs would share the Kafka checkpoint of ${sources}. ` +
    'Set max_active_runs: 1 so that each run waits for the one before'
  );
}
