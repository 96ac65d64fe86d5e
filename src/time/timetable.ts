/**
 * When a schedule fires: `cron(...)` on the wall clock of its time zone, `rate(...)`
 * every period of elapsed time. The compiler, the simulator, the schedule starter and
 * the operator commands all use these functions, so they agree on every fire time.
 *
 * - cron in a time zone that observes daylight saving time: a local time that does
 *   not exist (spring forward) is skipped, a local time that happens twice (autumn)
 *   fires once, at its first occurrence — as EventBridge Scheduler does.
 * - rate: the fires are the multiples of the period since 1970-01-01T00:00:00Z
 *   (`rate(1 day)` at midnight UTC, `rate(6 hours)` at 00:00, 06:00, …), which is
 *   what the deployed schedule does when the period divides a day or a week
 *   (src/events/schedule-expression.ts compiles it to the matching cron).
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import { parseCron, type CivilDay, type CronFields } from './cron.ts';
import { civilMs, civilTime, instantsOf, nextDay, UTC } from './zones.ts';

export type Timetable =
  | { kind: 'cron'; expression: string; zone: string; fields: CronFields }
  | { kind: 'rate'; expression: string; periodMs: number };

const MINUTE = 60_000;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE };
/** Cron years span 1970–2199: no fire exists outside. */
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(2200, 0, 1);

/** The timetable of a schedule expression evaluated in `zone` (rates ignore the zone). Throws on a malformed expression. */
export function timetable(expression: string, zone: string = UTC): Timetable {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(text);
  if (rate) {
    const periodMs = Number(rate[1]) * (RATE_UNITS[(rate[2] as string).replace(/s$/, '')] ?? 0);
    if (periodMs <= 0) throw new Error(`Invalid schedule expression: ${expression}`);
    return { kind: 'rate', expression: text, periodMs };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) throw new Error(`Invalid schedule expression: ${expression}`);
  return { kind: 'cron', expression: text, zone, fields: parseCron(cron[1] as string) };
}

/** Fire times in `[start, end)`, ascending, in epoch milliseconds. */
export function firesBetween(tt: Timetable, start: number, end: number): number[] {
  return [...eachFire(tt, start, end)];
}

/** {@link firesBetween} one at a time: a window of years costs only the fires taken. */
export function* eachFire(tt: Timetable, start: number, end: number): Generator<number, void> {
  if (tt.kind === 'rate') {
    for (let t = Math.ceil(start / tt.periodMs) * tt.periodMs; t < end; t += tt.periodMs) yield t;
    return;
  }
  // Only the cron years' days, and a day either side: the local days of the window depend on the offset.
  const from = Math.max(start, FIRST);
  const to = Math.min(end, LAST);
  if (from >= to) return;
  const last = civilMs(civilTime(tt.zone, to)) + 86_400_000;
  for (let day = dayOf(tt.zone, from - 86_400_000); civilMs(day) <= last; day = nextDay(day)) {
    for (const t of firesOnDay(tt, day)) if (t >= start && t < end) yield t;
  }
}

/** The last fire strictly before `t`, if the schedule ever fired before it. */
export function previousFire(tt: Timetable, t: number): number | undefined {
  if (tt.kind === 'rate') return (Math.ceil(t / tt.periodMs) - 1) * tt.periodMs;
  for (let day = dayOf(tt.zone, t + 86_400_000); civilMs(day) >= FIRST - 86_400_000; day = nextDay(day, -1)) {
    const before = firesOnDay(tt, day).filter((f) => f < t);
    if (before.length) return before[before.length - 1];
  }
  return undefined;
}

/** The first fire strictly after `t`, if the schedule fires again. */
export function nextFire(tt: Timetable, t: number): number | undefined {
  if (tt.kind === 'rate') return (Math.floor(t / tt.periodMs) + 1) * tt.periodMs;
  for (let day = dayOf(tt.zone, t - 86_400_000); civilMs(day) < LAST + 86_400_000; day = nextDay(day)) {
    const after = firesOnDay(tt, day).find((f) => f > t);
    if (after !== undefined) return after;
  }
  return undefined;
}

/** Whether the schedule fires at instant `t`. */
export function firesAt(tt: Timetable, t: number): boolean {
  return firesBetween(tt, t, t + 1).length === 1;
}

/** Fires on one local day, ascending: skipped local times give none, repeated ones their first instant. */
function firesOnDay(tt: Extract<Timetable, { kind: 'cron' }>, day: CivilDay): number[] {
  if (!tt.fields.onDay(day)) return [];
  const out: number[] = [];
  for (const hour of tt.fields.hours) {
    for (const minute of tt.fields.minutes) {
      const [first] = instantsOf(tt.zone, { ...day, hour, minute });
      if (first !== undefined && !out.includes(first)) out.push(first);
    }
  }
  return out.sort((a, b) => a - b);
}

function dayOf(zone: string, ms: number): CivilDay {
  const { year, month, day } = civilTime(zone, ms);
  return { year, month, day };
}
