/**
 * The expression a schedule is deployed with. A `rate()` whose period divides an
 * hour, a day or a week fires at the multiples of its period since 1970-01-01T00:00Z
 * (src/time/timetable.ts), so the operator commands can name its runs: it is
 * deployed as the cron that fires at exactly those times (`rate(30 minutes)` →
 * `cron(0/30 * * * ? *)`, `rate(7 days)` → Thursdays at midnight UTC, as 1970-01-01
 * was a Thursday). Any other rate is deployed as it is and fires at times set by
 * its creation ({@link unalignedRate}).
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;

/** Minutes of the period, or undefined for a cron. */
function rateMinutes(expression: string): number | undefined {
  const m = RATE.exec(expression.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.replace(/s$/, '');
  return n * (unit === 'minute' ? 1 : unit === 'hour' ? 60 : 1440);
}

/** The cron firing at the rate's aligned times, or undefined when there is none. */
export function alignedCron(expression: string): string | undefined {
  const minutes = rateMinutes(expression);
  if (minutes === undefined || minutes < 1) return undefined;
  if (minutes < 60 && 60 % minutes === 0) return `cron(0/${minutes} * * * ? *)`;
  if (minutes === 60) return 'cron(0 * * * ? *)';
  if (minutes % 60 === 0 && minutes < 1440 && 1440 % minutes === 0) return `cron(0 0/${minutes / 60} * * ? *)`;
  if (minutes === 1440) return 'cron(0 0 * * ? *)';
  if (minutes === 7 * 1440) return 'cron(0 0 ? * THU *)';
  return undefined;
}

/** What the deployed schedule uses: the aligned cron of a rate, or the expression itself. */
export function deployedExpression(expression: string): string {
  return alignedCron(expression) ?? expression.trim().replace(/\s+/g, ' ');
}

/** A rate whose runs cannot be named in advance (its period divides no hour, day or week). */
export function unalignedRate(expression: string): boolean {
  return rateMinutes(expression) !== undefined && alignedCron(expression) === undefined;
}
