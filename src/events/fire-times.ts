/**
 * Fire times of EventBridge schedule expressions (the simulator fires rules at them; join-dates.ts
 * matches logical dates with them): `rate(N unit)` and 6-field
 * `cron(minutes hours day-of-month month day-of-week year)` with `*`, `?`, lists,
 * ranges, steps, `L`, `W` and `#`. All times UTC.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
const MINUTE = 60_000;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Fire times in `[start, end)`. A rate fires at `start` and every period after it
 * (the simulated rule is created at `start`); a cron at every matching minute.
 */
export function fireTimes(expression: string, start: Date, end: Date): Date[] {
  const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression.trim());
  if (rate) {
    const period = Number(rate[1]) * (RATE_UNITS[(rate[2] as string).replace(/s$/, '')] ?? 0);
    if (period <= 0) throw new Error(`Invalid schedule expression: ${expression}`);
    const out: Date[] = [];
    for (let t = start.getTime(); t < end.getTime(); t += period) out.push(new Date(t));
    return out;
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`Invalid schedule expression: ${expression}`);
  const matches = compileCron(cron[1] as string);
  const out: Date[] = [];
  const first = Math.ceil(start.getTime() / MINUTE) * MINUTE;
  for (let t = first; t < end.getTime(); t += MINUTE) {
    const d = new Date(t);
    if (matches(d)) out.push(d);
  }
  return out;
}

/** A predicate over UTC minutes for the six cron fields. */
export function compileCron(fields: string): (d: Date) => boolean {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron needs 6 fields, got ${parts.length}: ${fields}`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new Error(`cron: exactly one of day-of-month and day-of-week must be "?": ${fields}`);
  const minutes = numbers(min, 0, 59);
  const hours = numbers(hour, 0, 23);
  const months = numbers(month, 1, 12, MONTHS, 1);
  const years = numbers(year, 1970, 2199);
  const dayOfMonth = dom === '?' ? () => true : dayOfMonthMatcher(dom);
  const dayOfWeek = dow === '?' ? () => true : dayOfWeekMatcher(dow);
  return (d) =>
    minutes.has(d.getUTCMinutes()) &&
    hours.has(d.getUTCHours()) &&
    months.has(d.getUTCMonth() + 1) &&
    years.has(d.getUTCFullYear()) &&
    dayOfMonth(d) &&
    dayOfWeek(d);
}

function numbers(field: string, lo: number, hi: number, names: string[] = [], nameBase = 0): Set<number> {
  const value = (text: string): number => {
    const i = names.indexOf(text.toUpperCase());
    const n = i >= 0 ? i + nameBase : Number(text);
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

function daysInMonth(d: Date): number {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

function dayOfMonthMatcher(field: string): (d: Date) => boolean {
  if (field === 'L') return (d) => d.getUTCDate() === daysInMonth(d);
  const weekday = /^(\d+)W$/.exec(field);
  if (weekday) {
    const target = Number(weekday[1]);
    return (d) => d.getUTCDate() === nearestWeekday(d, target);
  }
  const days = numbers(field, 1, 31);
  return (d) => days.has(d.getUTCDate());
}

/** The weekday nearest to day `target` of d's month, not crossing the month. */
function nearestWeekday(d: Date, target: number): number {
  const last = daysInMonth(d);
  const day = Math.min(target, last);
  const wd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day)).getUTCDay();
  if (wd === 6) return day === 1 ? 3 : day - 1;
  if (wd === 0) return day === last ? day - 2 : day + 1;
  return day;
}

function dayOfWeekMatcher(field: string): (d: Date) => boolean {
  const nth = /^([A-Za-z]+|\d)#([1-5])$/.exec(field);
  if (nth) {
    const day = [...numbers(nth[1] as string, 1, 7, DAYS, 1)][0] as number;
    const n = Number(nth[2]);
    return (d) => d.getUTCDay() + 1 === day && Math.ceil(d.getUTCDate() / 7) === n;
  }
  const last = /^([A-Za-z]+|\d)L$/.exec(field);
  if (last) {
    const day = [...numbers(last[1] as string, 1, 7, DAYS, 1)][0] as number;
    return (d) => d.getUTCDay() + 1 === day && d.getUTCDate() + 7 > daysInMonth(d);
  }
  if (field === 'L') return (d) => d.getUTCDay() === 6;
  const days = numbers(field, 1, 7, DAYS, 1);
  return (d) => days.has(d.getUTCDay() + 1);
}
