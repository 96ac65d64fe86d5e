/**
 * `lakestep logs <use-case>/<dag> [--execution NAME]`: the EMR Serverless job
 * runs of one execution (default: the newest) with their state, state details,
 * Spark UI and driver log locations — "why did the Spark job fail" in one command.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { EMRServerlessClient } from '@aws-sdk/client-emr-serverless';
import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { OpsError } from './errors.ts';
import { failureFromHistory, type FailureInfo } from './history.ts';
import { describeJobRuns, executionHistory, jobRunsFromHistory, type JobRunInfo } from './jobruns.ts';
import { executionArn, type WorkflowTarget } from './resolve.ts';

export interface LogsResult {
  ref: string;
  execution: string;
  executionArn: string;
  status: string;
  failure?: FailureInfo;
  jobRuns: JobRunInfo[];
}

/** The execution `name` of the target, or its newest one; throws when there is none. */
export async function findExecution(client: SFNClient, target: WorkflowTarget, name?: string): Promise<{ name: string; executionArn: string; status: string }> {
  let arn: string;
  if (name !== undefined) arn = executionArn(target.stateMachineArn, name);
  else {
    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: target.stateMachineArn, maxResults: 1 }));
    const newest = listed.executions?.[0];
    if (!newest?.executionArn) throw new OpsError('EXECUTION_NOT_FOUND', `${target.ref} has no executions yet`);
    arn = newest.executionArn;
  }
  try {
    const d = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    return { name: d.name ?? name ?? arn.split(':').at(-1)!, executionArn: arn, status: d.status ?? 'UNKNOWN' };
  } catch (err) {
    if ((err as Error).name === 'ExecutionDoesNotExist') {
      throw new OpsError('EXECUTION_NOT_FOUND', `${target.ref} has no execution "${name}": \`lakestep status ${target.ref}\` lists them`);
    }
    throw err;
  }
}

export async function executionLogs(sfn: SFNClient, emr: EMRServerlessClient, target: WorkflowTarget, name?: string): Promise<LogsResult> {
  const execution = await findExecution(sfn, target, name);
  const events = await executionHistory(sfn, execution.executionArn);
  const failure = execution.status === 'SUCCEEDED' || execution.status === 'RUNNING' ? undefined : failureFromHistory(events);
  return {
    ref: target.ref,
    execution: execution.name,
    executionArn: execution.executionArn,
    status: execution.status,
    ...(failure && Object.keys(failure).length ? { failure } : {}),
    jobRuns: await describeJobRuns(emr, jobRunsFromHistory(events)),
  };
}
