/**
 * {@link ExecutionApi} over the AWS SDK's Step Functions client.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { DescribeExecutionCommand, StartExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { executionArnOf } from '../naming.ts';
import type { ExecutionApi } from './executions.ts';

const errorName = (err: unknown): string | undefined => (err instanceof Error ? err.name : undefined);

/** `DescribeExecution` of `executionArn`, or undefined when no execution has it (`ExecutionDoesNotExist`). */
export async function describeExecution(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (err) {
    if (errorName(err) === 'ExecutionDoesNotExist') return undefined;
    throw err;
  }
}

export function sfnExecutions(client: SFNClient): ExecutionApi {
  return {
    async describe(executionArn) {
      const e = await describeExecution(client, executionArn);
      if (!e) return undefined;
      return {
        executionArn: e.executionArn ?? executionArn,
        status: e.status ?? 'UNKNOWN',
        ...(e.startDate ? { startDate: e.startDate } : {}),
        ...(e.stopDate ? { stopDate: e.stopDate } : {}),
        ...(e.redriveCount === undefined ? {} : { redriveCount: e.redriveCount }),
        ...(e.redriveStatus === undefined ? {} : { redriveStatus: e.redriveStatus }),
      };
    },
    async start(req) {
      try {
        const out = await client.send(new StartExecutionCommand(req));
        return { executionArn: out.executionArn ?? executionArnOf(req.stateMachineArn, req.name), startDate: out.startDate ?? new Date() };
      } catch (err) {
        if (errorName(err) === 'ExecutionAlreadyExists') return 'taken';
        throw err;
      }
    },
  };
}
