/**
 * Lets the platform's Spark job role read the secrets one use case's jobs use
 * (JDBC and Kafka credentials). The policy lives in the use-case stack, so a
 * quarantined use case keeps its deployed grants.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

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

export function grantSecretsToSparkJobs(scope: Construct, role: iam.IRole, arns: string[]): iam.Policy | undefined {
  if (arns.length === 0) return undefined;
  return new iam.Policy(scope, 'SparkJobSecrets', {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: secretResources(arns),
      }),
    ],
  });
}
