/**
 * Where and why an execution failed, read from the newest events of its history
 * (`GetExecutionHistory` with `reverseOrder`). The state is the one whose task
 * (or evaluation) failed most recently: our machines catch the failure, record
 * the run and end in a `Fail` state, so the Fail state is only the fallback.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

export interface FailureInfo {
  state?: string;
  error?: string;
  cause?: string;
}

const EXECUTION_END = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** Event types that report a state's own failure (`TaskFailed`, `LambdaFunctionTimedOut`, `MapRunFailed`, …). */
function isStateFailure(type: string): boolean {
  return !type.startsWith('Execution') && !type.startsWith('MapIteration') && /(Failed|TimedOut)$/.test(type);
}

/** `error`/`cause` of whichever `*EventDetails` member the event carries. */
export function eventErrorDetails(e: HistoryEvent): { error?: string; cause?: string } {
  for (const [key, value] of Object.entries(e)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const d = value as { error?: unknown; cause?: unknown };
    const out: { error?: string; cause?: string } = {};
    if (typeof d.error === 'string') out.error = d.error;
    if (typeof d.cause === 'string') out.cause = d.cause;
    if (out.error !== undefined || out.cause !== undefined) return out;
  }
  return {};
}

/** Failure of an execution from its history events, newest first (any order is sorted). */
export function failureFromHistory(events: readonly HistoryEvent[]): FailureInfo {
  const newestFirst = [...events].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
  const byId = new Map(newestFirst.map((e) => [e.id, e]));
  const end = newestFirst.find((e) => EXECUTION_END.has(e.type ?? ''));
  const stateFailure = newestFirst.find((e) => isStateFailure(e.type ?? ''));

  let state: string | undefined;
  if (stateFailure) {
    // Follow previousEventId back to the StateEntered event of the same state.
    let e: HistoryEvent | undefined = stateFailure;
    for (let hops = 0; e && hops < 50 && !e.stateEnteredEventDetails; hops++) e = byId.get(e.previousEventId);
    state =
      e?.stateEnteredEventDetails?.name ??
      newestFirst.find((x) => (x.id ?? 0) < (stateFailure.id ?? 0) && x.stateEnteredEventDetails)?.stateEnteredEventDetails?.name;
  } else {
    state = newestFirst.find((x) => x.stateEnteredEventDetails)?.stateEnteredEventDetails?.name;
  }
  const fromEnd = end ? eventErrorDetails(end) : {};
  const fromState = stateFailure ? eventErrorDetails(stateFailure) : {};
  const error = fromEnd.error ?? fromState.error;
  const cause = fromEnd.cause ?? fromState.cause;
  return {
    ...(state !== undefined ? { state } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
  };
}
