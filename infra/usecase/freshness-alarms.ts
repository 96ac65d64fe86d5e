/**
 * The use case's freshness alarms (manifest `freshness`, src/events/freshness.ts): one
 * `AWS::CloudWatch::Alarm` per table and level on the `TablePublished` metric its workflows
 * put at each publish. Missing data is breaching, so a table with no publish for its age
 * alarms; ALARM and OK both notify the platform topic.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html
 */
import { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { FreshnessAlarm } from '../../src/build/types.ts';

export function freshnessAlarms(scope: Construct, alarms: readonly FreshnessAlarm[], topicArn: string): CfnAlarm[] {
  return alarms.map(
    (a) =>
      new CfnAlarm(scope, `Freshness-${a.table}-${a.level}`, {
        alarmName: a.name,
        alarmDescription: `lakestep freshness (${a.level}): ${a.table} not published for ${a.afterSeconds} s (SLA of ${a.workflow})`,
        namespace: a.namespace,
        metricName: a.metric,
        dimensions: Object.entries(a.dimensions).map(([name, value]) => ({ name, value })),
        statistic: 'Sum',
        period: a.period,
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.evaluationPeriods,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
        actionsEnabled: true,
        alarmActions: [topicArn],
        okActions: [topicArn],
      }),
  );
}
