/**
 * Retry policy per integration: transient service errors are retried with
 * exponential backoff and jitter; a failed Spark job is retried as many times
 * as the dag's `retries` says. Everything else goes to the Catch → failure path.
 *
 * One retry layer per job: a batch job run is retried by Step Functions only
 * (`Retry` on `States.TaskFailed`); EMR Serverless's own job `retryPolicy` is left
 * at its batch default (`maxAttempts` 1: no re-run), so attempts never multiply.
 * A streaming job is the other way round: EMR Serverless restarts it from its
 * checkpoint (its streaming default), and Step Functions retries only the refused
 * start call, never a failed stream.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-resiliency.html
 *
 * Error names follow what Step Functions raises, or a retrier never matches:
 * - AWS SDK integrations (`aws-sdk:<service>:<action>`): `<Service>.<ErrorShape>`,
 *   with `Exception` appended when the shape name lacks it (`S3.NoSuchKey` →
 *   `S3.NoSuchKeyException`); errors the service model does not list arrive as the
 *   service's base exception (`S3.S3Exception`, `DataSync.DataSyncException`).
 * - Optimized integrations use their own prefix: `DynamoDB.` (upper-case DB, where
 *   the SDK integration says `DynamoDb.`), `EMRServerless.`, `StepFunctions.`.
 * Shape names come from the service models; test/asl/error-names.test.ts checks
 * every compiled `ErrorEquals` against the models shipped in the AWS SDK clients.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import type { Retrier } from './types.ts';

export type Integration = 'emr' | 'datasync' | 'dynamodb' | 's3' | 'states' | 'emrApi' | 'sfnApi' | 'sns' | 'cloudwatch' | 'glue' | 'ssm';

/** `<prefix>.<shape>` with the `Exception` suffix rule of the AWS SDK integrations. */
export function errorName(prefix: string, shape: string): string {
  return `${prefix}.${shape.endsWith('Exception') ? shape : `${shape}Exception`}`;
}

/** Prefix and transient error shapes (as named in the service model) of each integration. */
export const INTEGRATION_ERRORS: Record<Integration, { prefix: string; transient: string[] }> = {
  // Optimized emr-serverless:startJobRun(.sync): throttling is not a modeled shape; a
  // full application (max concurrent runs) is ServiceQuotaExceededException.
  emr: { prefix: 'EMRServerless', transient: ['InternalServerException', 'ServiceQuotaExceededException'] },
  emrApi: { prefix: 'EmrServerless', transient: ['InternalServerException', 'ServiceQuotaExceededException', 'EmrServerlessException'] },
  datasync: { prefix: 'DataSync', transient: ['InternalException', 'DataSyncException'] },
  // Optimized dynamodb:getItem|putItem|updateItem.
  dynamodb: { prefix: 'DynamoDB', transient: ['ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'InternalServerError', 'ThrottlingException'] },
  // S3 models none of its 5xx errors (InternalError, SlowDown, ServiceUnavailable):
  // they arrive as the base exception.
  s3: { prefix: 'S3', transient: ['S3Exception'] },
  // Optimized states:startExecution: too many open executions is transient.
  states: { prefix: 'StepFunctions', transient: ['ExecutionLimitExceeded'] },
  // SDK aws-sdk:sfn:describeExecution, listTagsForResource.
  sfnApi: { prefix: 'Sfn', transient: ['SfnException'] },
  // Optimized sns:publish.
  sns: { prefix: 'SNS', transient: ['InternalErrorException', 'ThrottledException'] },
  // SDK aws-sdk:cloudwatch:putMetricData: throttling is not modeled, it arrives as the base exception.
  cloudwatch: { prefix: 'CloudWatch', transient: ['InternalServiceFault', 'CloudWatchException'] },
  // SDK aws-sdk:glue:*TableOptimizer.
  glue: { prefix: 'Glue', transient: ['InternalServiceException', 'OperationTimeoutException', 'ThrottlingException', 'GlueException'] },
  // SDK aws-sdk:ssm:getParametersByPath.
  ssm: { prefix: 'Ssm', transient: ['InternalServerError', 'ThrottlingException', 'SsmException'] },
};

/** Error names the service integrations raise for throttling and transient faults. */
export const TRANSIENT_ERRORS: Record<Integration, string[]> = Object.fromEntries(
  Object.entries(INTEGRATION_ERRORS).map(([k, v]) => [k, v.transient.map((s) => errorName(v.prefix, s))]),
) as Record<Integration, string[]>;

/** Attempts and backoff of the transient retrier: 5 attempts, 5 s doubling, capped at 300 s. */
export const TRANSIENT_RETRY = { IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 300 } as const;
/** Backoff of the job retrier (a failed Spark job run). */
export const JOB_RETRY = { IntervalSeconds: 60, BackoffRate: 2, MaxDelaySeconds: 900 } as const;

/**
 * Attempts and backoff of the transient retrier in an Express workflow (the dispatcher), which runs at most
 * five minutes: 3 retries, 1 s doubling (7 s of backoff at most per call), so that a run refused at every
 * attempt of every call of its longest path still ends, notified, inside the limit (src/asl/dispatch.ts).
 */
export const EXPRESS_TRANSIENT_RETRY = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 4 } as const;

/** Retriers for one task state of the given integration (`express`: the short backoff of an Express workflow). */
export function retryFor(integration: Integration, jobRetries = 0, express = false): Retrier[] {
  const retriers: Retrier[] = [{ ErrorEquals: TRANSIENT_ERRORS[integration], ...(express ? EXPRESS_TRANSIENT_RETRY : TRANSIENT_RETRY), JitterStrategy: 'FULL' }];
  if (integration === 'emr' && jobRetries > 0) retriers.push(jobRetrier(jobRetries));
  return retriers;
}

/**
 * The retrier of a failed Spark job run (a .sync run that ends FAILED surfaces as
 * States.TaskFailed): 60 s doubling, capped at 15 minutes. The workflow's timeout
 * is derived with room for all of it (src/asl/durations.ts).
 */
export function jobRetrier(retries: number): Retrier {
  return { ErrorEquals: ['States.TaskFailed'], ...JOB_RETRY, MaxAttempts: retries, JitterStrategy: 'FULL' };
}

/** Upper bound of the seconds a retrier waits in total (backoff only, before jitter shortens it). */
export function retryDelaySeconds(r: Pick<Retrier, 'IntervalSeconds' | 'MaxAttempts' | 'BackoffRate' | 'MaxDelaySeconds'>): number {
  const interval = r.IntervalSeconds ?? 1;
  const rate = r.BackoffRate ?? 2;
  let total = 0;
  for (let i = 0; i < (r.MaxAttempts ?? 3); i++) total += Math.min(interval * rate ** i, r.MaxDelaySeconds ?? Infinity);
  return total;
}
