/**
 * Streaming Kafka sources: a long-running EMR Serverless job (`Mode: STREAMING`,
 * no `.sync`), started only if no run of the same job is active — the job run
 * name is fixed so the check can find it. The optimized `emr-serverless:startJobRun`
 * integration has no `Mode` parameter, so the start goes through the SDK
 * integration; `listJobRuns` pages (at most 50 runs a page) are read until the job
 * is found or `NextToken` runs out, so a busy application cannot hide a running stream.
 * The stream runs without a time limit (`ExecutionTimeoutMinutes: 0`).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-spark-streaming.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_ListJobRuns.html
 */
import { ON_FAILURE, specComment } from '../asl/frame.ts';
import { retryFor } from '../asl/policy.ts';
import type { State, TaskState } from '../asl/types.ts';
import type { JobDocument } from '../build/types.ts';
import type { KafkaSource, Platform, Workflow } from '../ir/types.ts';
import { runtimeConf, INGESTION_PACKAGES, runtimeJobTask } from './runtime.ts';

const ACTIVE_STATES = ['SUBMITTED', 'PENDING', 'SCHEDULED', 'RUNNING', 'QUEUED'];

export function streamingStates(w: Workflow, platform: Platform, k: KafkaSource, job: JobDocument) {
  const runName = `${w.useCase}-${w.name}-${k.name}-stream`;
  const find = `Find running ${k.name}`;
  const running = `${k.name} already running?`;
  const start = `Start ${k.name} stream`;
  const more = `More ${k.name} job runs?`;
  const nextPage = `Find running ${k.name} on the next page`;
  return {
    startAt: find,
    job,
    states: (next: string): Record<string, State> => {
      const batch = runtimeJobTask({
        workflow: w,
        platform,
        job: job.job,
        sparkSubmitParameters: [runtimeConf(platform), `--packages ${INGESTION_PACKAGES.join(',')}`, k.sparkSubmitParameters].filter(Boolean).join(' '),
        comment: specComment(k.origin, `streaming job ${runName}`),
        next,
        failure: ON_FAILURE,
      });
      const params = { ...(batch.Parameters as Record<string, unknown>) };
      delete params['Name.$'];
      const startTask: TaskState = {
        ...batch,
        Resource: 'arn:aws:states:::aws-sdk:emrserverless:startJobRun',
        // 0: no time limit. EMR Serverless's default of 12 hours would cancel the stream twice a day; its
        // own retry policy (the streaming default) restarts a failed stream from its checkpoint.
        Parameters: { ...params, Name: runName, Mode: 'STREAMING', ExecutionTimeoutMinutes: 0 },
        Retry: retryFor('emrApi'),
      };
      // `States.$` via an intrinsic: a literal `States` array trips asl-validator, which reads it as a state map.
      const listParams = { ApplicationId: '${EmrApplicationId}', 'States.$': `States.Array(${ACTIVE_STATES.map((s) => `'${s}'`).join(', ')})`, MaxResults: 50 };
      const listTask = (parameters: Record<string, unknown>): TaskState => ({
        Type: 'Task',
        Comment: 'ListJobRuns cannot filter by name: look for this job among the active runs, page by page.',
        Resource: 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns',
        Parameters: parameters,
        // The last page has no NextToken, and a path that matches nothing is a States.Runtime error on AWS
        // (moto shows it): keep the page (at most 50 runs) and test the token with IsPresent.
        ResultSelector: { 'running.$': `States.ArrayContains($.JobRuns[*].Name, '${runName}')`, 'page.$': '$' },
        ResultPath: '$.stream',
        Retry: retryFor('emrApi'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ON_FAILURE }],
        Next: running,
      });
      return {
        [find]: listTask(listParams),
        [running]: { Type: 'Choice', Choices: [{ Variable: '$.stream.running', BooleanEquals: true, Next: next }], Default: more },
        [more]: { Type: 'Choice', Choices: [{ Variable: '$.stream.page.NextToken', IsPresent: true, Next: nextPage }], Default: start },
        [nextPage]: listTask({ ...listParams, 'NextToken.$': '$.stream.page.NextToken' }),
        [start]: startTask,
      };
    },
  };
}
