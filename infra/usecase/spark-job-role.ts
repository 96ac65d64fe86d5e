/**
 * The EMR Serverless runtime role of one use case's Spark jobs, created in the
 * use case's first stack: its secrets, its Glue databases, its S3 keys
 * ({@link sparkAccess}) and the platform key. One inline
 * policy on a role of its own, so no other stack ever writes to it (IAM keys
 * inline policies by role and name) and its size depends on this use case only.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ManifestPlatform, ManifestTable, ManifestUseCase } from '../../src/build/types.ts';
import { sparkJobRoleName } from '../../src/naming.ts';
import type { PlatformResources } from '../platform/platform-stack.ts';
import { type GlueAccess, type SparkAccess, sparkAccess } from './spark-access.ts';

/** Name of the role's one inline policy. */
export const SPARK_JOB_POLICY = 'SparkJob';

/**
 * Secret ARNs as policy resources. A spec may give the ARN without the six
 * random characters Secrets Manager appends, so the `-??????` form is added.
 */
export function secretResources(arns: string[]): string[] {
  const out = new Set<string>();
  for (const arn of arns) {
    out.add(arn);
    if (!/-[A-Za-z0-9]{6}$/.test(arn) && !arn.endsWith('-??????')) out.add(`${arn}-??????`);
  }
  return [...out].sort();
}

/**
 * `kms:Decrypt` with the customer managed keys of the use case's secrets, only
 * when Secrets Manager of the key's (and so the secret's) region asks for it.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function secretKeyStatements(keys: readonly string[]): iam.PolicyStatement[] {
  const byRegion = new Map<string, string[]>();
  for (const key of keys) {
    const region = key.split(':')[3] ?? '';
    byRegion.set(region, [...(byRegion.get(region) ?? []), key]);
  }
  return [...byRegion].map(
    ([region, resources]) =>
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources,
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
  );
}

export function createSparkJobRole(
  scope: Construct,
  platform: ManifestPlatform,
  resources: PlatformResources,
  useCase: ManifestUseCase,
  tables: Readonly<Record<string, ManifestTable>>,
): iam.Role {
  const access = sparkAccess(platform, useCase, tables);
  return new iam.Role(scope, 'SparkJobRole', {
    roleName: sparkJobRoleName(platform.prefix, useCase.name),
    description: `EMR Serverless job runtime role of the ${useCase.name} Spark jobs`,
    assumedBy: new iam.ServicePrincipal('emr-serverless.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
    inlinePolicies: { [SPARK_JOB_POLICY]: new iam.PolicyDocument({ statements: statements(access, resources) }) },
  });
}

function statements(access: SparkAccess, r: PlatformResources): iam.PolicyStatement[] {
  const s3 = (bucket: string, key?: string) => `arn:${Aws.PARTITION}:s3:::${bucket}${key === undefined ? '' : `/${key}`}`;
  const glue = (resource: string) => `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const out: iam.PolicyStatement[] = [];
  const buckets = [...access.buckets.keys()];
  out.push(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: buckets.map((b) => s3(b)) }));
  for (const [bucket, keys] of access.buckets) {
    const prefixes = [...keys.readWrite, ...keys.read.filter((k) => k.endsWith('/'))];
    if (prefixes.length === 0) continue;
    out.push(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [s3(bucket)],
        conditions: { StringLike: { 's3:prefix': prefixes.sort().map((k) => `${k}*`) } },
      }),
    );
  }
  const read = [...access.buckets].flatMap(([b, k]) => k.read.map((key) => s3(b, key.endsWith('/') ? `${key}*` : key)));
  if (read.length) out.push(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: read }));
  const readWrite = [...access.buckets].flatMap(([b, k]) => k.readWrite.map((key) => s3(b, `${key}*`)));
  out.push(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: readWrite,
    }),
  );
  // Spark resolves the session's current namespace `default` when it starts.
  out.push(new iam.PolicyStatement({ actions: ['glue:GetDatabase'], resources: [glue('catalog'), glue('database/default')] }));
  out.push(...glueStatements(access, glue));
  if (access.lakeFormation) {
    // Temporary credentials for the registered locations; the action has no resource-level permissions.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslakeformation.html
    out.push(new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }));
  }
  if (access.secrets.length) {
    out.push(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: secretResources(access.secrets),
      }),
    );
  }
  out.push(...secretKeyStatements(access.secretKeys));
  // No statement on the platform's DynamoDB tables: the runtime reads and writes S3 and secrets only, and
  // the state machines keep the watermarks. A custom `spark:` job runs its own code under this role, so any
  // grant there would let one use case move another's watermarks or forge its runs.
  // The platform key encrypts the buckets, and also the tables, topic, log groups and state machines: through S3
  // only, so the job's own code can never ask KMS itself to decrypt anything else the key protects.
  out.push(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'],
      resources: [r.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
    }),
  );
  return out;
}

/**
 * Glue grants of the table-access model: reads on every table the jobs touch, UpdateTable
 * (Iceberg commits) only where they write, CreateTable and DeleteTable only where they
 * create and drop. Glue authorizes a table call on the catalog, the database and the table.
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 */
function glueStatements(access: SparkAccess, glue: (resource: string) => string): iam.PolicyStatement[] {
  const g: GlueAccess = access.glue;
  const tables = (list: string[]) => list.map((t) => glue(`table/${t}`));
  const dbs = (list: string[]) => [...new Set(list.map((t) => t.split('/')[0]!))].map((d) => glue(`database/${d}`));
  const out: iam.PolicyStatement[] = [];
  const grant = (actions: string[], list: string[]) => {
    if (list.length) out.push(new iam.PolicyStatement({ actions, resources: [glue('catalog'), ...dbs(list), ...tables(list)] }));
  };
  grant(['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'], g.read);
  grant(['glue:UpdateTable'], g.write);
  grant(['glue:CreateTable'], g.create);
  grant(['glue:DeleteTable'], g.drop);
  if (g.createDatabases.length) out.push(new iam.PolicyStatement({ actions: ['glue:CreateDatabase'], resources: [glue('catalog'), ...g.createDatabases.map((d) => glue(`database/${d}`))] }));
  return out;
}
