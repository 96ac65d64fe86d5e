/**
 * The frame every workflow shares (DESIGN §4): run context → phase steps →
 * run record → end, with every failure recorded and ending in `Fail` that
 * carries the original error and cause.
 */
import type { Workflow } from '../ir/types.ts';
import { type DurationOptions, WORKFLOW_SECONDS_MAX, workflowTimeoutSeconds } from './durations.ts';
import { GATE_POLL_SECONDS, gatePollSeconds, gateStart, gateStates } from './gate.ts';
import { worstCaseEvents } from './limits.ts';
import { retryFor } from './policy.ts';
import { boundStateNames } from './state-names.ts';
import { template } from './templates.ts';
import type { State, StateMachineDefinition } from './types.ts';
import { watchStart } from './watch.ts';

/** Phase states continue here when they are done… */
export const ON_SUCCESS = 'Record success';
/** …and catch every error into `$.error`, then go here. */
export const ON_FAILURE = 'Record failure';
const BEGIN = 'Begin run';

export interface PhaseStates {
  startAt: string;
  states: Record<string, State>;
  /** What the workflow's timeout needs beyond the states themselves: Map item counts, poll loop bounds. */
  timing?: DurationOptions;
  /** Worst-case history events, where the phase knows better than the generic count (a migration's). */
  limits?: { historyEvents: number };
}

/**
 * The state that restarts a dated run under its canonical name (run-context.asl.json):
 * the execution that takes it ends without running, so it is no success path.
 */
export function isRestartState(s: State): boolean {
  return s.Type === 'Task' && (s.Parameters as Record<string, unknown> | undefined)?.['StateMachineArn.$'] === '$$.StateMachine.Id';
}

/** `<use-case>/<dag>`: the key of the workflow's rows in the runs table. */
export function workflowKey(w: Pick<Workflow, 'useCase' | 'name'>): string {
  return `${w.useCase}/${w.name}`;
}

/** `orders/orchestration.yaml:12` — where a state came from, for `Comment`s. */
export function specComment(origin: { file: string; line: number }, what?: string): string {
  return `${what ? `${what} — ` : ''}${origin.file}:${origin.line}`;
}

/** The run-context states are the same in every workflow: filled once, shared read-only. */
let runContext: Record<string, State> | undefined;

export function frame(w: Workflow, phase: PhaseStates): StateMachineDefinition {
  runContext ??= template<Record<string, State>>('run-context', { next: BEGIN, statesRetry: retryFor('states') });
  const states: Record<string, State> = {
    ...runContext,
    [BEGIN]: {
      Type: 'Pass',
      Comment: 'Per-run summary the phase steps fill in; stored with the run record.',
      Result: {},
      ResultPath: '$.summary',
      Next: phase.startAt,
    },
  };
  // BEGIN → the gate (max_active_runs) → the watch start (max_duration) → the phase: a run's watch starts when it may work.
  let work = phase.startAt;
  if (w.maxDurationSeconds !== undefined) {
    const watch = watchStart(w, phase.startAt);
    Object.assign(states, watch);
    work = Object.keys(watch)[0]!;
  }
  const gate = gateStart(w);
  if (gate !== undefined) Object.assign(states, gateStates(w, work, ON_FAILURE));
  (states[BEGIN] as { Next: string }).Next = gate ?? work;
  for (const [name, state] of Object.entries(phase.states)) {
    if (name in states) throw new Error(`state name '${name}' is used twice in ${w.stateMachineName}`);
    states[name] = state;
  }
  Object.assign(states, template<Record<string, State>>('run-record', { workflowKey: workflowKey(w), dynamodbRetry: retryFor('dynamodb') }));
  const graph = { StartAt: 'Identify trigger', States: states };
  // With max_active_runs, as long again to wait for an earlier run.
  const timeoutSeconds = Math.min(WORKFLOW_SECONDS_MAX, workflowTimeoutSeconds(graph, phase.timing) * (gate === undefined ? 1 : 2));
  if (gate !== undefined) {
    // Looks far enough apart that a run waiting its whole timeout keeps its history under the quota.
    const poll = gatePollSeconds(states, timeoutSeconds, phase.limits?.historyEvents ?? worstCaseEvents(graph, { loopIterations: 1 }));
    if (poll !== GATE_POLL_SECONDS) Object.assign(states, gateStates(w, work, ON_FAILURE, poll));
  }
  // Names built from spec values may pass Step Functions' 80 characters: bounded, still unique.
  return boundStateNames({
    Comment: `${workflowKey(w)} (${w.type}) compiled by lakestep from ${specComment(w.origin)}${w.description ? `: ${w.description}` : ''}`,
    StartAt: graph.StartAt,
    // Room for every job attempt, retry and poll (src/asl/durations.ts); the dag's timeout bounds one job attempt.
    TimeoutSeconds: timeoutSeconds,
    States: states,
  });
}
