/**
 * cfn-lint findings accepted on resources lakestep does not write itself, each
 * with its reason; `npm run test:cfn-lint` fails on every other error or warning.
 * The ignore is written as the resource's `Metadata.cfn-lint.config.ignore_checks`,
 * the form cfn-lint reads, so it applies to that resource only.
 * @see https://github.com/aws-cloudformation/cfn-lint#metadata
 */
import { CfnResource, type Stack } from 'aws-cdk-lib';
import { UPLOAD_FUNCTION_ID } from '../platform/upload-function-logs.ts';

export interface CfnLintIgnore {
  rule: string;
  reason: string;
}

/** Accepted on the Lambda function CDK adds for `BucketDeployment`. */
export const UPLOAD_FUNCTION_IGNORES: readonly CfnLintIgnore[] = [
  {
    rule: 'W3005',
    reason:
      'aws-cdk-lib writes DependsOn the service role next to the Fn::GetAtt of its ARN on the upload function; the duplicate ordering is harmless and the resource belongs to the library.',
  },
];

/** Accepted on the schedule starter's function (infra/platform/schedule-starter.ts). */
export const STARTER_FUNCTION_IGNORES: readonly CfnLintIgnore[] = [
  {
    rule: 'W3005',
    reason:
      'lambda.Function writes DependsOn its role (and the role policy, which must exist before the first invocation) next to the Fn::GetAtt of the role ARN; the duplicate ordering is harmless.',
  },
];

/** Writes `ignores` on one resource. */
export function ignoreLintFindings(resource: CfnResource, ignores: readonly CfnLintIgnore[]): void {
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ignores.map((i) => i.rule) } });
}

/** Writes the ignores on the upload functions of a stack; returns how many resources got them. */
export function ignoreUploadFunctionLintFindings(stack: Stack): number {
  let count = 0;
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith(UPLOAD_FUNCTION_ID)) continue;
    for (const node of child.node.findAll()) {
      if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') continue;
      node.addMetadata('cfn-lint', { config: { ignore_checks: UPLOAD_FUNCTION_IGNORES.map((i) => i.rule) } });
      count++;
    }
  }
  return count;
}
