/**
 * `lakestep cancel <use-case>/<dag> --execution NAME`: stop the execution, then
 * cancel the EMR Serverless job runs it started that are still active (a
 * streaming job run, started without `.sync`, outlives its execution otherwise).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CancelJobRun.html
 */
import type { EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import { StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { cancelJobRuns, describeJobRuns, executionHistory, jobRunsFromHistory, type JobRunInfo } from './jobruns.ts';
import { findExecution } from './logs.ts';
import type { WorkflowTarget } from './resolve.ts';

/** Error and cause recorded on the stopped execution. */
export const CANCEL_ERROR = 'lakestep.Cancelled';

export interface CancelResult {
  ref: string;
  execution: string;
  executionArn: string;
  /** Status before the command; only a RUNNING execution is stopped. */
  status: string;
  stopped: boolean;
  cancelled: JobRunInfo[];
  failed: (JobRunInfo & { error: string })[];
  ok: boolean;
}

export async function cancelExecution(sfn: SFNClient, emr: EMRServerlessClient, target: WorkflowTarget, name: string, by = 'lakestep cancel'): Promise<CancelResult> {
  const execution = await findExecution(sfn, target, name);
  let stopped = false;
  if (execution.status === 'RUNNING') {
    await sfn.send(new StopExecutionCommand({ executionArn: execution.executionArn, error: CANCEL_ERROR, cause: `cancelled by ${by}` }));
    stopped = true;
  }
  const runs = await describeJobRuns(emr, jobRunsFromHistory(await executionHistory(sfn, execution.executionArn)));
  const { cancelled, failed } = await cancelJobRuns(emr, runs);
  return { ref: target.ref, execution: execution.name, executionArn: execution.executionArn, status: execution.status, stopped, cancelled, failed, ok: failed.length === 0 };
}
