/**
 * `schedule:` in either form — an expression (`cron(0 2 * * ? *)`, `rate(1 day)`, UTC) or
 * `{cron | rate, timezone, flexible_window}` — as the expression, its IANA time zone and
 * its flexible window.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
import type { ScheduleObjectSpec } from './types.ts';
import { checkScheduleExpression } from './schedule.ts';
import { closest } from './suggest.ts';
import { isTimeZone, UTC } from '../time/zones.ts';
import { unalignedRate } from '../events/schedule-expression.ts';

export interface ScheduleSetting {
  /** `cron(…)` or `rate(…)`. */
  expression: string;
  /** IANA time zone of a cron (`UTC` unless set). */
  timezone: string;
  flexibleWindowMinutes?: number;
}

/** Where in the `schedule` node a problem is: the node itself or one of its fields. */
export type ScheduleProblem = { message: string; code: string; field?: 'cron' | 'rate' | 'timezone' };

/** The schedule, or its problems (an invalid expression, an unknown time zone, a time zone on a rate). */
export function scheduleSetting(spec: string | ScheduleObjectSpec): { setting: ScheduleSetting; warnings: ScheduleProblem[] } | { problems: ScheduleProblem[] } {
  if (typeof spec === 'string') {
    const problem = checkScheduleExpression(spec);
    if (problem) return { problems: [{ code: 'SCHEDULE_INVALID', message: problem }] };
    return { setting: { expression: spec.trim(), timezone: UTC }, warnings: warnings(spec.trim()) };
  }
  const problems: ScheduleProblem[] = [];
  if ((spec.cron === undefined) === (spec.rate === undefined)) {
    return { problems: [{ code: 'SCHEDULE_INVALID', message: 'give exactly one of `cron` (e.g. cron: 0 2 * * ? *) and `rate` (e.g. rate: 30 minutes)' }] };
  }
  const field: 'cron' | 'rate' = spec.cron !== undefined ? 'cron' : 'rate';
  const body = (spec.cron ?? spec.rate ?? '').trim();
  const expression = `${field}(${body})`;
  if (new RegExp(`^${field}\\(`).test(body)) {
    problems.push({ code: 'SCHEDULE_INVALID', field, message: `give the ${field === 'cron' ? 'six fields' : 'period'} without ${field}(…): ${field}: ${body.replace(/^\w+\(|\)$/g, '')}` });
  } else {
    const problem = checkScheduleExpression(expression);
    if (problem) problems.push({ code: 'SCHEDULE_INVALID', field, message: problem });
  }
  const timezone = spec.timezone ?? UTC;
  if (spec.timezone !== undefined && !isTimeZone(spec.timezone)) {
    const hint = closest(spec.timezone, knownZones());
    problems.push({ code: 'SCHEDULE_TIMEZONE_UNKNOWN', field: 'timezone', message: `'${spec.timezone}' is not an IANA time zone${hint ? ` (did you mean '${hint}'?)` : ''}; e.g. Europe/Lisbon, America/New_York, UTC` });
  } else if (spec.timezone !== undefined && field === 'rate' && spec.timezone !== UTC) {
    problems.push({ code: 'SCHEDULE_RATE_TIMEZONE', field: 'timezone', message: 'a rate counts elapsed time, the same in every time zone: a time zone applies to cron only' });
  }
  if (problems.length) return { problems };
  return { setting: { expression, timezone, ...(spec.flexible_window === undefined ? {} : { flexibleWindowMinutes: spec.flexible_window }) }, warnings: warnings(expression) };
}

function warnings(expression: string): ScheduleProblem[] {
  if (!unalignedRate(expression)) return [];
  return [
    {
      code: 'SCHEDULE_RATE_UNALIGNED',
      message: `${expression} divides no hour, day or week: its runs are timed from when its schedule is created, so \`lakestep run --date\` and \`backfill\` (which count its periods from 1970-01-01T00:00Z) name other runs than the schedule; use a cron`,
    },
  ];
}

let zones: string[] | undefined;
function knownZones(): string[] {
  zones ??= (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');
  return zones;
}

/** The expression and time zone of a raw (unvalidated) `schedule` value, when it has the shape of one. */
export function rawSchedule(value: unknown): { expression: string; timezone: string } | undefined {
  if (typeof value === 'string') return { expression: value.trim(), timezone: UTC };
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const timezone = typeof o.timezone === 'string' ? o.timezone : UTC;
  if (typeof o.cron === 'string') return { expression: `cron(${o.cron.trim()})`, timezone };
  if (typeof o.rate === 'string') return { expression: `rate(${o.rate.trim()})`, timezone: UTC };
  return undefined;
}
