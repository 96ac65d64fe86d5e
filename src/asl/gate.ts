/**
 * `max_active_runs` of a dag: at most N runs do their work at once. A run lists the running
 * executions of its own state machine (`ListExecutions`, newest first) and goes on only when
 * it is one of the N that started first; otherwise it waits and looks again. The runs ahead
 * are Step Functions' own executions, so nothing is held that a stopped or timed-out run could
 * leak, and runs go in the order they started (a backfill's oldest first, a schedule's in turn).
 *
 * `ListExecutions` lists the most recent execution first and is eventually consistent: a run
 * started a moment ago may not be listed yet. So a run first lets the listing settle
 * ({@link GATE_SETTLE_SECONDS}) and looks only then: every run that started before it has been
 * running at least that long, and is listed unless the listing lags by more. Without it, two
 * runs started within that moment (a schedule's and a `lakestep run`'s, two upstreams' ends) would
 * both go when neither lists the other yet. A run that does not see itself (a longer lag) waits.
 * Each look is one call of the account's `ListExecutions` quota, once a minute per waiting run (less often
 * where a run may wait longer than its history can record: {@link gatePollSeconds}).
 * A start under another name (the console's) restarts under its canonical name and ends
 * (run-context.asl.json): it has usually ended when the canonical run looks.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import type { Workflow } from '../ir/types.ts';
import { HISTORY_EVENTS_MAX, LIMIT_WARN_AT, worstCaseEvents } from './limits.ts';
import { retryFor } from './policy.ts';
import type { State } from './types.ts';

/**
 * Executions listed per look (ListExecutions' largest page). With more running, the earliest are on a
 * later page: a run then waits, as every other does, until the queue is down to one page (waiting runs
 * time out after the workflow's timeout, so it does not grow without end).
 */
export const GATE_LISTED_MAX = 100;
/**
 * Seconds between two looks of a waiting run, at the least: a run that may wait longer than its history can record
 * looks once a minute looks less often ({@link gatePollSeconds}).
 */
export const GATE_POLL_SECONDS = 60;
/**
 * Seconds a run waits before its first look, for the listing to catch up with runs started just
 * before it (ListExecutions publishes no bound on its lag; it has been seconds, not minutes).
 */
export const GATE_SETTLE_SECONDS = 10;

const SETTLE = 'Let the run list settle';
const LIST = 'List running executions';
const COMPLETE = 'All running executions listed?';
const COUNT = 'Count running executions';
/** The gate's wait: entered each time the run looks and finds as many earlier runs working. */
export const GATE_WAIT_STATE = 'Wait for an earlier run';
const DONE = 'Earlier runs done';

/** The first state of the gate of `w`, or undefined when the dag has no `max_active_runs`. */
export function gateStart(w: Pick<Workflow, 'maxActiveRuns'>): string | undefined {
  return w.maxActiveRuns === undefined ? undefined : SETTLE;
}

/**
 * The gate's states, going on to `next` when this run is one of the `max_active_runs` running
 * executions that started first, and to `failure` (with the error in `$.error`) when listing fails
 * for good. `$.gate` holds the listing while the run waits, and `{}` once it goes on.
 */
