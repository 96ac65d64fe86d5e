/**
 * `lakestep status <use-case>`: every dag of one use case on a screen, for the team that owns
 * it — whether its triggers are on, its newest execution (and, when that failed, the state,
 * error and cause), its last run's checks and the worst freshness of its tables. The machines
 * are found with one `ListStateMachines` walk (or built from `--account`); then per dag one
 * `ListExecutions` of a single item, one history page when it failed, the trigger and
 * quality reads of `status <use-case>/<dag>`, and for a dag with upstreams its newest gate entry
 * (one `Query` of a single item), a few dags at a time.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Manifest, ManifestWorkflow } from '../build/types.ts';
import { nextFire, timetable } from '../time/timetable.ts';
import { isoSeconds } from './dates.ts';
import { awsErrorName } from './errors.ts';
import { locateMachines, pool, taggedMachines, type Machine } from './machines.ts';
import type { JoinState } from './joins.ts';
import type { DagQuality } from './quality-status.ts';
import { resolveUseCase, type ResolvedWorkflow } from './resolve.ts';
import { workflowStatus, type ExecutionRow } from './status.ts';
import type { TriggerState } from './triggers.ts';

export interface DagOverview {
  /** `<use-case>/<dag>`. */
  ref: string;
  stateMachineName: string;
  /** Absent when the machine is not deployed in the region. */
  stateMachineArn?: string;
  /** The newest execution, with its failure when it failed; absent when there is none (or no machine). */
  latest?: ExecutionRow;
  /** Trigger states, or why they could not be read. */
  triggers: TriggerState[] | string;
  /** When one of its schedules fires next (ISO, UTC); absent without a schedule that is on. */
  next?: string;
  /** The last run's checks and the tables' freshness, or why they could not be read. */
  quality: DagQuality | string;
  /** A dag with upstreams: its newest join (ops/joins.ts), null before any upstream succeeded, or why it could not be read. */
  join?: JoinState | null | string;
}

export interface UseCaseStatusResult {
  useCase: string;
  owner?: string;
  region: string;
  /**
   * Set when the use case is quarantined: its first error. The build has none of its dags, so they are
   * its deployed state machines (its last good deployment), found by name and tags; their triggers and
   * freshness SLAs are unknown.
   */
  quarantined?: { errors: number; first?: string };
  dags: DagOverview[];
}

export interface UseCaseStatusReaders {
  sfn: SFNClient;
  /** The trigger states of a dag (`status <use-case>/<dag>`'s reader); a failed read is a string. */
  triggers: (wf: ResolvedWorkflow) => Promise<TriggerState[] | string>;
  /** The quality part of a dag; a failed read is a string. */
  quality: (ref: string) => Promise<DagQuality | string>;
  /** The newest join of a dag with upstreams (none: undefined); a failed read is a string. */
  join?: (wf: ResolvedWorkflow) => Promise<JoinState | undefined | string>;
}

export interface UseCaseStatusOptions {
  now: Date;
  /** Build the ARNs from it instead of listing the state machines. */
  account?: string;
  /** Dags read at once (default 4). */
  concurrency?: number;
}

