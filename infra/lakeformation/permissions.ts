/**
 * The Lake Formation grants of one use case's Spark job role
 * ({@link lakeFormationGrants}), in the use case's first stack next to the role:
 * no other stack grants to that role, so no two stacks manage the same grant, and
 * a quarantined use case, whose stack is left as deployed, keeps its last grants.
 *
 * One `AWS::LakeFormation::PrincipalPermissions` per permission: every property of
 * the resource is create-only, and when CloudFormation replaces one it grants the
 * new list, then revokes the old one, taking back the permissions both lists
 * share. With one permission each, a change adds or removes exactly that one.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-principalpermissions.html
 */
import { Aws } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { grantKey, type LakeFormationGrant, type LakeFormationResource } from './grants.ts';
import { locationPath } from './locations.ts';

export interface SparkRolePermissionsProps {
  /** ARN of the use case's Spark job role. */
  roleArn: string;
  grants: readonly LakeFormationGrant[];
}

export class SparkRolePermissions extends Construct {
  readonly resources: lakeformation.CfnPrincipalPermissions[] = [];

  constructor(scope: Construct, id: string, props: SparkRolePermissionsProps) {
    super(scope, id);
    for (const g of props.grants) {
      this.resources.push(
        new lakeformation.CfnPrincipalPermissions(this, constructId(g), {
          principal: { dataLakePrincipalIdentifier: props.roleArn },
          resource: cfnResource(g.resource),
          permissions: [g.permission],
          permissionsWithGrantOption: [],
        }),
      );
    }
  }
}

function cfnResource(r: LakeFormationResource): lakeformation.CfnPrincipalPermissions.ResourceProperty {
  switch (r.kind) {
    case 'database':
      return { database: { catalogId: Aws.ACCOUNT_ID, name: r.database } };
    case 'tables':
      return { table: { catalogId: Aws.ACCOUNT_ID, databaseName: r.database, tableWildcard: {} } };
    case 'table':
      return { table: { catalogId: Aws.ACCOUNT_ID, databaseName: r.database, name: r.table } };
    case 'location':
      return { dataLocation: { catalogId: Aws.ACCOUNT_ID, resourceArn: `arn:${Aws.PARTITION}:s3:::${locationPath(r.uri)}` } };
  }
}

/** The grant's key with `/` (which construct ids may not hold) as `|`: stable while the grant is, unique per grant. */
function constructId(g: LakeFormationGrant): string {
  return grantKey(g).replaceAll('/', '|');
}
