/**
 * The runs an operator asks for, named and dated exactly as the schedule and the
 * dependencies name them (src/time/runs.ts, src/ir/timetable.ts): a day means every
 * run whose logical date falls on that UTC day (one for a daily schedule, 24 for an
 * hourly one), a timestamp the one run with that logical date. A dag that nothing
 * schedules has one run a day, at midnight UTC, covering the day.
 */
import type { ManifestWorkflow } from '../build/types.ts';
import { attemptQualifier, executionName } from '../naming.ts';
import { fireOf, runAtFire, runsOnDay, unscheduledRun, type RunTimes } from '../time/runs.ts';
import { nextFire, previousFire, timetable, type Timetable } from '../time/timetable.ts';
import { eachDay, isoSeconds, logicalDateOf } from './dates.ts';
import { OpsError } from './errors.ts';

export type OperatorTrigger = 'manual' | 'backfill';

export interface PlannedRun {
  /** UTC day of the logical date. */
  ds: string;
  logicalDate: string;
  /** Name of the first attempt. */
  name: string;
  run: RunTimes;
}

/** The workflow's timetable, or undefined when nothing schedules it. */
export function timetableOf(w: ManifestWorkflow): { tt: Timetable; convention: 'interval' | 'trigger' } | undefined {
  if (!w.timetable) return undefined;
  return { tt: timetable(w.timetable.schedule, w.timetable.timezone), convention: w.timetable.logicalDate };
}

function planned(run: RunTimes): PlannedRun {
  return { ds: run.logical_date.slice(0, 10), logicalDate: run.logical_date, name: executionName(run.logical_date), run };
}

/** The runs of one `--date` (a day or a timestamp). */
export function runsForDate(w: ManifestWorkflow, date: string): PlannedRun[] {
  const parsed = logicalDateOf(date);
  if ('problem' in parsed) throw new OpsError('USAGE', parsed.problem);
  const wholeDay = /^\d{4}-\d{2}-\d{2}$/.test(date.trim());
  const table = timetableOf(w);
  const at = Date.parse(parsed.date);
  if (!table) return [planned(unscheduledRun(at, wholeDay))];
  if (wholeDay) return runsOnDay(table.tt, date.trim(), table.convention).map(planned);
  const fire = fireOf(table.tt, at, table.convention);
  if (fire === undefined) {
    const before = previousFire(table.tt, at + 1);
    const after = nextFire(table.tt, at);
    const near = [before, after].filter((t): t is number => t !== undefined).map((t) => isoSeconds(new Date(t)));
    throw new OpsError('USAGE', `${parsed.date} is not a logical date of ${describeTimetable(w)}${near.length ? `; the nearest are ${near.join(' and ')}` : ''}`);
  }
  // fireOf's fire ends the logical date's interval, so a run starts there.
  return [planned(runAtFire(table.tt, fire, table.convention)!)];
}

/**
 * The runs `lakestep run --date <date>` starts: {@link runsForDate}, where a day that holds no logical date of the
 * dag (a weekday schedule's Saturday) is a usage error naming the nearest logical dates, within a year each way.
 */
export function runsToStart(w: ManifestWorkflow, date: string): PlannedRun[] {
  const runs = runsForDate(w, date);
  if (runs.length > 0 || !/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) return runs;
  const day = date.trim();
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const nearest = (step: 1 | -1): string | undefined => {
    for (let k = 1; k <= 366; k++) {
      const other = shift(day, k * step);
      // Past the years 0001–9999 a date is no --date (and toISOString writes no YYYY-MM-DD).
      if (!('date' in logicalDateOf(other))) return undefined;
      const found = runsForDate(w, other);
      if (found.length) return (step < 0 ? found.at(-1)! : found[0]!).logicalDate;
    }
    return undefined;
  };
  const near = [nearest(-1), nearest(1)].filter((d): d is string => d !== undefined);
  throw new OpsError('USAGE', `${day} holds no logical date of ${describeTimetable(w)}${near.length ? `; the nearest are ${near.join(' and ')}` : ''}`);
}

/** Every run of the days `from`..`to` (inclusive); past `max` runs, an error instead of a list that would not end. */
export function runsForDays(w: ManifestWorkflow, from: string, to: string, max = Infinity): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const day of eachDay(from, to)) {
    runs.push(...runsForDate(w, day));
    if (runs.length > max) throw new OpsError('USAGE', `${from}..${to} holds more than ${max.toLocaleString('en-US')} runs of ${describeTimetable(w)}: backfill it in shorter ranges`);
  }
  return runs;
}

/**
 * When the schedule starts run `p`: at the end of its data interval (the fire that starts it, whichever
 * convention names its logical date). Undefined for a dag nothing schedules, whose runs are due whenever
 * asked for. A run not due yet covers data that is still arriving: an operator start would run it early,
 * and take the name its schedule's start needs.
 */
export function dueAt(w: ManifestWorkflow, p: PlannedRun): string | undefined {
  return w.timetable ? p.run.data_interval_end : undefined;
}

/**
 * The next run the schedule starts after `now`: its logical date and data interval, `due` when it starts, and
 * `after`, for a dag that runs after its upstreams, the upstream whose schedule it follows. Undefined for a dag
 * nothing schedules, or a schedule that never fires again.
 */
export function nextRun(w: ManifestWorkflow, now: Date): (PlannedRun & { due: string; after?: string }) | undefined {
  const table = timetableOf(w);
  if (!table) return undefined;
  // A schedule's very first fire starts no run under the interval convention: the next one does.
  let run: RunTimes | undefined;
  for (let fire = nextFire(table.tt, now.getTime()), n = 0; fire !== undefined && !run && n < 2; fire = nextFire(table.tt, fire), n++) {
    run = runAtFire(table.tt, fire, table.convention);
  }
  if (!run) return undefined;
  const p = planned(run);
  return { ...p, due: dueAt(w, p)!, ...(w.timetable?.from ? { after: w.timetable.from } : {}) };
}

/** Without `--date`: the latest run the schedule has started by `now`, or a run at `now` for a dag nothing schedules. */
export function latestRun(w: ManifestWorkflow, now: Date): PlannedRun {
  const table = timetableOf(w);
  const at = Math.floor(now.getTime() / 1000) * 1000;
  if (!table) return planned(unscheduledRun(at, false));
  const fire = previousFire(table.tt, at + 1);
  const run = fire === undefined ? undefined : runAtFire(table.tt, fire, table.convention);
  if (run === undefined) throw new OpsError('USAGE', `${describeTimetable(w)} has not started a run yet; give --date`);
  return planned(run);
}

/** `cron(0 2 * * ? *) (UTC, logical date: interval start)`, `… of orders/orders-ingestion`. */
export function describeTimetable(w: ManifestWorkflow): string {
  const t = w.timetable;
  if (!t) return 'no schedule';
  return `${t.schedule}${t.timezone === 'UTC' ? '' : ` in ${t.timezone}`}${t.from ? ` of ${t.from}` : ''}`;
}

/**
 * The execution input of attempt `attempt` of a run: every field of the run, so the workflow takes it as it is
 * (asl-templates/run-context.asl.json). Keys in a fixed order: identical requests send identical bytes.
 */
export function runInput(p: PlannedRun, trigger: OperatorTrigger, attempt = 1): string {
  return JSON.stringify({ trigger, ...p.run, upstreams: [], attempt });
}

/** Name of attempt `attempt` of a run. */
export function attemptName(p: PlannedRun, attempt: number): string {
  return executionName(p.logicalDate, attemptQualifier(attempt));
}
