/**
 * Where a dag's logical dates come from, for the operator commands (`run --date`,
 * `backfill`) to name runs exactly as the schedule and the dependencies do: its
 * own schedule, or else the schedule of the first upstream (in `depends_on` order)
 * that has one, up the chain — a run started by an upstream inherits the
 * upstream's logical date. Maintenance dags (one schedule per task group) and dags
 * that nothing schedules (migrations, dags started by hand) have none: a day is then
 * one run at midnight UTC covering that day.
 */
import type { PlatformIndex } from './context.ts';
import type { Platform } from './types.ts';
import type { LogicalDateConvention } from '../time/runs.ts';

export interface WorkflowTimetable {
  /** The schedule expression, as written. */
  schedule: string;
  /** IANA time zone of a cron schedule (UTC unless set). */
  timezone: string;
  logicalDate: LogicalDateConvention;
  /** `<use-case>/<dag>` whose schedule this is, when inherited. */
  from?: string;
}

/** The timetable of `ref` (`<use-case>/<dag>`), if any. */
export function effectiveTimetable(index: PlatformIndex, platform: Platform, ref: string, visiting = new Set<string>()): WorkflowTimetable | undefined {
  const [useCase, dag] = ref.split('/', 2) as [string, string];
  const entry = index.get(useCase);
  if (!entry?.dags.has(dag) || entry.dags.get(dag) === 'maintenance' || visiting.has(ref)) return undefined;
  const schedule = entry.schedules.get(dag);
  if (schedule !== undefined) {
    return { schedule: schedule.trim(), timezone: entry.timezones.get(dag) ?? 'UTC', logicalDate: entry.conventions.get(dag) ?? platform.defaults.logicalDate };
  }
  visiting.add(ref);
  try {
    for (const upstream of entry.dependsOn.get(dag) ?? []) {
      const found = effectiveTimetable(index, platform, upstream, visiting);
      if (found) return { ...found, from: found.from ?? upstream };
    }
    return undefined;
  } finally {
    visiting.delete(ref);
  }
}
