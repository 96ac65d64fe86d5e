/**
 * Streaming Kafka sources: a long-running EMR Serverless job (`Mode: STREAMING`,
 * no `.sync`), started only if no run of the same job is active — the job run
 * name is fixed so the check can find it.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-spark-streaming.html
 */
import { ON_FAILURE, specComment } from '../asl/frame.ts';
import { retryFor } from '../asl/policy.ts';
import type { State, TaskState } from '../asl/types.ts';
import type { JobDocument } from '../build/types.ts';
import type { KafkaSource, Platform, Workflow } from '../ir/types.ts';
import { icebergConf, INGESTION_PACKAGES, runtimeJobTask } from './runtime.ts';

const ACTIVE_STATES = ['SUBMITTED', 'PENDING', 'SCHEDULED', 'RUNNING', 'QUEUED'];

export function streamingStates(w: Workflow, platform: Platform, k: KafkaSource, job: JobDocument) {
  const runName = `${w.useCase}-${w.name}-${k.name}-stream`;
  const find = `Find running ${k.name}`;
  const running = `${k.name} already running?`;
  const start = `Start ${k.name} stream`;
  return {
    startAt: find,
    job,
    states: (next: string): Record<string, State> => {
      const batch = runtimeJobTask({
        workflow: w,
        platform,
        job: job.job,
        sparkSubmitParameters: [icebergConf(platform), `--packages ${INGESTION_PACKAGES.join(',')}`, k.sparkSubmitParameters].filter(Boolean).join(' '),
        comment: specComment(k.origin, `streaming job ${runName}`),
        next,
        failure: ON_FAILURE,
      });
      const params = { ...(batch.Parameters as Record<string, unknown>) };
      delete params['Name.$'];
      delete params.ExecutionTimeoutMinutes;
      const startTask: TaskState = {
        ...batch,
        Resource: 'arn:aws:states:::emr-serverless:startJobRun',
        Parameters: { ...params, Name: runName, Mode: 'STREAMING' },
        Retry: retryFor('emrApi'),
      };
      return {
        [find]: {
          Type: 'Task',
          Comment: 'ListJobRuns cannot filter by name: look for this job among the active runs.',
          Resource: 'arn:aws:states:::aws-sdk:emrserverless:listJobRuns',
          // `States.$` via an intrinsic: a literal `States` array trips asl-validator, which reads it as a state map.
          Parameters: { ApplicationId: '${EmrApplicationId}', 'States.$': `States.Array(${ACTIVE_STATES.map((s) => `'${s}'`).join(', ')})`, MaxResults: 50 },
          ResultSelector: { 'running.$': `States.ArrayContains($.JobRuns[*].Name, '${runName}')` },
          ResultPath: '$.stream',
          Retry: retryFor('emrApi'),
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ON_FAILURE }],
          Next: running,
        },
        [running]: { Type: 'Choice', Choices: [{ Variable: '$.stream.running', BooleanEquals: true, Next: next }], Default: start },
        [start]: startTask,
      };
    },
  };
}
