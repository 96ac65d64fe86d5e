/**
 * EventBridge schedule expressions: `rate(value unit)` and 6-field `cron(...)`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Extra single-character forms the field accepts. */
  special: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: /^$/ },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199, special: /^$/ },
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
  return undefined;
}

function checkField(text: string, f: Field): string | undefined {
  for (const item of text.split(',')) {
    if (item === '*' || f.special.test(item)) continue;
    const [range, step] = item.split('/') as [string, string | undefined];
    if (step !== undefined && !/^\d+$/.test(step)) return `has an invalid step '${step}'`;
    if (range === '*' && step !== undefined) continue;
    const ends = range.split('-');
    if (ends.length > 2) return `has an invalid range '${range}'`;
    for (const e of ends) {
      const v = valueOf(e, f);
      if (v === undefined) return `has an invalid value '${e}' (allowed ${f.min}-${f.max}${f.names ? ` or ${f.names.join(',')}` : ''})`;
    }
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
