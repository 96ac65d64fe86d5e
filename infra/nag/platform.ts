/**
 * cdk-nag (AwsSolutions) findings of the platform stack that are accepted, each
 * with its reason. Findings are acknowledged one by one (cdk-nag 3 has no bulk form).
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Stack } from 'aws-cdk-lib';
import { acknowledge } from './acknowledge.ts';

export interface PlatformFindings {
  accessLogs: s3.IBucket;
  deadLetterQueue: sqs.IQueue;
}

export function acknowledgePlatformFindings(stack: Stack, f: PlatformFindings): void {
  acknowledge(f.accessLogs, {
    id: 'AwsSolutions-S1',
    reason: 'This is the server-access-log bucket; logging it to itself would loop.',
  });
  acknowledge(f.deadLetterQueue, {
    id: 'AwsSolutions-SQS3',
    reason: "This queue is the schedule starter's dead-letter queue: it has none of its own.",
  });
}
