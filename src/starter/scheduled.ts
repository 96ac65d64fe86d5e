/**
 * The schedule starter: EventBridge Scheduler cannot name the executions it starts,
 * so each schedule invokes the starter with its scheduled time, and the starter
 * derives the run (data interval and logical date, src/time/runs.ts) and the
 * execution name of that logical date, then starts the workflow under that name —
 * or, when the name exists (a duplicate delivery, a run started by hand), reports
 * it and starts nothing. The deployed starter is a Lambda function
 * (infra/starter/handler.ts); the simulator calls the same function.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html
 */
import { executionName } from '../naming.ts';
import { CONVENTIONS, runAtFire, type LogicalDateConvention, type RunTimes } from '../time/runs.ts';
import { timetable } from '../time/timetable.ts';
import { isTimeZone, UTC } from '../time/zones.ts';
import { describeExisting, startNamed, type ExecutionApi } from './executions.ts';

/** What a schedule sends the starter (the schedule target's input). */
export interface ScheduledStart {
  state_machine_arn: string;
  /** The schedule expression, as deployed. */
  schedule: string;
  /** IANA time zone the expression is evaluated in (default UTC). */
  timezone?: string;
  /** The dag's convention (default `interval`). */
  logical_date?: LogicalDateConvention;
  /** Maintenance schedule group: only its tasks run. */
  group?: string;
  /** `<aws.scheduler.scheduled-time>`: when the schedule was due, whatever its flexible window. */
  scheduled_time: string;
}

export type ScheduledStartResult =
  | {
      outcome: 'started' | 'exists';
      name: string;
      executionArn: string;
      /** `already ran (SUCCEEDED at …)` or `running (since …)` when nothing was started. */
      existing?: string;
      run: RunTimes;
    }
  /** The schedule's first fire under the interval convention: no data interval ends there (src/time/runs.ts runAtFire). */
  | { outcome: 'none'; reason: string };

/** Why a fire starts no run. */
export const FIRST_FIRE = "the schedule's first fire ends no data interval: its first run starts at the next fire";

/**
 * The name and input of the run a schedule starts at its scheduled time, or undefined when it starts none (see
 * {@link FIRST_FIRE}); throws on a malformed request.
 */
export function scheduledRun(req: ScheduledStart): { name: string; input: string; run: RunTimes } | undefined {
  const problems = requestProblems(req);
  if (problems.length) throw new Error(`invalid schedule starter input: ${problems.join('; ')}`);
  const tt = timetable(req.schedule, req.timezone ?? UTC);
  const fire = Math.floor(Date.parse(req.scheduled_time) / 1000) * 1000;
  const run = runAtFire(tt, fire, req.logical_date ?? 'interval');
  if (!run) return undefined;
  // Every field of the run, so the workflow takes it as it is (asl-templates/run-context.asl.json).
  const input = { trigger: 'schedule', ...run, upstreams: [], attempt: 1, ...(req.group === undefined ? {} : { group: req.group }) };
  return { name: executionName(run.logical_date, req.group), input: JSON.stringify(input), run };
}

/** Starts the scheduled run under its name, or reports the execution that holds it. */
export async function startScheduledRun(api: ExecutionApi, req: ScheduledStart): Promise<ScheduledStartResult> {
  const scheduled = scheduledRun(req);
  if (!scheduled) return { outcome: 'none', reason: FIRST_FIRE };
  const { name, input, run } = scheduled;
  const out = await startNamed(api, { stateMachineArn: req.state_machine_arn, name, input });
  if (out.kind === 'started') return { outcome: 'started', name, executionArn: out.executionArn, run };
  return { outcome: 'exists', name, executionArn: out.execution.executionArn, existing: describeExisting(out.execution), run };
}

function requestProblems(req: ScheduledStart): string[] {
  const out: string[] = [];
  const r = req as unknown as Record<string, unknown>;
  if (typeof r.state_machine_arn !== 'string' || !/^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+$/.test(r.state_machine_arn)) out.push('state_machine_arn must be a state machine ARN');
  if (typeof r.schedule !== 'string') out.push('schedule must be a schedule expression');
  if (r.timezone !== undefined && (typeof r.timezone !== 'string' || !isTimeZone(r.timezone))) out.push('timezone must be an IANA time zone');
  if (r.logical_date !== undefined && !(CONVENTIONS as readonly unknown[]).includes(r.logical_date)) out.push(`logical_date must be ${CONVENTIONS.join(' or ')}`);
  if (r.group !== undefined && (typeof r.group !== 'string' || !/^[a-z0-9-]{1,40}$/.test(r.group))) out.push('group must be a schedule group id');
  if (typeof r.scheduled_time !== 'string' || Number.isNaN(Date.parse(r.scheduled_time))) out.push('scheduled_time must be an ISO-8601 timestamp');
  return out;
}
