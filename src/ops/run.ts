/**
 * `lakestep run <use-case>/<dag> [--date D] [--rerun]`: the dag's runs of a day (every
 * interval of it: one for a daily schedule, 24 for an hourly one) or of one logical
 * date, each named after its logical date as the schedule and the dependencies name
 * it, so a run that exists is reported ("already ran", "running") and never started
 * again. `--rerun` starts the next attempt (`<name>_a2` …) of each run that is not
 * running. Without `--date`: the schedule's latest run (a dag nothing schedules: a
 * run at the current second).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
import type { ExecutionApi } from '../starter/executions.ts';
import { runHistory } from './attempts.ts';
import { latestRun, runsToStart } from './plan.ts';
import type { RunRecordSource } from './run-records.ts';
import type { WorkflowTarget } from './resolve.ts';
import { notDueItem, planItem, startItem, type RunItem } from './start.ts';

export interface RunOptions {
  /** `YYYY-MM-DD` (every run of that UTC day) or an ISO-8601 timestamp (one run). */
  date?: string;
  /** Start the next attempt of each run that already ran. */
  rerun?: boolean;
  now: Date;
  /** The runs table: attempts Step Functions no longer keeps (src/ops/attempts.ts). */
  records?: RunRecordSource;
}

export interface RunResult {
  ref: string;
  stateMachineArn: string;
  items: RunItem[];
  /** False when a run's latest attempt failed and nothing was started for it, or a run was not due yet. */
  ok: boolean;
  /** Why the runs table could not be read, when it could not. */
  historyUnread?: string;
}

export async function runWorkflow(api: ExecutionApi, target: WorkflowTarget, opts: RunOptions): Promise<RunResult> {
  const runs = opts.date === undefined ? [latestRun(target.workflow, opts.now)] : runsToStart(target.workflow, opts.date);
  const history = await runHistory(opts.records, target.ref, runs.map((r) => r.ds));
  const items: RunItem[] = [];
  for (const p of runs) {
    const early = notDueItem(target.workflow, p, opts.now);
    if (early) {
      items.push(early);
      continue;
    }
    const { decision, ...item } = await planItem(api, target.stateMachineArn, p, opts.rerun ? 'all' : 'none', history.recorded);
    items.push(decision === 'run' ? await startItem(api, target.stateMachineArn, p, item, 'manual') : item);
  }
  return { ref: target.ref, stateMachineArn: target.stateMachineArn, items, ok: !items.some((i) => i.failed || i.notDue), ...(history.unread ? { historyUnread: history.unread } : {}) };
}
