/**
 * `lakestep run <use-case>/<dag> [--date D] [--rerun]`: start one execution with
 * the deterministic name of its logical date, so a second start for the same
 * date is refused and reported instead of running twice.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { executionName } from '../naming.ts';
import { isoSeconds, parseLogicalDate, startInput } from './dates.ts';
import { OpsError } from './errors.ts';
import type { WorkflowTarget } from './resolve.ts';
import { FAILED_STATUSES, startOnce } from './start.ts';

export interface RunOptions {
  /** `YYYY-MM-DD` or an ISO-8601 timestamp; default: `now` to the second. */
  date?: string;
  /** When the name is taken, use `<name>-r<N>` with the lowest free N. */
  rerun?: boolean;
  now: Date;
  /** Highest N tried by `rerun` (default 100). */
  maxReruns?: number;
}

export interface RunResult {
  /** `started`: a new execution; `exists`: the name was taken and nothing was started. */
  outcome: 'started' | 'exists';
  /** False only when an earlier execution for this date ended unsuccessfully. */
  ok: boolean;
  ref: string;
  stateMachineArn: string;
  name: string;
  executionArn: string;
  logicalDate: string;
  input: string;
  status?: string;
  startDate?: string;
  stopDate?: string;
  /** What to do next, e.g. use `--rerun`. */
  hint?: string;
}

export async function runWorkflow(client: SFNClient, target: WorkflowTarget, opts: RunOptions): Promise<RunResult> {
  const logicalDate = opts.date === undefined ? isoSeconds(opts.now) : parseLogicalDate(opts.date);
  const input = startInput('manual', logicalDate);
  const base = executionName(logicalDate);
  const maxReruns = opts.maxReruns ?? 100;
  const common = { ref: target.ref, stateMachineArn: target.stateMachineArn, logicalDate, input };

  for (let n = 0; n <= (opts.rerun ? maxReruns : 0); n++) {
    const name = n === 0 ? base : executionName(logicalDate, `r${n}`);
    const res = await startOnce(client, { stateMachineArn: target.stateMachineArn, name, input, requestedAt: opts.now });
    if (res.kind === 'started') {
      return { ...common, outcome: 'started', ok: true, name, executionArn: res.executionArn, status: 'RUNNING', startDate: isoSeconds(res.startDate) };
    }
    if (opts.rerun) continue;
    const found = await client.send(new DescribeExecutionCommand({ executionArn: res.executionArn }));
    const status = found.status ?? 'UNKNOWN';
    const failed = FAILED_STATUSES.has(status);
    return {
      ...common,
      outcome: 'exists',
      ok: !failed,
      name,
      executionArn: res.executionArn,
      status,
      ...(found.startDate ? { startDate: isoSeconds(found.startDate) } : {}),
      ...(found.stopDate ? { stopDate: isoSeconds(found.stopDate) } : {}),
      hint: failed
        ? `the run for ${logicalDate} ended ${status}; start it again with --rerun (a new execution named ${base}-r<N>)`
        : status === 'RUNNING'
          ? `the run for ${logicalDate} is still running; nothing was started`
          : `the run for ${logicalDate} already ${status === 'SUCCEEDED' ? 'succeeded' : `ended ${status}`}; use --rerun to run it again`,
    };
  }
  throw new OpsError('NO_FREE_EXECUTION_NAME', `${base} and ${base}-r1 … ${base}-r${maxReruns} are all taken for ${target.ref}`);
}
