/**
 * Lets the platform's Spark job role use the Glue databases one use case's jobs
 * touch. Like the secret grants, the policy lives in the use-case stack: a
 * quarantined use case is left out of the app, and its deployed stack — with
 * its grants — stays as it was, so its last good deployment keeps working.
 * @see https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
 */
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export function grantCatalogToSparkJobs(scope: Construct, role: iam.IRole, databases: string[]): iam.Policy | undefined {
  if (databases.length === 0) return undefined;
  const glue = (resource: string): string => `arn:${Aws.PARTITION}:glue:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  return new iam.Policy(scope, 'SparkJobCatalog', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['glue:Get*', 'glue:Create*', 'glue:Update*', 'glue:Delete*'],
        resources: [glue('catalog'), ...databases.flatMap((db) => [glue(`database/${db}`), glue(`table/${db}/*`)])],
      }),
    ],
  });
}
