/**
 * EventBridge schedule expressions: `rate(value unit)` and 6-field `cron(...)`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */

import { eachFire, timetable } from '../time/timetable.ts';

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Forms the field takes beside numbers, names, lists, ranges and steps, each only as the whole field. */
  special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199 },
];

/** Returns a problem description, or undefined when the expression is valid. */
export function checkScheduleExpression(expr: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expr);
  if (rate) return checkRate(rate[1]!.trim());
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) return checkCron(cron[1]!.trim());
  return `'${expr}' is neither rate(...) nor cron(...)`;
}

function checkRate(body: string): string | undefined {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!m) return `rate(${body}) must be 'rate(<positive integer> minute|minutes|hour|hours|day|days)'`;
  const n = Number(m[1]);
  if (n < 1) return `rate(${body}): the value must be at least 1`;
  const singular = !m[2]!.endsWith('s');
  if (n === 1 && !singular) return `rate(${body}): use the singular unit for 1, e.g. rate(1 ${m[2]!.slice(0, -1)})`;
  if (n > 1 && singular) return `rate(${body}): use the plural unit for values above 1, e.g. rate(${n} ${m[2]}s)`;
  return undefined;
}

function checkCron(body: string): string | undefined {
  const parts = body.split(/\s+/);
  if (parts.length !== 6) return `cron(${body}) needs 6 fields (minutes hours day-of-month month day-of-week year), found ${parts.length}`;
  for (const [i, f] of FIELDS.entries()) {
    const problem = checkField(parts[i]!.toUpperCase(), f);
    if (problem) return `cron(${body}): ${f.name} ${problem}`;
  }
  const dom = parts[2]!;
  const dow = parts[4]!;
  if ((dom === '?') === (dow === '?')) return `cron(${body}): exactly one of day-of-month and day-of-week must be '?'`;
  // What the checks above let through, the timetable reads (src/time/cron.ts): any disagreement is refused here
  // rather than thrown at compile time; and a cron must fire once in the years it may name.
  let fires: Iterator<number, void>;
  try {
    fires = eachFire(timetable(`cron(${body})`), Date.UTC(FIELDS[5]!.min, 0, 1), Date.UTC(FIELDS[5]!.max + 1, 0, 1));
  } catch (e) {
    return `cron(${body}): ${(e as Error).message.replace(/^cron: /, '')}`;
  }
  if (fires.next().done) return `cron(${body}) never fires: no day from ${FIELDS[5]!.min} to ${FIELDS[5]!.max} has its day-of-month, month, day-of-week and year`;
  return undefined;
}

function checkField(text: string, f: Field): string | undefined {
  if (text === '*' || f.special?.test(text)) return undefined;
  for (const item of text.split(',')) {
    if (item === '') return `has an empty item in '${text}'`;
    if (f.special?.test(item)) return `has '${item}' in a list: ${item === '?' ? "'?'" : `'${item}'`} stands alone`;
    const [range, step] = item.split('/') as [string, string | undefined];
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `has an invalid step '${step}' (a whole number from 1)`;
    if (range === '*' && step !== undefined) continue;
    const ends = range.split('-');
    if (ends.length > 2) return `has an invalid range '${range}'`;
    const values: number[] = [];
    for (const e of ends) {
      const v = valueOf(e, f);
      if (v === undefined) return `has an invalid value '${e}' (allowed ${f.min}-${f.max}${f.names ? ` or ${f.names.join(',')}` : ''})`;
      values.push(v);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `has the range '${range}', which goes downward: write it as two ranges (e.g. '${ends[0]}-${f.names?.[f.names.length - 1] ?? f.max},${f.names?.[0] ?? f.min}-${ends[1]}')`;
  }
  return undefined;
}

function valueOf(token: string, f: Field): number | undefined {
  if (/^\d+$/.test(token)) {
    const v = Number(token);
    return v >= f.min && v <= f.max ? v : undefined;
  }
  const i = f.names?.indexOf(token) ?? -1;
  return i >= 0 ? i + f.min : undefined;
}
