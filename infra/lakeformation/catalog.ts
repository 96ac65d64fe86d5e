/**
 * The platform side of `governance: lake_formation`, in the platform stack:
 * - `AWS::LakeFormation::DataLakeSettings` with `MutationType: APPEND`, adding the
 *   CloudFormation execution role of the CDK bootstrap to the account's data lake
 *   administrators (it registers locations and grants below and in the use-case
 *   stacks) and allowing full-table access for EMR; APPEND adds to the account's
 *   settings and never replaces its list of administrators;
 * - every database platform.yaml declares, as `AWS::Glue::Database` with
 *   `CreateTableDefaultPermissions: []` (no `IAMAllowedPrincipals` grant on the
 *   tables Spark creates: Lake Formation alone decides), retained when removed;
 * - each database's S3 prefixes registered with Lake Formation
 *   (`AWS::LakeFormation::Resource`) under a role of its own: full-table access
 *   from EMR needs a user-defined role, not the service-linked one.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-datalakesettings.html
 * @see https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/lake-formation-unfiltered-access.html
 */
import { Aws, CfnResource, DefaultStackSynthesizer, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ManifestPlatform } from '../../src/build/types.ts';
import { governedDatabases, locationPath, registeredLocations } from './locations.ts';

export interface LakeFormationCatalogProps {
  platform: ManifestPlatform;
  key: kms.IKey;
  buckets: Record<'raw' | 'process' | 'analytics', s3.IBucket>;
}

export class LakeFormationCatalog extends Construct {
  /** Absent when the stack is not synthesized with the default (bootstrap) synthesizer. */
  readonly settings?: lakeformation.CfnDataLakeSettings;
  readonly databases: glue.CfnDatabase[] = [];
  readonly locations: lakeformation.CfnResource[] = [];
  /** The role Lake Formation assumes to read and write the registered locations. */
  readonly registrationRole: iam.Role;

  constructor(scope: Construct, id: string, props: LakeFormationCatalogProps) {
    super(scope, id);
    const { platform } = props;
    const synthesizer = Stack.of(this).synthesizer;
    if (synthesizer instanceof DefaultStackSynthesizer) {
      this.settings = new lakeformation.CfnDataLakeSettings(this, 'Settings', {
        mutationType: 'APPEND',
        admins: [{ dataLakePrincipalIdentifier: Fn.sub(synthesizer.cloudFormationExecutionRoleArn) }],
        allowFullTableExternalDataAccess: true,
      });
    }
    const after = (r: CfnResource) => {
      if (this.settings) r.node.addDependency(this.settings);
    };

    for (const name of governedDatabases(platform)) {
      const description = platform.databaseOwners[name]?.description ?? `lakestep ${platform.prefix}: tables of use case ${platform.databaseOwners[name]?.owner}`;
      if (description.includes('{{resolve:')) {
        // CloudFormation would replace a dynamic reference with a secret or parameter value at deploy time.
        throw new Error(`platform.yaml databases.${name}.description holds a CloudFormation dynamic reference ({{resolve:…}}): remove it`);
      }
      const db = new glue.CfnDatabase(this, `Database-${name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseInput: {
          name,
          description,
          // The catalog warehouse's own default, so tables created without a location land where they did before.
          locationUri: `s3://${platform.buckets.raw}/${name}.db`,
          createTableDefaultPermissions: [],
        },
      });
      // CDK drops empty lists; an absent list would let Glue apply the account's IAMAllowedPrincipals default.
      db.addPropertyOverride('DatabaseInput.CreateTableDefaultPermissions', []);
      db.applyRemovalPolicy(RemovalPolicy.RETAIN);
      after(db);
      this.databases.push(db);
    }

    const locations = registeredLocations(platform);
    this.registrationRole = new iam.Role(this, 'RegistrationRole', {
      description: `Lake Formation reads and writes the registered locations of lakestep ${platform.prefix} for the jobs it vends credentials to`,
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      inlinePolicies: { Locations: new iam.PolicyDocument({ statements: registrationStatements(platform, props, locations.map((l) => l.uri)) }) },
    });
    for (const l of locations) {
      const r = new lakeformation.CfnResource(this, `Location-${locationPath(l.uri).replaceAll('/', '|')}`, {
        resourceArn: `arn:${Aws.PARTITION}:s3:::${locationPath(l.uri)}`,
        roleArn: this.registrationRole.roleArn,
        useServiceLinkedRole: false,
        hybridAccessEnabled: false,
      });
      after(r);
      this.locations.push(r);
    }
  }
}

/** S3 read/write on the registered prefixes only, and the platform key their objects are encrypted with. */
function registrationStatements(platform: ManifestPlatform, props: LakeFormationCatalogProps, uris: string[]): iam.PolicyStatement[] {
  if (uris.length === 0) return [new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: [props.key.keyArn] })];
  const kinds = ['raw', 'process', 'analytics'] as const;
  const bucketOf = (uri: string) => kinds.find((k) => uri.startsWith(`s3://${platform.buckets[k]}/`))!;
  const keyOf = (uri: string) => uri.slice(`s3://${platform.buckets[bucketOf(uri)]}/`.length);
  const out = [
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: uris.map((u) => props.buckets[bucketOf(u)].arnForObjects(`${keyOf(u)}*`)),
    }),
  ];
  for (const k of kinds) {
    const prefixes = uris.filter((u) => bucketOf(u) === k).map((u) => `${keyOf(u)}*`);
    if (prefixes.length) out.push(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.buckets[k].bucketArn], conditions: { StringLike: { 's3:prefix': prefixes } } }));
  }
  out.push(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], resources: [props.key.keyArn] }));
  return out;
}
