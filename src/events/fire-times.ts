/**
 * Fire times of schedule expressions for the simulator and join-dates.ts, over the
 * timetables of src/time (cron on a time zone's wall clock, rates at multiples of
 * their period).
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import { parseCron } from '../time/cron.ts';
import { firesBetween, timetable } from '../time/timetable.ts';
import { UTC } from '../time/zones.ts';

/** Fire times in `[start, end)` of `expression` evaluated in `zone` (default UTC). */
export function fireTimes(expression: string, start: Date, end: Date, zone: string = UTC): Date[] {
  return firesBetween(timetable(expression, zone), start.getTime(), end.getTime()).map((t) => new Date(t));
}

/** A predicate over UTC minutes for the six cron fields. */
export function compileCron(fields: string): (d: Date) => boolean {
  const cron = parseCron(fields);
  const minutes = new Set(cron.minutes);
  const hours = new Set(cron.hours);
  return (d) =>
    minutes.has(d.getUTCMinutes()) &&
    hours.has(d.getUTCHours()) &&
    cron.onDay({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}
