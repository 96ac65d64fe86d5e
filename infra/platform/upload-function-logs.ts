/**
 * The log group of the function CDK adds for `BucketDeployment` (the platform's upload
 * of the runtime and of every use case's job documents). With `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (cdk.json) the
 * group is a resource of the stack, with a retention; this encrypts it with the
 * platform key like every other log group. The key policy already lets CloudWatch
 * Logs use the key for any log group of the account (encryption-key.ts).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
import type { Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

/** Construct ID prefix of the singleton upload function of `BucketDeployment`. */
export const UPLOAD_FUNCTION_ID = 'Custom::CDKBucketDeployment';

/** Sets the platform key on the upload function's log groups of a stack; returns how many. */
export function encryptUploadFunctionLogs(stack: Stack, key: kms.IKey): number {
  let count = 0;
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith(UPLOAD_FUNCTION_ID)) continue;
    for (const node of child.node.findAll()) {
      if (node instanceof logs.CfnLogGroup && node.kmsKeyId === undefined) {
        node.kmsKeyId = key.keyArn;
        count++;
      }
    }
  }
  return count;
}
