/**
 * `lakestep backfill --detach`: the runs the command decided to start are handed to
 * the platform's backfill state machine (src/asl/backfill.ts) in one execution, which
 * starts them at most `max_concurrency` at a time and waits for each, in AWS. The
 * machine's input holds the runs, so a detached backfill is limited to what fits a
 * state's 256 KiB input.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { createHash } from 'node:crypto';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineArn as machineArnOf, type WorkflowTarget } from './resolve.ts';
import type { BackfillResult } from './backfill.ts';
import { runInput, type PlannedRun } from './plan.ts';
import { OpsError } from './errors.ts';

/** Runs one detached backfill may hand over (about 300 bytes each of the 256 KiB input). */
export const BACKFILL_DETACH_MAX_RUNS = 500;

export interface DetachedBackfill {
  backfillMachineArn: string;
  executionName: string;
  executionArn: string;
  runs: number;
}

/** `<use-case>-<dag>_<from>_<to>_<yyyymmddThhmmss>`, shortened with a hash past the 80 characters of an execution name. */
export function detachedName(target: Pick<WorkflowTarget, 'useCase' | 'dag'>, from: string, to: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = `${target.useCase}-${target.dag}_${from}_${to}_${stamp}`;
  if (name.length <= 80) return name;
  return `${name.slice(0, 71)}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** The backfill machine's input for the runs to start (decided by `backfill`'s plan). */
export function detachedInput(target: WorkflowTarget, runs: readonly { plan: PlannedRun; name: string; attempt: number }[], maxConcurrency: number): string {
  return JSON.stringify({
    state_machine_arn: target.stateMachineArn,
    max_concurrency: maxConcurrency,
    runs: runs.map((r) => ({ name: r.name, input: runInput(r.plan, 'backfill', r.attempt) })),
  });
}

/** Starts the backfill machine with the runs of a planned (dry-run) backfill result. */
export async function startDetached(
  client: SFNClient,
  target: WorkflowTarget,
  backfillMachineName: string,
  plan: BackfillResult,
  runs: readonly PlannedRun[],
  now: Date,
): Promise<DetachedBackfill> {
  const byName = new Map(runs.map((r) => [r.logicalDate, r]));
  const toStart = plan.items.filter((i) => i.outcome === 'planned' && !i.error).map((i) => ({ plan: byName.get(i.logicalDate)!, name: i.name, attempt: i.attempt }));
  if (toStart.length > BACKFILL_DETACH_MAX_RUNS) {
    throw new OpsError('USAGE', `${toStart.length} runs to start: a detached backfill takes at most ${BACKFILL_DETACH_MAX_RUNS}; split --from..--to`);
  }
  const region = target.region;
  const account = target.stateMachineArn.split(':')[4] ?? '';
  const partition = target.stateMachineArn.split(':')[1] ?? 'aws';
  const backfillMachineArn = machineArnOf(backfillMachineName, { region, account, partition });
  const executionName = detachedName(target, plan.from, plan.to, now);
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: backfillMachineArn, name: executionName, input: detachedInput(target, toStart, plan.maxConcurrency) }));
  return { backfillMachineArn, executionName, executionArn: out.executionArn ?? '', runs: toStart.length };
}
