/**
 * A DataSync transfer infra creates when a migration table gives `location:`
 * instead of a task ARN: HDFS source, S3 landing destination (with its access
 * role) and the task, logging to the platform's DataSync log group.
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/create-hdfs-location.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/create-s3-location.html#create-role-manually
 */
import { Aws } from 'aws-cdk-lib';
import * as datasync from 'aws-cdk-lib/aws-datasync';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataSyncResource } from '../../src/build/types.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';

export type CreatedDataSync = Extract<DataSyncResource, { location: unknown }>;

export interface DataSyncTransferProps {
  resource: CreatedDataSync;
  platform: PlatformResources;
  /** Task name: `<state machine>-<table>`. */
  taskName: string;
  /**
   * How much DataSync logs to CloudWatch.
   * @default 'TRANSFER' (one line per transferred file)
   */
  logLevel?: 'OFF' | 'BASIC' | 'TRANSFER';
}

/** Splits `s3://bucket/some/prefix/` into bucket and `/some/prefix/`. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)(\/.*)?$/.exec(url);
  if (!m) throw new Error(`DataSync destination ${url} is not an s3:// URL`);
  return { bucket: m[1]!, prefix: m[2] ?? '/' };
}

export class DataSyncTransfer extends Construct {
  readonly task: datasync.CfnTask;

  constructor(scope: Construct, id: string, props: DataSyncTransferProps) {
    super(scope, id);
    const { resource, platform } = props;
    const { location } = resource;
    const source = new datasync.CfnLocationHDFS(this, 'Source', {
      nameNodes: [{ hostname: location.hostname, port: location.port }],
      agentArns: location.agentArns,
      subdirectory: location.subdirectory,
      authenticationType: 'SIMPLE',
      // Older manifests carry no user; `hdfs` is the superuser of a default cluster.
      simpleUser: (location as { simpleUser?: string }).simpleUser ?? 'hdfs',
    });
    const { bucket, prefix } = parseS3Url(resource.destination);
    // Built from the name so a destination outside the platform buckets works the same way.
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucket}`;
    const role = new iam.Role(this, 'DestinationRole', {
      description: `DataSync writes ${resource.table} to ${resource.destination}`,
      assumedBy: new iam.ServicePrincipal('datasync.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    const policy = new iam.Policy(this, 'DestinationPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [bucketArn],
        }),
        new iam.PolicyStatement({
          actions: [
            's3:AbortMultipartUpload',
            's3:DeleteObject',
            's3:GetObject',
            's3:GetObjectTagging',
            's3:ListMultipartUploadParts',
            's3:PutObject',
            's3:PutObjectTagging',
          ],
          resources: [`${bucketArn}${prefix.endsWith('/') ? prefix : `${prefix}/`}*`],
        }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [platform.key.keyArn],
        }),
      ],
    });
    const destination = new datasync.CfnLocationS3(this, 'Destination', {
      s3BucketArn: bucketArn,
      subdirectory: prefix,
      s3Config: { bucketAccessRoleArn: role.roleArn },
    });
    // DataSync checks the role's access when it creates the location.
    destination.addResourceDependency(policy.node.defaultChild as iam.CfnPolicy);
    this.task = new datasync.CfnTask(this, 'Task', {
      name: props.taskName,
      sourceLocationArn: source.attrLocationArn,
      destinationLocationArn: destination.attrLocationArn,
      cloudWatchLogGroupArn: platform.datasyncLogGroup.logGroupArn,
      options: {
        logLevel: props.logLevel ?? 'TRANSFER',
        verifyMode: 'ONLY_FILES_TRANSFERRED',
        overwriteMode: 'ALWAYS',
        transferMode: 'CHANGED',
      },
    });
  }
}
