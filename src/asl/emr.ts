/**
 * EMR Serverless job task: `startJobRun.sync` waits for the job run to finish.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
 */
import { executionTimeoutMinutes } from './durations.ts';
import { retryFor } from './policy.ts';
import { mergeSubmitParameters } from '../spec/submit-parameters.ts';
import { template } from './templates.ts';
import type { TaskState } from './types.ts';
import { argumentList, IntrinsicLiterals } from './intrinsics.ts';

export interface EmrJobTask {
  comment: string;
  /** Prefix of the job run name; the execution name is appended. */
  jobName: string;
  entryPoint: string;
  arguments: ({ text: string } | { expr: string })[];
  /** Literal parameters, or `{ path }` for a value read from the state (Map items). */
  sparkSubmitParameters: string | { path: string };
  /** Limit of one job attempt (the dag's `timeout`): `ExecutionTimeoutMinutes`. */
  timeoutSeconds: number;
  /** Step Functions retries of a failed job run (the only retry layer of a batch job, src/asl/policy.ts). */
  retries: number;
  next: string;
  failure: string;
  resultPath?: string | null;
  /** Collects argument text that cannot be written inside an intrinsic (see {@link IntrinsicLiterals}). */
  literals?: IntrinsicLiterals;
}

export function emrJobTask(t: EmrJobTask): TaskState {
  const args = argumentList(t.arguments, t.literals);
  return template<TaskState>('emr-job', {
    comment: t.comment,
    jobName: `States.Format('${t.jobName.replace(/[\\'{}]/g, (c) => `\\${c}`)}-{}', $$.Execution.Name)`,
    entryPoint: t.entryPoint,
    argumentsKey: `EntryPointArguments${args.key}`,
    arguments: args.value,
    submitKey: typeof t.sparkSubmitParameters === 'string' ? 'SparkSubmitParameters' : 'SparkSubmitParameters.$',
    sparkSubmitParameters: typeof t.sparkSubmitParameters === 'string' ? mergeSubmitParameters(t.sparkSubmitParameters) : t.sparkSubmitParameters.path,
    timeoutMinutes: executionTimeoutMinutes(t.timeoutSeconds),
    retry: retryFor('emr', t.retries),
    resultPath: t.resultPath ?? null,
    failure: t.failure,
    next: t.next,
  });
}
