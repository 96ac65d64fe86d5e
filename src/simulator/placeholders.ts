/**
 * Fixed fake values for the `${Placeholders}` of ASL and rules, standing in for what
 * infra passes as `definitionSubstitutions`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions
 */
import type { Manifest } from '../build/types.ts';

export const ACCOUNT = '123456789012';
export const PARTITION = 'aws';
export const EMR_APPLICATION_ID = '00fakeapp';

/** Values for every platform placeholder and every DataSync task placeholder of the manifest. */
export function placeholderValues(manifest: Manifest): Record<string, string> {
  const p = manifest.platform;
  const values: Record<string, string> = {
    Partition: PARTITION,
    Region: p.region,
    Account: ACCOUNT,
    EmrApplicationId: EMR_APPLICATION_ID,
    SparkJobRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p.prefix}-spark-job`,
    EventsRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p.prefix}-events`,
    TableOptimizerRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p.prefix}-table-optimizer`,
    ArtifactsBucket: p.buckets.artifacts,
    RunsTable: p.dynamodb.runs,
    WatermarksTable: p.dynamodb.watermarks,
    GatesTable: p.dynamodb.gates,
    NotificationTopicArn: `arn:aws:sns:${p.region}:${ACCOUNT}:${p.notifications.topicName}`,
    ScheduleStarterArn: scheduleStarterArn(p.region, p.prefix),
    SchedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/${p.prefix}-scheduler`,
    ScheduleGroupName: p.prefix,
    SchedulerDeadLetterArn: `arn:aws:sqs:${p.region}:${ACCOUNT}:${p.prefix}-schedule-starter-dead-letters`,
  };
  for (const [bucket, name] of Object.entries(p.buckets)) values[`${bucket[0]?.toUpperCase()}${bucket.slice(1)}Bucket`] ??= name;
  let n = 0;
  for (const uc of manifest.useCases) {
    for (const wf of uc.workflows) {
      for (const ds of wf.resources.datasync) {
        if ('placeholder' in ds && values[ds.placeholder] === undefined) {
          values[ds.placeholder] = fakeDataSyncTaskArn(p.region, ++n);
        }
      }
    }
  }
  return values;
}

/** The schedule starter the simulator stands in for (src/starter/scheduled.ts). */
export function scheduleStarterArn(region: string, prefix: string): string {
  return `arn:aws:lambda:${region}:${ACCOUNT}:function:${prefix}-schedule-starter`;
}

export function fakeDataSyncTaskArn(region: string, n: number): string {
  return `arn:aws:datasync:${region}:${ACCOUNT}:task/task-${n.toString(16).padStart(17, 'f')}`;
}

/**
 * Replaces `${Name}` in every string of a JSON value. Unknown names get `sim-<Name>`
 * and are reported through `unknown`.
 */
export function substitute<T>(value: T, values: Record<string, string>, unknown: Set<string> = new Set()): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
        const known = values[name];
        if (known !== undefined) return known;
        unknown.add(name);
        return `sim-${name}`;
      });
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
