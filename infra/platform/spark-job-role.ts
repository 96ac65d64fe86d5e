/**
 * The runtime role EMR Serverless job runs assume: S3 on the platform buckets,
 * the watermarks table and the platform key. Glue databases and secrets are
 * granted per use case by the use-case stacks (usecase/spark-catalog.ts,
 * usecase/spark-secrets.ts), so a quarantined use case keeps its grants.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 */
import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { BucketKind } from './buckets.ts';

export interface SparkJobRoleProps {
  prefix: string;
  buckets: Record<BucketKind, s3.IBucket>;
  watermarks: dynamodb.ITable;
  key: kms.IKey;
}

export function createSparkJobRole(scope: Construct, props: SparkJobRoleProps): iam.Role {
  const role = new iam.Role(scope, 'SparkJobRole', {
    roleName: `${props.prefix}-spark-job`,
    description: 'EMR Serverless job runtime role of the lakestep Spark jobs',
    assumedBy: new iam.ServicePrincipal('emr-serverless.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  });
  const data: BucketKind[] = ['landing', 'raw', 'process', 'analytics'];
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListPlatformBuckets',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [...data, 'artifacts' as const].map((k) => props.buckets[k].bucketArn),
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadWriteDataObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: data.map((k) => props.buckets[k].arnForObjects('*')),
    }),
  );
  // The runtime reads job documents and writes result files and checkpoints under lakestep/.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadWriteArtifacts',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [props.buckets.artifacts.arnForObjects('lakestep/*')],
    }),
  );
  // Glue grants come from each use-case stack (usecase/spark-catalog.ts), next to its workflows.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'Watermarks',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resources: [props.watermarks.tableArn],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'PlatformKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'],
      resources: [props.key.keyArn],
    }),
  );
  return role;
}
