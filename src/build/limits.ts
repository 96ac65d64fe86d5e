/**
 * Step Functions quotas no Catch can rescue, checked per compiled workflow with
 * the worst case the compiler computed (src/asl/limits.ts): a workflow over the
 * history or payload quota is an error, one past 80% of either a warning, both
 * with the numbers; the largest workflow is summarized for `lakestep compile`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import { GATE_LISTED_MAX } from '../asl/gate.ts';
import { HISTORY_EVENTS_MAX, LIMIT_WARN_AT, PAYLOAD_BYTES_MAX } from '../asl/limits.ts';
import type { Report } from '../diagnostics.ts';
import { shortestGapSeconds } from '../ir/overlap.ts';
import type { UseCase } from '../ir/types.ts';
import { durationText } from '../spec/duration.ts';
import type { ManifestWorkflow } from './types.ts';

/** `12345` → `12,345`, as `toLocaleString('en-US')` writes an integer, without loading the locale data (~15 ms per process). */
export function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

type Stats = Pick<ManifestWorkflow, 'name' | 'stats'>;

/** Adds WORKFLOW_HISTORY_LIMIT / WORKFLOW_PAYLOAD_LIMIT diagnostics for the workflows of `uc`. */
export function checkWorkflowLimits(uc: UseCase, workflows: readonly Stats[], report: Report): void {
  const origins = new Map(uc.workflows.map((w) => [w.name, w.origin]));
  for (const w of workflows) {
    const origin = origins.get(w.name);
    if (!origin) continue;
    const check = (code: string, value: number, max: number, what: string, advice: string) => {
      if (value <= LIMIT_WARN_AT * max) return;
      const message = `'${w.name}' can reach ${withThousands(value)} ${what} in one execution (quota ${withThousands(max)}${value > max ? ', exceeded' : ''}): ${value > max ? 'it would fail on AWS; ' : ''}split it or lower ${advice}`;
      if (value > max) report.error(code, message, origin, uc.name);
      else report.warning(code, message, origin, uc.name);
    };
    check('WORKFLOW_HISTORY_LIMIT', w.stats.worstCaseHistoryEvents ?? 0, HISTORY_EVENTS_MAX, 'history events', 'its table count, timeout or retries');
    // The run's state keeps every table's outcome, and a checked table's check results with it (src/phases/migration-payload.ts).
    check('WORKFLOW_PAYLOAD_LIMIT', w.stats.worstCasePayloadBytes ?? 0, PAYLOAD_BYTES_MAX, 'bytes of state payload', 'its table count or the checks of its tables (a run keeps each failed check of every table)');
  }
}

/**
 * `GATE_QUEUE_PAST_LISTING`: a scheduled dag with `max_active_runs` whose schedule can start more runs than one
 * listing of its gate shows (src/asl/gate.ts) before the first of them times out. A waiting run lasts at most the
 * state machine's `TimeoutSeconds`, so at most that many seconds of fires run at once; past
 * {@link GATE_LISTED_MAX}, the earliest runs are on a later page and no run in the gate goes until waiting runs
 * time out. `definitionOf` reads a workflow's compiled definition (its `TimeoutSeconds`).
 */
export function checkGateQueues(uc: UseCase, workflows: readonly Pick<ManifestWorkflow, 'name' | 'definition' | 'maxActiveRuns'>[], definitionOf: (path: string) => { TimeoutSeconds?: number }, report: Report): void {
  const byName = new Map(uc.workflows.map((w) => [w.name, w]));
  for (const w of workflows) {
    const dag = byName.get(w.name);
    if (w.maxActiveRuns === undefined || dag?.schedule === undefined) continue;
    const gap = shortestGapSeconds(dag.schedule, dag.scheduleTimezone ?? 'UTC');
    const timeout = definitionOf(w.definition).TimeoutSeconds;
    if (gap === undefined || timeout === undefined) continue;
    // The runs started within one timeout of each other, the newest included.
    const running = Math.floor(timeout / gap) + 1;
    if (running <= GATE_LISTED_MAX) continue;
    report.warning(
      'GATE_QUEUE_PAST_LISTING',
      `up to ${withThousands(running)} runs of '${w.name}' may be running at once: its schedule starts one every ${durationText(gap)} at the shortest, and a run ` +
        `waiting for its turn (max_active_runs ${w.maxActiveRuns}) times out only after ${durationText(timeout)}. Past ${GATE_LISTED_MAX}, the earliest are not in ` +
        `the one listing each run reads, and no run goes until waiting runs time out. Schedule it less often, or lower its timeout or retries`,
      dag.origin,
      uc.name,
    );
  }
}

/** The one-line summary of the largest workflow's worst case, over use cases in build order. */
export function limitsSummary(useCases: readonly { name: string; workflows: readonly Stats[] }[]): string {
  let largest: { ref: string; events: number; bytes: number } | undefined;
  let heaviest: { ref: string; bytes: number } | undefined;
  for (const u of useCases) {
    for (const w of u.workflows) {
      const events = w.stats.worstCaseHistoryEvents ?? 0;
      const bytes = w.stats.worstCasePayloadBytes ?? 0;
      const ref = `${u.name}/${w.name}`;
      if (!largest || events > largest.events) largest = { ref, events, bytes };
      if (!heaviest || bytes > heaviest.bytes) heaviest = { ref, bytes };
    }
  }
  if (!largest || !heaviest) return 'no workflows';
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  const summary = `largest worst case: ${largest.ref}, ${withThousands(largest.events)} history events (quota ${withThousands(HISTORY_EVENTS_MAX)}), ${kib(largest.bytes)} payload (quota ${PAYLOAD_BYTES_MAX / 1024} KiB)`;
  // The workflow with the largest payload is named too when it is another one.
  return heaviest.ref === largest.ref || Math.ceil(heaviest.bytes / 1024) === Math.ceil(largest.bytes / 1024) ? summary : `${summary}; largest payload: ${heaviest.ref}, ${kib(heaviest.bytes)}`;
}