export function gateStates(w: Pick<Workflow, 'maxActiveRuns'>, next: string, failure: string, pollSeconds = GATE_POLL_SECONDS): Record<string, State> {
  const n = w.maxActiveRuns;
  if (n === undefined) return {};
  const states: Record<string, State> = {
    [SETTLE]: {
      Type: 'Wait',
      Comment: `ListExecutions is eventually consistent: ${GATE_SETTLE_SECONDS} s for the runs started just before this one to be listed.`,
      Seconds: GATE_SETTLE_SECONDS,
      Next: LIST,
    },
    [LIST]: {
      Type: 'Task',
      Comment: `max_active_runs ${n}: the running executions of this dag, newest first; this run goes on when it is one of the ${n} that started first.`,
      Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
      Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', StatusFilter: 'RUNNING', MaxResults: GATE_LISTED_MAX },
      ResultPath: '$.gate',
      Retry: retryFor('sfnApi'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failure }],
      Next: COMPLETE,
    },
    [COMPLETE]: {
      Type: 'Choice',
      Comment: `More than ${GATE_LISTED_MAX} runs are running: the earliest, on a later page, are not in this one, so this run waits for the queue to shrink.`,
      Choices: [{ Variable: '$.gate.NextToken', IsPresent: true, Next: GATE_WAIT_STATE }],
      Default: COUNT,
    },
    [COUNT]: {
      Type: 'Pass',
      Parameters: { 'executions.$': '$.gate.Executions', 'count.$': 'States.ArrayLength($.gate.Executions)', 'me.$': '$$.Execution.Id' },
      ResultPath: '$.gate',
      Next: rank(0),
    },
  };
  // The k-th earliest running execution is the (count - 1 - k)-th of the newest-first list.
  for (let k = 0; k < n; k++) {
    const last = k === n - 1;
    states[rank(k)] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.gate.count', NumericGreaterThan: k, Next: earliest(k) }],
      Default: GATE_WAIT_STATE,
    };
    states[earliest(k)] = {
      Type: 'Pass',
      Parameters: { 'execution.$': `States.ArrayGetItem($.gate.executions, States.MathAdd($.gate.count, ${-(k + 1)}))` },
      ResultPath: '$.gate.earliest',
      Next: isThisRun(k),
    };
    states[isThisRun(k)] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.gate.earliest.execution.ExecutionArn', StringEqualsPath: '$.gate.me', Next: DONE }],
      Default: last ? GATE_WAIT_STATE : rank(k + 1),
    };
  }
  states[GATE_WAIT_STATE] = {
    Type: 'Wait',
    Comment: `${n} earlier run(s) of this dag are running (or this run is not listed yet): look again in ${pollSeconds} s.`,
    Seconds: pollSeconds,
    Next: LIST,
  };
  states[DONE] = { Type: 'Pass', Comment: 'This run may do its work: the listing is dropped.', Result: {}, ResultPath: '$.gate', Next: next };
  return states;
}

const ordinal = (k: number): string => `#${k + 1}`;
const rank = (k: number): string => `${ordinal(k)} earliest running?`;
const earliest = (k: number): string => `${ordinal(k)} earliest running`;
const isThisRun = (k: number): string => `Is ${ordinal(k)} earliest this run?`;

/**
 * History events one look of a waiting run adds, at the most: the listing with every retry, the ranking and the
 * wait — the longest way from the listing back to it, through the gate's states of `states` only.
 */
function lookEvents(states: Record<string, State>): number {
  const names = [LIST, COMPLETE, COUNT, GATE_WAIT_STATE, DONE];
  for (let k = 0; rank(k) in states; k++) names.push(rank(k), earliest(k), isThisRun(k));
  const gate = Object.fromEntries(names.filter((name) => name in states).map((name) => [name, states[name]!]));
  return worstCaseEvents({ StartAt: LIST, States: gate }, { loopIterations: 1 });
}

/**
 * Seconds between two looks of a waiting run of a gated workflow whose execution may last `timeoutSeconds` and has
 * `baseEvents` worst-case history events with one look: {@link GATE_POLL_SECONDS}, or longer when a run waiting
 * that long, looking once a minute, would take its history past 80% of the quota of 25,000 events (where the
 * compile warns). A run that waits more than a day behind a slow one would otherwise fail with its history full
 * instead of going on or timing out.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export function gatePollSeconds(states: Record<string, State>, timeoutSeconds: number, baseEvents: number): number {
  const looks = 1 + Math.max(0, Math.floor((Math.floor(LIMIT_WARN_AT * HISTORY_EVENTS_MAX) - baseEvents) / lookEvents(states)));
  return Math.max(GATE_POLL_SECONDS, Math.ceil(timeoutSeconds / looks));
}

/** Worst-case history events of a run of a gated `definition` that looks for its whole timeout: `baseEvents` (one look) and each further look. */
export function gateHistoryEvents(definition: { TimeoutSeconds?: number; States: Record<string, State> }, baseEvents: number): number {
  const wait = definition.States[GATE_WAIT_STATE];
  if (wait?.Type !== 'Wait' || wait.Seconds === undefined || definition.TimeoutSeconds === undefined) return baseEvents;
  return baseEvents + (Math.ceil(definition.TimeoutSeconds / wait.Seconds) - 1) * lookEvents(definition.States);
}
