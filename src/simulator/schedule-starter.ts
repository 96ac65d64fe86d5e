/**
 * The schedule starter in the simulator: the same run, name and input as the
 * deployed starter (src/starter/scheduled.ts), and the same rule — a name that
 * exists is reported, never started again — over the simulator's executions.
 */
import { describeExisting, type ExecutionInfo } from '../starter/executions.ts';
import { FIRST_FIRE, scheduledRun, type ScheduledStart } from '../starter/scheduled.ts';
import type { Execution } from './execution.ts';

/** The text Scheduler sends its target for the invocation due at `time`: the context attribute filled. */
export function schedulerInput(input: string, time: string): string {
  return input.replaceAll('<aws.scheduler.scheduled-time>', time);
}

/** What the schedule starter does (src/starter/scheduled.ts) with the target input `text`. */
export function startScheduledIn(sim: { execution(machineArn: string, name: string): Execution | undefined }, text: string, enqueue: (arn: string, name: string, input: unknown) => Execution): Record<string, unknown> {
  let run: ReturnType<typeof scheduledRun>;
  let req: ScheduledStart;
  try {
    req = JSON.parse(text) as ScheduledStart;
    run = scheduledRun(req);
  } catch (e) {
    return { failed: `schedule starter: ${(e as Error).message}`, input: text };
  }
  if (!run) return { none: FIRST_FIRE };
  const existing = sim.execution(req.state_machine_arn, run.name);
  if (existing) return { execution: run.name, exists: describeExisting(info(existing)) };
  const started = enqueue(req.state_machine_arn, run.name, JSON.parse(run.input));
  return { started: started.ref, execution: started.name };
}

/** What DescribeExecution says of a simulated execution. */
export function info(e: Execution): ExecutionInfo {
  const status = e.status === 'PENDING' ? 'RUNNING' : e.status;
  return { executionArn: e.arn, status, startDate: new Date(e.startTime), ...(e.stopTime === null ? {} : { stopDate: new Date(e.stopTime) }) };
}

