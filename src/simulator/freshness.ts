/**
 * The freshness alarms of a build (manifest `freshness`, src/events/freshness.ts), evaluated
 * over simulated time as CloudWatch evaluates them: missing data is breaching, so an alarm
 * goes to ALARM once its table had no `TablePublished` data point for its age, and back to
 * OK at the next data point. Each transition notifies the platform topic with the message
 * shape CloudWatch sends (`AlarmName`, `NewStateValue`, `NewStateReason`, `StateChangeTime`, …).
 * Evaluation is per minute in CloudWatch; here, at the exact time the age passes.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
import type { FreshnessAlarm, Manifest } from '../build/types.ts';
import type { DataPoint } from './services/cloudwatch.ts';

export interface AlarmTransition {
  alarm: FreshnessAlarm;
  state: 'ALARM' | 'OK';
  /** Epoch milliseconds. */
  time: number;
}

/** Every alarm of the build. */
export function buildAlarms(manifest: Manifest): FreshnessAlarm[] {
  return manifest.useCases.flatMap((uc) => uc.freshness ?? []);
}

/**
 * The state changes of `alarm` between `start` (deploy: the alarm is OK, nothing published
 * yet) and `end`, given the data points put meanwhile.
 */
export function alarmTransitions(alarm: FreshnessAlarm, points: readonly DataPoint[], start: number, end: number): AlarmTransition[] {
  const times = points
    .filter((p) => p.namespace === alarm.namespace && p.metric === alarm.metric && Object.entries(alarm.dimensions).every(([k, v]) => p.dimensions[k] === v))
    .map((p) => Date.parse(p.time))
    .filter((t) => t >= start && t <= end)
    .sort((a, b) => a - b);
  const out: AlarmTransition[] = [];
  let last = start;
  let alarming = false;
  for (const t of [...times, Number.POSITIVE_INFINITY]) {
    const breach = last + alarm.afterSeconds * 1000;
    if (!alarming && breach < t && breach <= end) {
      out.push({ alarm, state: 'ALARM', time: breach });
      alarming = true;
    }
    if (t === Number.POSITIVE_INFINITY) break;
    if (alarming) out.push({ alarm, state: 'OK', time: t });
    alarming = false;
    last = t;
  }
  return out;
}

/** The message CloudWatch publishes to an SNS action (the fields lakestep's readers use). */
export function alarmMessage(t: AlarmTransition, region: string, account: string): string {
  const a = t.alarm;
  const reason =
    t.state === 'ALARM'
      ? `${a.table} was not published for ${a.afterSeconds} s (freshness ${a.level}, ${a.workflow}): ${a.evaluationPeriods} period(s) of ${a.period} s without a TablePublished data point, treated as breaching`
      : `${a.table} was published`;
  return JSON.stringify({
    AlarmName: a.name,
    AlarmDescription: `lakestep freshness (${a.level}): ${a.table}`,
    AWSAccountId: account,
    NewStateValue: t.state,
    OldStateValue: t.state === 'ALARM' ? 'OK' : 'ALARM',
    NewStateReason: reason,
    StateChangeTime: new Date(t.time).toISOString(),
    Region: region,
    AlarmArn: `arn:aws:cloudwatch:${region}:${account}:alarm:${a.name}`,
    Trigger: { MetricName: a.metric, Namespace: a.namespace, Statistic: 'SUM', Period: a.period, EvaluationPeriods: a.evaluationPeriods, ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching' },
  });
}
