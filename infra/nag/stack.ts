/**
 * cdk-nag (AwsSolutions) findings accepted for the upload function CDK adds
 * for `BucketDeployment`: the platform's, which uploads the runtime and every use case's
 * job documents (usecase/job-documents.ts).
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#awssolutions
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3_deployment-readme.html
 */
import type { Stack } from 'aws-cdk-lib';
import { acknowledge } from './acknowledge.ts';
import { UPLOAD_FUNCTION_ID as UPLOAD_FUNCTION } from '../platform/upload-function-logs.ts';

export function acknowledgeStackFindings(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith(UPLOAD_FUNCTION)) continue;
    acknowledge(
      child,
      {
        id: 'AwsSolutions-L1',
        reason: 'The runtime of the CDK upload function is chosen by aws-cdk-lib and moves with it.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The CDK upload function only writes its own CloudWatch logs with the basic execution policy.',
      },
    );
  }
}
