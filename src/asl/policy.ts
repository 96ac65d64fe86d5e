/**
 * Retry policy per integration: transient service errors are retried with
 * exponential backoff and jitter; a failed Spark job is retried as many times
 * as the dag's `retries` says. Everything else goes to the Catch → failure path.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import type { Retrier } from './types.ts';

export type Integration = 'emr' | 'datasync' | 'dynamodb' | 's3' | 'states' | 'emrApi';

/** Error names the service integrations raise for throttling and transient faults. */
export const TRANSIENT_ERRORS: Record<Integration, string[]> = {
  emr: ['EMRServerless.InternalServerException', 'EMRServerless.ThrottlingException', 'EMRServerless.ServiceQuotaExceededException'],
  emrApi: ['EMRServerless.InternalServerException', 'EMRServerless.ThrottlingException'],
  datasync: ['DataSync.InternalException', 'DataSync.ThrottlingException'],
  dynamodb: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceeded',
    'DynamoDB.InternalServerErrorException',
    'DynamoDB.ThrottlingException',
  ],
  s3: ['S3.InternalError', 'S3.SlowDown', 'S3.ServiceUnavailable'],
  states: ['StepFunctions.ThrottlingException', 'StepFunctions.InternalServerErrorException'],
};

/** Retriers for one task state of the given integration. */
export function retryFor(integration: Integration, jobRetries = 0): Retrier[] {
  const retriers: Retrier[] = [
    { ErrorEquals: TRANSIENT_ERRORS[integration], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 300, JitterStrategy: 'FULL' },
  ];
  if (integration === 'emr' && jobRetries > 0) {
    // A .sync job run that ends FAILED surfaces as States.TaskFailed.
    retriers.push({ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: jobRetries, BackoffRate: 2, MaxDelaySeconds: 900, JitterStrategy: 'FULL' });
  }
  return retriers;
}
