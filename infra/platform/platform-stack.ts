/**
 * `<prefix>-platform`: everything the use-case stacks share (DESIGN §7).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as emrserverless from 'aws-cdk-lib/aws-emrserverless';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ManifestPlatform, RuleDefinition } from '../../src/build/types.ts';
import { LakeFormationCatalog } from '../lakeformation/catalog.ts';
import { lakeFormationEnabled } from '../lakeformation/locations.ts';
import { acknowledgePlatformFindings } from '../nag/platform.ts';
import { type BucketKind, PlatformBuckets } from './buckets.ts';
import { createSparkApplication } from './emr.ts';
import { createEncryptionKey } from './encryption-key.ts';
import { createEventsRole } from './events-role.ts';
import { PlatformLogGroups } from './log-groups.ts';
import { createNotificationTopic } from './notifications.ts';
import { deployRuntime } from './runtime-deployment.ts';
import { PlatformTables, type TableKind } from './tables.ts';
import { ScheduleStarter } from './schedule-starter.ts';
import { BackfillMachine } from './backfill-machine.ts';
import { Dispatcher } from './dispatcher.ts';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** What a use-case stack receives from the platform stack. */
export interface PlatformResources {
  prefix: string;
  key: kms.IKey;
  buckets: Record<BucketKind, s3.IBucket>;
  tables: Record<TableKind, dynamodb.ITable>;
  topic: sns.ITopic;
  emrApplication: emrserverless.CfnApplication;
  eventsRole: iam.IRole;
  stateMachineLogGroup: logs.ILogGroup;
  datasyncLogGroup: logs.ILogGroup;
  /** The schedule starter every schedule invokes, with its group, role and dead-letter queue. */
  scheduleStarter: lambda.IFunction;
  scheduleGroupName: string;
  schedulerRole: iam.IRole;
  scheduleDeadLetters: sqs.IQueue;
  /** The function that uploads the Spark runtime, and every use case's job documents; absent without a runtime. */
  uploader?: lambda.IFunction;
}

export interface PlatformStackProps extends StackProps {
  platform: ManifestPlatform;
  /** The backfill state machine of the build (absent in older builds). */
  backfill?: { stateMachineName: string; definition: string };
  /** The dispatcher of dependencies and notifications, with its rule (absent in older builds). */
  dispatcher?: { stateMachineName: string; type?: 'EXPRESS'; definition: string; rule: RuleDefinition };
  /** Folder of the PySpark runtime uploaded to the artifacts bucket. */
  sparkDir: string;
}

export class PlatformStack extends Stack {
  readonly resources: PlatformResources;
  /** Databases, registered locations and data lake settings (`governance: lake_formation` only). */
  readonly lakeFormation?: LakeFormationCatalog;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const { platform } = props;
    const key = createEncryptionKey(this, platform.prefix);
    const { buckets, accessLogs } = new PlatformBuckets(this, 'Buckets', {
      names: platform.buckets,
      key,
      noncurrentVersionDays: platform.lifecycle?.noncurrentVersionDays,
    });
    const { tables } = new PlatformTables(this, 'Tables', { names: platform.dynamodb, key });
    const topic = createNotificationTopic(this, platform.notifications, key);
    const emrApplication = createSparkApplication(this, platform);
    const eventsRole = createEventsRole(this, platform.prefix);
    const logGroups = new PlatformLogGroups(this, 'Logs', { prefix: platform.prefix, key });
    const uploader = deployRuntime(this, props.sparkDir, buckets.artifacts);
    const starter = new ScheduleStarter(this, 'ScheduleStarter', { prefix: platform.prefix, key });
    if (props.backfill) new BackfillMachine(this, 'Backfill', { prefix: platform.prefix, ...props.backfill, key, logGroup: logGroups.stateMachines });
    if (lakeFormationEnabled(platform)) this.lakeFormation = new LakeFormationCatalog(this, 'LakeFormation', { platform, key, buckets });
    if (props.dispatcher) {
      new Dispatcher(this, 'Dispatcher', { prefix: platform.prefix, ...props.dispatcher, key, logGroup: logGroups.stateMachines, gates: tables.gates, topic, eventsRole });
    }
    acknowledgePlatformFindings(this, { accessLogs, deadLetterQueue: starter.deadLetterQueue });
    this.resources = {
      prefix: platform.prefix,
      key,
      buckets,
      tables,
      topic,
      emrApplication,
      eventsRole,
      stateMachineLogGroup: logGroups.stateMachines,
      datasyncLogGroup: logGroups.datasync,
      scheduleStarter: starter.function,
      scheduleGroupName: starter.group.ref,
      schedulerRole: starter.schedulerRole,
      scheduleDeadLetters: starter.deadLetterQueue,
      ...(uploader ? { uploader } : {}),
    };
    for (const value of sharedValues(this.resources)) this.exportValue(value);
  }
}

/**
 * Every platform value a use-case stack may import. Each is exported whether or
 * not a use case of this build uses it, so the platform's exports never depend on
 * which use cases compile: CloudFormation refuses to remove an export another
 * stack imports, and a quarantined use case's deployed stack keeps importing
 * what it imported (DESIGN §3). Use-case stacks import nothing else (tested).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html
 */
export function sharedValues(r: PlatformResources): string[] {
  return [
    r.key.keyArn,
    r.buckets.artifacts.bucketName,
    r.buckets.artifacts.bucketArn,
    r.emrApplication.attrApplicationId,
    r.eventsRole.roleArn,
    r.topic.topicArn,
    ...(['runs', 'watermarks', 'gates'] as const).flatMap((t) => [r.tables[t].tableName, r.tables[t].tableArn]),
    r.stateMachineLogGroup.logGroupArn,
    r.datasyncLogGroup.logGroupArn,
    r.scheduleStarter.functionArn,
    r.scheduleGroupName,
    r.schedulerRole.roleArn,
    r.scheduleDeadLetters.queueArn,
    ...(r.uploader ? [r.uploader.functionArn] : []),
  ];
}
