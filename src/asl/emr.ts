/**
 * EMR Serverless job task: `startJobRun.sync` waits for the job run to finish.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
 */
import { jobRetrier, retryDelaySeconds, retryFor, TRANSIENT_RETRY } from './policy.ts';
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
  timeoutSeconds: number;
  retries: number;
  next: string;
  failure: string;
  resultPath?: string | null;
  /** Collects argument text that cannot be written inside an intrinsic (see {@link IntrinsicLiterals}). */
  literals?: IntrinsicLiterals;
}

/** `--conf` settings whose value is a comma-separated list that Spark reads once. */
export const LIST_CONFS = ['spark.jars', 'spark.submit.pyFiles'] as const;

/**
 * spark-submit parameters with every `--conf spark.jars=…` (and `spark.submit.pyFiles`)
 * merged into the first one of its key (comma-joined, duplicates dropped): Spark keeps
 * only the last value of a repeated `--conf`, so a user's `spark.jars` would silently
 * drop the generated Iceberg runtime jar, and a user's `spark.submit.pyFiles` the
 * lakestep runtime package.
 * See https://spark.apache.org/docs/latest/configuration.html#runtime-environment
 */
export function mergeListConfs(parameters: string): string {
  const words = parameters.split(/\s+/).filter(Boolean);
  const values = new Map<string, string[]>();
  const at = new Map<string, number>();
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const next = words[i + 1];
    const key = next === undefined ? undefined : LIST_CONFS.find((k) => next.startsWith(`${k}=`));
    if (words[i] === '--conf' && key !== undefined) {
      const list = values.get(key) ?? [];
      for (const v of next!.slice(key.length + 1).split(',')) if (v && !list.includes(v)) list.push(v);
      values.set(key, list);
      if (!at.has(key)) {
        at.set(key, out.length);
        out.push('--conf', '');
      }
      i++;
    } else out.push(words[i]!);
  }
  if (at.size === 0) return parameters;
  for (const [key, i] of at) out[i + 1] = `${key}=${values.get(key)!.join(',')}`;
  return out.join(' ');
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
    sparkSubmitParameters: typeof t.sparkSubmitParameters === 'string' ? mergeListConfs(t.sparkSubmitParameters) : t.sparkSubmitParameters.path,
    timeoutMinutes: attemptMinutes(t.timeoutSeconds, t.retries),
    retry: retryFor('emr', t.retries, t.timeoutSeconds),
    resultPath: t.resultPath ?? null,
    failure: t.failure,
    next: t.next,
  });
}

/**
 * `ExecutionTimeoutMinutes` of one attempt: every configured retry, with its
 * backoff, must fit in the workflow's `TimeoutSeconds`, or the workflow times out
 * before the retry it was configured to make.
 */
export function attemptMinutes(workflowSeconds: number, retries: number): number {
  const backoff = (retries > 0 ? retryDelaySeconds(jobRetrier(retries, workflowSeconds)) : 0) + retryDelaySeconds(TRANSIENT_RETRY);
  return Math.max(1, Math.floor((workflowSeconds - backoff) / (retries + 1) / 60));
}
