/**
 * The runs of a simulation as the page shows them: one per execution of a dag
 * (the platform's own machines, `lakestep/*` — the dispatcher, the backfill — and watch machines are plumbing,
 * not dags), with its states from the timeline,
 * its Spark job runs, its error and the checks it reported.
 */
import type { SimulationResult, TimelineEntry } from '../simulator/index.ts';
import { checksOfOutput } from './health.ts';
import { runIdentity } from './identity.ts';
import { DISPATCHER_REF } from '../simulator/index.ts';
import { QUALITY_CHECK_ERROR, type RunState, type UiRun, type UiState } from './types.ts';

/** States kept per run: a migration's Map over hundreds of tables stays readable. */
export const STATES_MAX = 200;

/** What the grid shows for a Step Functions status, its error and whether the run skipped. */
export function runState(status: string, error: string | undefined, skipped: boolean): RunState {
  if (status === 'SUCCEEDED') return skipped ? 'skipped' : 'succeeded';
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return 'running';
  return error === QUALITY_CHECK_ERROR ? 'quality' : 'failed';
}

/** Why a run that succeeded wrote nothing (src/phases/migration-guard.ts), as a sentence. */
export function skippedText(output: unknown): string | undefined {
  const summary = (output as { summary?: { skipped?: { table?: unknown; migration?: unknown } } } | null)?.summary;
  const s = summary?.skipped;
  if (!s || typeof s.table !== 'string') return undefined;
  return `${s.table} is not migrated yet${typeof s.migration === 'string' ? ` (${s.migration})` : ''}: nothing written`;
}

export function runsOfSimulation(result: SimulationResult): UiRun[] {
  const states = statesByExecution(result.timeline);
  const jobs = new Map<string, UiRun['jobRuns']>();
  for (const j of result.jobRuns) {
    const list = jobs.get(j.executionArn) ?? [];
    list.push({ state: j.stateName, id: j.id, runState: j.state, ...(j.stateDetails ? { details: j.stateDetails } : {}) });
    jobs.set(j.executionArn, list);
  }
  return result.executions
    .filter((e) => !e.workflow.startsWith(`${DISPATCHER_REF.split('/')[0]}/`) && !e.workflow.endsWith('#watch'))
    .map((e) => {
      const skipped = e.status === 'SUCCEEDED' ? skippedText(e.output) : undefined;
      const identity = runIdentity({ name: e.name, start: e.startTime, input: e.input, output: e.output });
      const checks = checksOfOutput(e.output);
      const s = states.get(key(e.workflow, e.name));
      const j = jobs.get(e.executionArn);
      return {
        dag: e.workflow,
        name: e.name,
        executionArn: e.executionArn,
        logicalDate: identity.logicalDate,
        dateFrom: identity.dateFrom,
        state: runState(e.status, e.error ?? undefined, skipped !== undefined),
        status: e.status,
        start: iso(e.startTime),
        ...(e.stopTime ? { stop: iso(e.stopTime) } : {}),
        ...(identity.trigger ? { trigger: identity.trigger } : {}),
        ...(e.error ? { error: e.error } : {}),
        ...(e.cause ? { cause: e.cause } : {}),
        ...(e.failedState ? { failedState: e.failedState } : {}),
        ...(skipped ? { skipped } : {}),
        ...(s ? { states: s } : {}),
        ...(j ? { jobRuns: j } : {}),
        ...(checks ? { checks } : {}),
      };
    });
}

/**
 * The states of each execution, in the order entered, with their outcome: a failure
 * stays open to a retry or a catch, so a state that failed twice then succeeded shows
 * as succeeded after 2 retries. Map iterations are told apart by their index.
 */
function statesByExecution(timeline: readonly TimelineEntry[]): Map<string, UiState[]> {
  const out = new Map<string, UiState[]>();
  const last = new Map<string, UiState>();
  for (const t of timeline) {
    if (!t.state || !OUTCOMES.has(t.kind)) continue;
    const run = key(t.workflow, t.execution);
    const list = out.get(run) ?? [];
    out.set(run, list);
    const at = `${run}\0${t.state}\0${String(t.details?.iteration ?? '')}`;
    if (t.kind === 'entered') {
      const entry: UiState = { name: t.state, at: iso(t.time), outcome: 'running' };
      last.set(at, entry);
      if (list.length < STATES_MAX) list.push(entry);
      continue;
    }
    const entry = last.get(at);
    if (!entry) continue;
    const error = typeof t.details?.error === 'string' ? t.details.error : undefined;
    if (t.kind === 'retried') {
      entry.retries = (entry.retries ?? 0) + 1;
      entry.outcome = 'running';
    } else if (!(t.kind === 'succeeded' && entry.outcome === 'caught')) {
      // A caught state then exits like one that succeeded: it stays caught.
      entry.outcome = t.kind as UiState['outcome'];
      if (error && t.kind !== 'succeeded') entry.error = error;
    }
  }
  return out;
}

const OUTCOMES: ReadonlySet<TimelineEntry['kind']> = new Set(['entered', 'succeeded', 'failed', 'retried', 'caught']);

function key(workflow: string, execution: string): string {
  return `${workflow}\0${execution}`;
}

function iso(t: string): string {
  return t.replace(/\.000Z$/, 'Z');
}

/** The clock a simulation ends at: the end of its schedule window, or when its last execution stopped. */
export function simulatedNow(result: SimulationResult, window: { end: string } | undefined): string {
  const stops = result.executions.map((e) => e.stopTime ?? e.startTime).sort();
  const last = stops[stops.length - 1];
  const candidates = [window?.end, last].filter((t): t is string => t !== undefined).sort();
  return iso(candidates[candidates.length - 1] ?? new Date(0).toISOString());
}
