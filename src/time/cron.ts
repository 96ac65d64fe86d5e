/**
 * The six fields of an EventBridge `cron(minutes hours day-of-month month day-of-week year)`
 * as predicates over wall-clock fields (no time zone here: the caller decides which
 * clock the fields are read on). `*`, `?`, lists, ranges, steps, `L`, `W` and `#`.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A calendar day on some wall clock. */
export interface CivilDay {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

export interface CronFields {
  /** Minutes of the hour it fires at, ascending. */
  minutes: number[];
  /** Hours of the day it fires at, ascending. */
  hours: number[];
  /** Whether it fires on this day (day of month, month, day of week and year). */
  onDay: (d: CivilDay) => boolean;
}

/** Parses the body of `cron(...)`; throws on a malformed expression (validation reports it first). */
export function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron needs 6 fields, got ${parts.length}: ${body}`);
  // Names and the letters of L, W and # in any case, as the validation takes them (src/spec/schedule.ts).
  const [min, hour, dom, month, dow, year] = parts.map((p) => p.toUpperCase()) as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new Error(`cron: exactly one of day-of-month and day-of-week must be "?": ${body}`);
  const months = numbers(month, 1, 12, MONTHS, 1);
  const years = numbers(year, 1970, 2199);
  const dayOfMonth = dom === '?' ? () => true : dayOfMonthMatcher(dom);
  const dayOfWeek = dow === '?' ? () => true : dayOfWeekMatcher(dow);
  return {
    minutes: [...numbers(min, 0, 59)].sort((a, b) => a - b),
    hours: [...numbers(hour, 0, 23)].sort((a, b) => a - b),
    onDay: (d) => months.has(d.month) && years.has(d.year) && dayOfMonth(d) && dayOfWeek(d),
  };
}

function numbers(field: string, lo: number, hi: number, names: string[] = [], nameBase = 0): Set<number> {
  const value = (text: string): number => {
    const i = names.indexOf(text.toUpperCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`cron: value "${text}" out of range ${lo}-${hi}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in "${part}"`);
    let from = lo;
    let to = hi;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : hi) : value(b);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Days in the month of `d` (leap years included). */
export function daysInMonth(d: Pick<CivilDay, 'year' | 'month'>): number {
  return new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
}

/** 0 (Sunday) – 6 (Saturday). */
export function weekday(d: CivilDay): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

function dayOfMonthMatcher(field: string): (d: CivilDay) => boolean {
  if (field === 'L') return (d) => d.day === daysInMonth(d);
  if (field === 'LW') return (d) => d.day === nearestWeekday(d, daysInMonth(d));
  const near = /^(\d+)W$/.exec(field);
  if (near) {
    const target = Number(near[1]);
    if (target < 1 || target > 31) throw new Error(`cron: day "${field}" out of range 1-31`);
    return (d) => d.day === nearestWeekday(d, target);
  }
  const days = numbers(field, 1, 31);
  return (d) => days.has(d.day);
}

/** The weekday nearest to day `target` of d's month, not crossing the month. */
function nearestWeekday(d: CivilDay, target: number): number {
  const last = daysInMonth(d);
  const day = Math.min(target, last);
  const wd = weekday({ ...d, day });
  if (wd === 6) return day === 1 ? 3 : day - 1;
  if (wd === 0) return day === last ? day - 2 : day + 1;
  return day;
}

function dayOfWeekMatcher(field: string): (d: CivilDay) => boolean {
  const nth = /^([A-Za-z]+|\d)#([1-5])$/.exec(field);
  if (nth) {
    const day = [...numbers(nth[1] as string, 1, 7, DAYS, 1)][0] as number;
    const n = Number(nth[2]);
    return (d) => weekday(d) + 1 === day && Math.ceil(d.day / 7) === n;
  }
  const last = /^([A-Za-z]+|\d)L$/.exec(field);
  if (last) {
    const day = [...numbers(last[1] as string, 1, 7, DAYS, 1)][0] as number;
    return (d) => weekday(d) + 1 === day && d.day + 7 > daysInMonth(d);
  }
  if (field === 'L') return (d) => weekday(d) === 6;
  const days = numbers(field, 1, 7, DAYS, 1);
  return (d) => days.has(weekday(d) + 1);
}
