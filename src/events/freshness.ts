/**
 * Freshness SLAs (`freshness: {warn_after, error_after}`) → CloudWatch alarms on the
 * `Lakestep/TablePublished` metric the workflows put at each publish
 * (src/phases/quality-gate.ts `recordPublishes`). An alarm goes to ALARM when no data
 * point came for the SLA's age: missing data is breaching, the statistic is the Sum over
 * one-minute periods (hours above a day), so it fires within a period of the age passing,
 * with no polling function. Its actions notify the platform topic, on ALARM and on OK.
 * A table never published since deploy is stale from the start: it alarms after the age.
 * Limits: Period × EvaluationPeriods ≤ 1 day for periods under an hour, ≤ 7 days in all
 * (checked in src/ir/quality.ts).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 */
import type { FreshnessAlarm } from '../build/types.ts';
import { workflowQuality } from '../ir/quality.ts';
import type { Platform, UseCase } from '../ir/types.ts';

export const FRESHNESS_NAMESPACE = 'Lakestep';
export const FRESHNESS_METRIC = 'TablePublished';
const DAY = 86_400;

/** Period and evaluation periods measuring `seconds` (whole minutes up to a day, whole hours above). */
export function alarmWindow(seconds: number): { period: number; evaluationPeriods: number } {
  const period = seconds > DAY ? 3600 : 60;
  return { period, evaluationPeriods: Math.ceil(seconds / period) };
}

/** The freshness alarms of one use case, one per table and level, in spec order. */
export function freshnessAlarms(platform: Platform, uc: UseCase): FreshnessAlarm[] {
  const out: FreshnessAlarm[] = [];
  for (const w of uc.workflows) {
    for (const q of workflowQuality(w)) {
      const f = q.freshness;
      if (!f) continue;
      const table = `${q.table.database}.${q.table.table}`;
      const levels = [['warn', f.warnAfterSeconds], ['error', f.errorAfterSeconds]] as const;
      for (const [level, seconds] of levels) {
        if (seconds === undefined) continue;
        out.push({
          // Alarm names are at most 255 characters; table names are shorter than that.
          name: `${platform.prefix}-${uc.name}-fresh-${table.replace('.', '-')}-${level}`,
          table,
          level,
          afterSeconds: seconds,
          workflow: `${uc.name}/${w.name}`,
          namespace: FRESHNESS_NAMESPACE,
          metric: FRESHNESS_METRIC,
          dimensions: { Platform: platform.prefix, Table: table },
          ...alarmWindow(seconds),
        });
      }
    }
  }
  return out;
}
