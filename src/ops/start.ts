/**
 * Starting operator runs: a run's attempts are looked up, the decision taken
 * (src/ops/attempts.ts), and a start made only under a name no execution holds
 * (src/starter/executions.ts), so an existing run is reported, never started again.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { describeExisting, startNamed, type ExecutionApi } from '../starter/executions.ts';
import { attemptsOf, decide, type RecordedRuns, type Reprocess } from './attempts.ts';
import type { ManifestWorkflow } from '../build/types.ts';
import { dueAt, runInput, type OperatorTrigger, type PlannedRun } from './plan.ts';

export { FAILED_STATUSES } from '../starter/executions.ts';

export interface RunItem {
  ds: string;
  logicalDate: string;
  dataInterval: [string, string];
  name: string;
  attempt: number;
  /** `started`; `skipped` (decided: it ran or runs); `exists` (another start took the name meanwhile); `handed` (to the backfill machine, `backfill --detach`). */
  outcome: 'planned' | 'started' | 'skipped' | 'exists' | 'handed';
  /** Why it was skipped or rerun: `already ran (SUCCEEDED at …)`, `running (since …)`. */
  because?: string;
  /** The run's latest attempt failed and nothing was started. */
  failed?: boolean;
  /** Its schedule has not started it yet (the end of its data interval is still to come): nothing was started. */
  notDue?: boolean;
  executionArn?: string;
}

/** A run not due at `now` (src/ops/plan.ts dueAt), as an item that says when it is; undefined when it is due. */
export function notDueItem(w: ManifestWorkflow, p: PlannedRun, now: Date): RunItem | undefined {
  const due = dueAt(w, p);
  if (due === undefined || Date.parse(due) <= now.getTime()) return undefined;
  return {
    ds: p.ds,
    logicalDate: p.logicalDate,
    dataInterval: [p.run.data_interval_start, p.run.data_interval_end],
    name: p.name,
    attempt: 1,
    outcome: 'skipped',
    because: `not due until ${due} (its schedule starts it then, when its data interval has ended)`,
    notDue: true,
  };
}

/** Looks up a run's attempts (in Step Functions, else among the runs table's `recorded`) and decides; no start. */
export async function planItem(api: ExecutionApi, machineArn: string, p: PlannedRun, reprocess: Reprocess, recorded?: RecordedRuns): Promise<RunItem & { decision: 'run' | 'skip' }> {
  const d = decide(p, await attemptsOf(api, machineArn, p, recorded), reprocess);
  return {
    ds: p.ds,
    logicalDate: p.logicalDate,
    dataInterval: [p.run.data_interval_start, p.run.data_interval_end],
    name: d.name,
    attempt: d.attempt,
    outcome: d.action === 'skip' ? 'skipped' : 'planned',
    ...(d.because ? { because: d.because } : {}),
    ...(d.action === 'skip' && d.failed ? { failed: true } : {}),
    decision: d.action,
  };
}

/** Starts a planned item (its decision is `run`). */
export async function startItem(api: ExecutionApi, machineArn: string, p: PlannedRun, item: RunItem, trigger: OperatorTrigger): Promise<RunItem> {
  const out = await startNamed(api, { stateMachineArn: machineArn, name: item.name, input: runInput(p, trigger, item.attempt) });
  if (out.kind === 'started') return { ...item, outcome: 'started', executionArn: out.executionArn };
  return { ...item, outcome: 'exists', because: describeExisting(out.execution), executionArn: out.execution.executionArn };
}
