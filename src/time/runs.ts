/**
 * Data intervals and logical dates of scheduled runs, with Airflow's two conventions.
 *
 * A run that fires at T covers the data interval [previous fire, T): the span between
 * two actual fires, so a fire the schedule skips (a local time that does not exist on
 * the day clocks move forward) makes one longer interval, and no data is read twice
 * or lost. Its logical date is the start of that interval under `interval` (Airflow 2,
 * whose `ds` is the day before for a daily run) or T itself under `trigger` (Airflow 3's
 * cron trigger timetable). `prev_ds`/`next_ds` are the days of the logical dates of the
 * previous and next runs. Days (`ds`) are UTC days, as in Airflow.
 * @see https://airflow.apache.org/docs/apache-airflow/2.10.5/templates-ref.html
 * @see https://airflow.apache.org/docs/apache-airflow/stable/authoring-and-scheduling/timetable.html
 */
import { firesBetween, nextFire, previousFire, type Timetable } from './timetable.ts';

/** What the logical date of a scheduled run is. */
export type LogicalDateConvention = 'interval' | 'trigger';
export const CONVENTIONS: readonly LogicalDateConvention[] = ['interval', 'trigger'];

/** The times of one run, as ISO-8601 UTC timestamps to the second (days as `YYYY-MM-DD`). */
export interface RunTimes {
  logical_date: string;
  data_interval_start: string;
  data_interval_end: string;
  /** Day of the previous run's logical date; empty when there is none. */
  prev_ds: string;
  /** Day of the next run's logical date; empty when there is none. */
  next_ds: string;
}

const DAY = 86_400_000;

/** `2026-11-25T02:00:00Z` (no milliseconds). */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const day = (ms: number | undefined): string => (ms === undefined ? '' : iso(ms).slice(0, 10));

/**
 * The run a schedule starts when it fires at `fire`. A rate counts its periods from
 * the fire itself (a rate schedule whose period divides no day fires at times set by
 * its creation), a cron from its own previous and next fires. Undefined at a cron's
 * very first fire (one whose year field starts later, `cron(0 6 * * ? 2027-2030)`) under
 * the `interval` convention: no interval ends there, and the run of [first, second fire)
 * starts at the second (Airflow's CronDataIntervalTimetable); under `trigger` the first
 * fire's run has an empty interval.
 */
export function runAtFire(tt: Timetable, fire: number, convention: LogicalDateConvention): RunTimes | undefined {
  const before = (t: number) => (tt.kind === 'rate' ? t - tt.periodMs : previousFire(tt, t));
  const after = (t: number) => (tt.kind === 'rate' ? t + tt.periodMs : nextFire(tt, t));
  const previous = before(fire);
  if (previous === undefined && convention === 'interval') return undefined;
  const start = previous ?? fire;
  const base = { data_interval_start: iso(start), data_interval_end: iso(fire) };
  if (convention === 'interval') {
    return { logical_date: iso(start), ...base, prev_ds: day(start === fire ? undefined : before(start)), next_ds: day(fire) };
  }
  return { logical_date: iso(fire), ...base, prev_ds: day(start === fire ? undefined : start), next_ds: day(after(fire)) };
}

/** The fire that starts the run of `logicalDate`, or undefined when no run of the schedule has that logical date. */
export function fireOf(tt: Timetable, logicalDate: number, convention: LogicalDateConvention): number | undefined {
  if (firesBetween(tt, logicalDate, logicalDate + 1).length !== 1) return undefined;
  return convention === 'interval' ? nextFire(tt, logicalDate) : logicalDate;
}

/** Every run whose logical date falls in `[start, end)`, in logical-date order. */
export function runsBetween(tt: Timetable, start: number, end: number, convention: LogicalDateConvention): RunTimes[] {
  const out: RunTimes[] = [];
  for (const logical of firesBetween(tt, start, end)) {
    const fire = convention === 'interval' ? nextFire(tt, logical) : logical;
    const run = fire === undefined ? undefined : runAtFire(tt, fire, convention);
    if (run) out.push(run);
  }
  return out;
}

/** The runs of the UTC day `ds` (`YYYY-MM-DD`). */
export function runsOnDay(tt: Timetable, ds: string, convention: LogicalDateConvention): RunTimes[] {
  const start = Date.parse(`${ds}T00:00:00Z`);
  return runsBetween(tt, start, start + DAY, convention);
}

/**
 * A run without a schedule (a migration, a dag started only by hand): a day is the
 * interval of that day, a timestamp an empty interval at it.
 */
export function unscheduledRun(logicalDate: number, wholeDay: boolean): RunTimes {
  return {
    logical_date: iso(logicalDate),
    data_interval_start: iso(logicalDate),
    data_interval_end: iso(wholeDay ? logicalDate + DAY : logicalDate),
    prev_ds: '',
    next_ds: '',
  };
}
