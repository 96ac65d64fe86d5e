/**
 * Logical dates a join can match. A join starts its downstream once every upstream
 * succeeded for the same logical date, and a dag started by its upstream inherits
 * the upstream's logical date, so each dag's recurring dates come from schedules:
 * its own, and those of its upstreams up the chain (a join passes on only the dates
 * its upstreams share). Two upstreams whose recurring dates can never be equal leave
 * the join waiting forever: two cron() expressions without a common minute, or a
 * rate() schedule (its times depend on when its rule was created) against another
 * schedule. Manual starts (migrations, backfills) are left out: an operator picks
 * their dates.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
import { compileCron } from '../events/fire-times.ts';
import type { PlatformIndex } from './context.ts';

/** A schedule that gives a dag logical dates, and the dag (`<use-case>/<dag>`) it belongs to. */
export interface Schedule {
  schedule: string;
  dag: string;
}

/** Dates that every one of these schedules fires at (one schedule, or what a join passes on). */
export type DateSource = readonly Schedule[];

/** Sources kept per dag: joins of joins multiply them. */
const SOURCES_MAX = 32;

/** Recurring date sources of a dag; `undefined` when they cannot be known (an unreadable use case, maintenance task schedules). */
export function dateSources(index: PlatformIndex, ref: string, visiting = new Set<string>()): DateSource[] | undefined {
  const [useCase, dag] = ref.split('/', 2) as [string, string];
  const entry = index.get(useCase);
  if (!entry?.readable || !entry.dags.has(dag)) return undefined;
  const schedule = entry.schedules.get(dag);
  if (entry.dags.get(dag) === 'maintenance' && schedule === undefined) return undefined;
  // A cron on a time zone's wall clock fires at UTC times that move with daylight saving time: not compared.
  if (entry.timezones.has(dag)) return undefined;
  if (visiting.has(ref)) return [];
  visiting.add(ref);
  try {
    const own: DateSource[] = schedule === undefined ? [] : [[{ schedule: schedule.trim(), dag: ref }]];
    const upstreams = (entry.dependsOn.get(dag) ?? []).map((u) => dateSources(index, u, visiting));
    if (upstreams.some((u) => u === undefined)) return undefined;
    // One upstream passes its dates on; a join only the dates its upstreams share.
    let inherited: DateSource[] | undefined;
    for (const list of (upstreams as DateSource[][]).filter((l) => l.length > 0)) {
      inherited = inherited === undefined ? list : inherited.flatMap((a) => list.map((b) => [...a, ...b])).filter(canCoincide).slice(0, SOURCES_MAX);
    }
    return [...own, ...(inherited ?? [])].slice(0, SOURCES_MAX);
  } finally {
    visiting.delete(ref);
  }
}

/**
 * Whether all these schedules can fire at one same time: the same rate() rule
 * only with itself (its times depend on when it was created), cron() expressions
 * when they share a minute.
 */
export function canCoincide(source: DateSource): boolean {
  const distinct = [...new Map(source.map((s) => [`${s.dag} ${s.schedule}`, s])).values()];
  const rates = distinct.filter((s) => s.schedule.startsWith('rate('));
  if (rates.length > 0) return distinct.length === 1;
  return cronsIntersect(distinct.map((s) => s.schedule));
}

const cronBody = (s: string): string[] | undefined => /^cron\((.*)\)$/.exec(s.trim())?.[1]?.trim().split(/\s+/);
const DAY_MS = 86_400_000;
/** Cron years span 1970–2199. */
const FIRST_DAY = Date.UTC(1970, 0, 1);
const LAST_DAY = Date.UTC(2200, 0, 1);

/**
 * Whether cron expressions share a minute. The six fields are a conjunction of a
 * time-of-day part (minutes, hours) and a day part (day of month, month, day of
 * week, year), so they share a minute when each part has a common value.
 */
export function cronsIntersect(expressions: readonly string[]): boolean {
  const fields = expressions.map(cronBody);
  if (fields.some((f) => f?.length !== 6)) return true;
  try {
    const times = (fields as string[][]).map((f) => compileCron(`${f[0]} ${f[1]} * * ? *`));
    const days = (fields as string[][]).map((f) => compileCron(`0 0 ${f.slice(2).join(' ')}`));
    let sharedTime = false;
    for (let m = 0; m < 1440 && !sharedTime; m++) {
      const d = new Date(FIRST_DAY + m * 60_000);
      sharedTime = times.every((t) => t(d));
    }
    if (!sharedTime) return false;
    for (let t = FIRST_DAY; t < LAST_DAY; t += DAY_MS) {
      const d = new Date(t);
      if (days.every((p) => p(d))) return true;
    }
    return false;
  } catch {
    // An invalid expression has its own diagnostic.
    return true;
  }
}

/** How a dag gets a source's dates: `rate(15 minutes) of payments/payments-ingestion`, `… and …` for a join's. */
export function describeSource(source: DateSource, ref: string): string {
  return source.map((s) => (s.dag === ref ? s.schedule : `${s.schedule} of ${s.dag}`)).join(' and ');
}
