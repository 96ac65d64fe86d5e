/**
 * Starting an execution under its deterministic name, and telling a new execution
 * from one that already holds the name. A Standard execution started again with the
 * same name and input while it runs is not an error in Step Functions (it answers
 * with the running one), so the name is looked up with `DescribeExecution` first;
 * `ExecutionAlreadyExists` (another start in between) is looked up the same way.
 * Used by the schedule starter, the operator commands and the simulator, each with
 * its own {@link ExecutionApi}.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { executionArnOf } from '../naming.ts';

export interface ExecutionInfo {
  executionArn: string;
  status: string;
  startDate?: Date;
  stopDate?: Date;
  /** Times the execution was redriven (absent: never). */
  redriveCount?: number;
  redriveStatus?: string;
  /** Known from its record in the runs table only: Step Functions no longer keeps it. */
  recorded?: boolean;
}

/** The two Step Functions calls a start needs. */
export interface ExecutionApi {
  /** The execution, or undefined when none has this ARN. */
  describe(executionArn: string): Promise<ExecutionInfo | undefined>;
  /** Starts it; `taken` when the name is in use (`ExecutionAlreadyExists`). */
  start(req: StartRequest): Promise<{ executionArn: string; startDate: Date } | 'taken'>;
}

export interface StartRequest {
  stateMachineArn: string;
  name: string;
  input: string;
}

export type StartOutcome = { kind: 'started'; executionArn: string; startDate: Date } | { kind: 'exists'; execution: ExecutionInfo };

/** Starts `req.name` unless an execution holds the name: then reports that one, never a new start. */
export async function startNamed(api: ExecutionApi, req: StartRequest): Promise<StartOutcome> {
  const arn = executionArnOf(req.stateMachineArn, req.name);
  const before = await api.describe(arn);
  if (before) return { kind: 'exists', execution: before };
  const started = await api.start(req);
  if (started !== 'taken') return { kind: 'started', ...started };
  return { kind: 'exists', execution: (await api.describe(arn)) ?? { executionArn: arn, status: 'UNKNOWN' } };
}

/** Statuses in which an execution ended without success (`PENDING_REDRIVE`: failed, redrive under way). */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

/** `already ran (SUCCEEDED at 2026-11-26T02:10:00Z)`, `running (since …)`: what an existing execution means for a start. */
export function describeExisting(e: ExecutionInfo): string {
  const at = (d: Date | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);
  if (e.status === 'RUNNING') return `running${at(e.startDate) ? ` (since ${at(e.startDate)})` : ''}`;
  return `already ran (${e.status}${at(e.stopDate) ? ` at ${at(e.stopDate)}` : ''}${e.recorded ? ', from the runs table' : ''})`;
}
