/**
 * `lakestep backfill --detach`: the runs the command decided to start are handed to
 * the platform's backfill state machine (src/asl/backfill.ts) in one execution, which
 * starts them at most `max_concurrency` at a time and waits for each, in AWS. The
 * machine's input holds the runs, so a detached backfill is limited to what fits an
 * execution's 256 KiB input: each run is one compact row (its name and times, about
 * 120 bytes), from which the machine builds the run's input, so about 2,000 runs fit.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { createHash } from 'node:crypto';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineArn as machineArnOf, type WorkflowTarget } from './resolve.ts';
import type { BackfillResult } from './backfill.ts';
import type { PlannedRun } from './plan.ts';
import { PAYLOAD_BYTES_MAX } from '../asl/limits.ts';
import { withThousands } from '../build/limits.ts';
import { OpsError } from './errors.ts';

/**
 * One run as the backfill machine takes it: `[name, logical_date, data_interval_start, data_interval_end,
 * prev_ds, next_ds, attempt]`. The machine's item selector builds the run's input from it, field for field
 * what `runInput(plan, 'backfill', attempt)` gives a run the command starts itself.
 */
export type DetachedRow = [name: string, logicalDate: string, start: string, end: string, prevDs: string, nextDs: string, attempt: number];

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
  const rows = runs.map(({ plan: { run }, name, attempt }): DetachedRow => [name, run.logical_date, run.data_interval_start, run.data_interval_end, run.prev_ds, run.next_ds, attempt]);
  return JSON.stringify({ state_machine_arn: target.stateMachineArn, max_concurrency: maxConcurrency, runs: rows });
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
  const input = detachedInput(target, toStart, plan.maxConcurrency);
  const bytes = Buffer.byteLength(input);
  if (bytes > PAYLOAD_BYTES_MAX) {
    const fit = Math.floor((toStart.length * PAYLOAD_BYTES_MAX) / bytes);
    throw new OpsError('USAGE', `${withThousands(toStart.length)} runs to start make a ${Math.ceil(bytes / 1024)} KiB input: a detached backfill's input holds ${PAYLOAD_BYTES_MAX / 1024} KiB, about ${withThousands(fit)} runs of this dag; split --from..--to`);
  }
  const region = target.region;
  const account = target.stateMachineArn.split(':')[4] ?? '';
  const partition = target.stateMachineArn.split(':')[1] ?? 'aws';
  const backfillMachineArn = machineArnOf(backfillMachineName, { region, account, partition });
  const executionName = detachedName(target, plan.from, plan.to, now);
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: backfillMachineArn, name: executionName, input }));
  return { backfillMachineArn, executionName, executionArn: out.executionArn ?? '', runs: toStart.length };
}