/** The overview of every dag of `useCase`, in the order of its specs. */
export async function useCaseStatus(manifest: Manifest, useCase: string, readers: UseCaseStatusReaders, opts: UseCaseStatusOptions): Promise<UseCaseStatusResult> {
  const quarantined = manifest.quarantined.find((q) => q.useCase === useCase);
  if (quarantined) return quarantinedStatus(manifest, quarantined, readers, opts);
  const uc = resolveUseCase(manifest, useCase);
  const { region } = manifest.platform;
  const machines: Machine[] = uc.workflows.map((w) => ({ dag: `${uc.name}/${w.name}`, name: w.stateMachineName }));
  await locateMachines(readers.sfn, machines, region, opts.account);
  const dags: DagOverview[] = uc.workflows.map((w, i) => ({ ref: machines[i]!.dag, stateMachineName: w.stateMachineName, triggers: [], quality: { freshness: [] } }));
  await pool(
    uc.workflows.map((w, i) => ({ w, machine: machines[i]!, row: dags[i]! })),
    opts.concurrency ?? 4,
    async ({ w, machine, row }) => {
      const wf = resolved(uc.name, w, region);
      if (machine.arn !== undefined) {
        try {
          const status = await workflowStatus(readers.sfn, { ...wf, stateMachineArn: machine.arn }, { limit: 1, now: opts.now });
          row.stateMachineArn = machine.arn;
          if (status.executions[0]) row.latest = status.executions[0];
        } catch (err) {
          // With --account the ARN is built, not found: a machine that does not exist is not deployed.
          if (awsErrorName(err) !== 'StateMachineDoesNotExist') throw err;
        }
      }
      row.triggers = await readers.triggers(wf);
      const next = nextFireOf(w, row.triggers, opts.now);
      if (next !== undefined) row.next = next;
      row.quality = await readers.quality(row.ref);
      if (readers.join && w.routes?.length) row.join = (await readers.join(wf)) ?? null;
    },
  );
  return { useCase: uc.name, ...(uc.owner ? { owner: uc.owner } : {}), region, dags };
}

/**
 * The next time one of the dag's schedules fires after `now`, skipping those that are off (disabled, not
 * deployed); none when their states could not be read. Scheduler may start it later, within the schedule's
 * flexible window.
 */
export function nextFireOf(w: ManifestWorkflow, triggers: TriggerState[] | string, now: Date): string | undefined {
  // Whether a schedule is on is unknown when its state could not be read: no time is better than a wrong one.
  if (typeof triggers === 'string') return undefined;
  const fires = (w.schedules ?? []).flatMap((s) => {
    const state = triggers.find((t) => t.kind === 'schedule' && t.name === s.Name)?.state;
    if (state === 'DISABLED' || state === 'MISSING') return [];
    const at = nextFire(timetable(s.ScheduleExpression, s.ScheduleExpressionTimezone), now.getTime());
    return at === undefined ? [] : [at];
  });
  return fires.length ? isoSeconds(new Date(Math.min(...fires))) : undefined;
}

/** Why the triggers of a quarantined use case's dags are not shown. */
export const QUARANTINED_TRIGGERS = 'triggers: unknown (the use case is quarantined: the build has none of its schedules or upstreams)';

async function quarantinedStatus(manifest: Manifest, q: Manifest['quarantined'][number], readers: UseCaseStatusReaders, opts: UseCaseStatusOptions): Promise<UseCaseStatusResult> {
  const errors = q.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  const { prefix, region } = manifest.platform;
  const deployed = (await taggedMachines(readers.sfn, prefix, [q.useCase])).get(q.useCase) ?? [];
  const dags: DagOverview[] = deployed.map((m) => ({ ref: `${q.useCase}/${m.dag}`, stateMachineName: m.name, stateMachineArn: m.arn, triggers: QUARANTINED_TRIGGERS, quality: { freshness: [] } }));
  await pool(dags, opts.concurrency ?? 4, async (row) => {
    const status = await workflowStatus(readers.sfn, { ref: row.ref, stateMachineArn: row.stateMachineArn! }, { limit: 1, now: opts.now });
    if (status.executions[0]) row.latest = status.executions[0];
    row.quality = await readers.quality(row.ref);
  });
  return {
    useCase: q.useCase,
    region,
    quarantined: { errors: errors.length, ...(first ? { first: `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}` } : {}) },
    dags,
  };
}

function resolved(useCase: string, w: ManifestWorkflow, region: string): ResolvedWorkflow {
  return { ref: `${useCase}/${w.name}`, useCase, dag: w.name, stateMachineName: w.stateMachineName, region, workflow: w };
}
