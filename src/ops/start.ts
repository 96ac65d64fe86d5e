/**
 * One `StartExecution` under a deterministic name, telling a new execution from
 * one that already holds the name. Step Functions refuses a taken name with
 * `ExecutionAlreadyExists`, except when the holder is still running with the
 * identical input: then it answers success with the holder's ARN and start date.
 * A start date well before the request marks that case.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsErrorName } from './errors.ts';
import { executionArn } from './resolve.ts';

/** How much older than the request a returned start date may be and still be this request's (clock skew). */
export const SAME_START_TOLERANCE_MS = 60_000;

export type StartOnceResult =
  | { kind: 'started'; executionArn: string; startDate: Date }
  | { kind: 'exists'; executionArn: string; startDate?: Date };

export async function startOnce(
  client: SFNClient,
  req: { stateMachineArn: string; name: string; input: string; requestedAt: Date },
): Promise<StartOnceResult> {
  try {
    const out = await client.send(
      new StartExecutionCommand({ stateMachineArn: req.stateMachineArn, name: req.name, input: req.input }),
    );
    const arn = out.executionArn ?? executionArn(req.stateMachineArn, req.name);
    const startDate = out.startDate ?? req.requestedAt;
    if (startDate.getTime() < req.requestedAt.getTime() - SAME_START_TOLERANCE_MS) {
      return { kind: 'exists', executionArn: arn, startDate };
    }
    return { kind: 'started', executionArn: arn, startDate };
  } catch (err) {
    if (awsErrorName(err) === 'ExecutionAlreadyExists') {
      return { kind: 'exists', executionArn: executionArn(req.stateMachineArn, req.name) };
    }
    throw err;
  }
}

/** Execution statuses that mean the run ended without success. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);
