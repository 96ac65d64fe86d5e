/**
 * `lakestep status <use-case>/<dag>`: the most recent executions, how often each was
 * redriven (`lakestep retry`), and for each failed one the state, error and cause from
 * the newest page of its history.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, type ExecutionStatus, type SFNClient } from '@aws-sdk/client-sfn';
import { GATE_LISTED_MAX } from '../asl/gate.ts';
import { isoSeconds } from './dates.ts';
import { OpsError } from './errors.ts';
import { failureFromHistory, type FailureInfo } from './history.ts';
import type { WorkflowTarget } from './resolve.ts';
import { FAILED_STATUSES } from './start.ts';

/** Newest history events read per failed execution: the failure is always near the end. */
export const HISTORY_PAGE = 50;

export interface StatusOptions {
  /** Executions to list, newest first (1–1000, default 10). */
  limit?: number;
  statusFilter?: ExecutionStatus;
  /** Used for the duration of running executions. */
  now: Date;
}

export interface ExecutionRow {
  name: string;
  status: string;
  executionArn: string;
  start?: string;
  stop?: string;
  /** Stop (or now, while running) minus start. */
  durationSeconds?: number;
  failure?: FailureInfo;
  /** Redrives (`lakestep retry`), absent when never redriven; START is the first start. */
  redriveCount?: number;
  redriveDate?: string;
}

export interface StatusResult {
  ref: string;
  stateMachineArn: string;
  executions: ExecutionRow[];
}

/** A dag with `max_active_runs`: of its running executions (newest first), which work and which wait in its gate (src/asl/gate.ts). */
export interface GateState {
  maxActiveRuns: number;
  /** Running executions listed: all of them, or the newest {@link GATE_LISTED_MAX} when `complete` is false. */
  running: number;
  /** False when more are running than one listing holds: then, as in the gate, none of them goes until fewer run. */
  complete: boolean;
  /** The N that started first, which do their work. */
  working: string[];
  /** The later ones, which wait for one of them to end. */
  waiting: string[];
}

/**
 * The gate's state from a listing of running executions (newest first), as each run's gate decides it:
 * the N that started first work. From an incomplete listing, the gate lets no listed run go.
 */
export function gateState(executions: readonly Pick<ExecutionRow, 'name' | 'status'>[], maxActiveRuns: number, complete = true): GateState {
  const running = executions.filter((e) => e.status === 'RUNNING').map((e) => e.name);
  const cut = complete ? Math.max(0, running.length - maxActiveRuns) : running.length;
  return { maxActiveRuns, running: running.length, complete, working: running.slice(cut), waiting: running.slice(0, cut) };
}

/** The gate of a dag with `max_active_runs`, read as its runs read it: one `ListExecutions` of the running executions, one page of {@link GATE_LISTED_MAX}. */
export async function readGate(client: SFNClient, stateMachineArn: string, maxActiveRuns: number): Promise<GateState> {
  const listed = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: GATE_LISTED_MAX }));
  const rows = (listed.executions ?? []).map((e) => ({ name: e.name ?? '', status: e.status ?? 'UNKNOWN' }));
  return gateState(rows, maxActiveRuns, listed.nextToken === undefined);
}

export async function workflowStatus(client: SFNClient, target: Pick<WorkflowTarget, 'ref' | 'stateMachineArn'>, opts: StatusOptions): Promise<StatusResult> {
  const limit = opts.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new OpsError('USAGE', `--limit must be an integer from 1 to 1000, got ${limit}`);
  }
  const listed = await client.send(
    new ListExecutionsCommand({
      stateMachineArn: target.stateMachineArn,
      maxResults: limit,
      ...(opts.statusFilter ? { statusFilter: opts.statusFilter } : {}),
    }),
  );
  const executions: ExecutionRow[] = [];
  for (const item of listed.executions ?? []) {
    const status = item.status ?? 'UNKNOWN';
    const row: ExecutionRow = { name: item.name ?? '', status, executionArn: item.executionArn ?? '' };
    if (item.startDate) row.start = isoSeconds(item.startDate);
    if (item.stopDate) row.stop = isoSeconds(item.stopDate);
    if (item.redriveCount) row.redriveCount = item.redriveCount;
    if (item.redriveCount && item.redriveDate) row.redriveDate = isoSeconds(item.redriveDate);
    if (item.startDate) {
      const end = item.stopDate ?? (status === 'RUNNING' ? opts.now : undefined);
      if (end) row.durationSeconds = Math.max(0, Math.round((end.getTime() - item.startDate.getTime()) / 1000));
    }
    if (FAILED_STATUSES.has(status) && item.executionArn) {
      const history = await client.send(
        new GetExecutionHistoryCommand({
          executionArn: item.executionArn,
          reverseOrder: true,
          maxResults: HISTORY_PAGE,
          includeExecutionData: false,
        }),
      );
      row.failure = failureFromHistory(history.events ?? []);
    }
    executions.push(row);
  }
  return { ref: target.ref, stateMachineArn: target.stateMachineArn, executions };
}
