/**
 * The role Glue's table optimizers of one use case's `managed: true` tables run as:
 * trusted by glue.amazonaws.com from this account only, confined to those tables'
 * S3 prefixes and their Glue catalog, database and table ARNs, and to the optimizers'
 * own log groups. Created in the use case's first stack; the maintenance workflow
 * passes it to `CreateTableOptimizer` (infra/iam/registry.ts grants that pass only).
 * @see https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ManifestPlatform, ManifestTable, ManifestUseCase } from '../../src/build/types.ts';
import { tableOptimizerRoleName } from '../../src/naming.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { parseS3Uri } from './spark-access.ts';

/** Log groups the compaction, retention and orphan file deletion runs write to. */
const LOG_GROUPS = ['/aws-glue/iceberg-compaction/logs', '/aws-glue/iceberg-retention/logs', '/aws-glue/iceberg-orphan-file-deletion/logs'];

/** `database.table` of the use case's managed tables, over its workflows. */
export function managedTables(useCase: ManifestUseCase): string[] {
  return [...new Set(useCase.workflows.flatMap((w) => w.managedTables ?? []))].sort();
}

export function createTableOptimizerRole(
  scope: Construct,
  platform: ManifestPlatform,
  resources: PlatformResources,
  useCase: ManifestUseCase,
  tables: Readonly<Record<string, ManifestTable>>,
): iam.Role {
  const fqns = managedTables(useCase);
  const s3 = (bucket: string, key?: string) => `arn:${Aws.PARTITION}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;
  const glue = (resource: string) => `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const locations = fqns.map((fqn) => {
    const location = tables[fqn]?.location;
    if (location === undefined) throw new Error(`managed table ${fqn} of use case ${useCase.name} has no location in the manifest`);
    return parseS3Uri(location);
  });
  const byBucket = new Map<string, string[]>();
  for (const l of locations) byBucket.set(l.bucket, [...(byBucket.get(l.bucket) ?? []), l.key]);
  const statements = [
    new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: locations.map((l) => s3(l.bucket, `${l.key}*`)) }),
    ...[...byBucket].map(
      ([bucket, keys]) => new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [s3(bucket)], conditions: { StringLike: { 's3:prefix': keys.map((k) => `${k}*`) } } }),
    ),
    new iam.PolicyStatement({
      actions: ['glue:GetTable', 'glue:UpdateTable'],
      resources: [glue('catalog'), ...new Set(fqns.map((f) => glue(`database/${f.split('.')[0]}`))), ...fqns.map((f) => glue(`table/${f.replace('.', '/')}`))],
    }),
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: LOG_GROUPS.map((g) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${g}:*`),
    }),
    // The lake buckets are encrypted with the platform key.
    new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: [resources.key.keyArn] }),
  ];
  return new iam.Role(scope, 'TableOptimizerRole', {
    roleName: tableOptimizerRoleName(platform.prefix, useCase.name),
    description: `Glue table optimizers of the ${useCase.name} managed tables`,
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    inlinePolicies: { TableOptimizer: new iam.PolicyDocument({ statements }) },
  });
}
