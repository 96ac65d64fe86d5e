/**
 * The states an execution went through, read from its history: one entry per
 * `*StateEntered` event, closed by the matching `*StateExited`, failed by a
 * state-level failure event in between, with a retry counted per extra
 * scheduled task; a state still open when the execution fails, times out or is
 * aborted (a Fail state has no exit event) ends failed.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { eventErrorDetails } from '../ops/history.ts';
import { isoSeconds } from '../ops/index.ts';
import { STATES_MAX } from './runs.ts';
import type { UiState } from './types.ts';

export function statesFromHistory(events: readonly HistoryEvent[]): UiState[] {
  const out: UiState[] = [];
  const open: UiState[] = [];
  const scheduled = new Map<UiState, number>();
  for (const e of [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const type = e.type ?? '';
    if (type.endsWith('StateEntered') && e.stateEnteredEventDetails?.name) {
      const s: UiState = { name: e.stateEnteredEventDetails.name, at: e.timestamp ? isoSeconds(e.timestamp) : '', outcome: 'running' };
      open.push(s);
      if (out.length < STATES_MAX) out.push(s);
      continue;
    }
    if (type.endsWith('StateExited') && e.stateExitedEventDetails?.name) {
      const name = e.stateExitedEventDetails.name;
      const s = [...open].reverse().find((x) => x.name === name);
      if (s) {
        if (s.outcome === 'running') s.outcome = 'succeeded';
        else if (s.outcome === 'failed') s.outcome = 'caught';
        open.splice(open.lastIndexOf(s), 1);
      }
      continue;
    }
    if (/^Execution(Failed|TimedOut|Aborted)$/.test(type)) {
      // A Fail state has no exit event, and a timeout or abort stops whatever was running.
      for (const s of open) if (s.outcome === 'running') s.outcome = 'failed';
      continue;
    }
    const current = open[open.length - 1];
    if (!current) continue;
    if (type === 'TaskScheduled') {
      const n = (scheduled.get(current) ?? 0) + 1;
      scheduled.set(current, n);
      if (n > 1) {
        current.retries = n - 1;
        current.outcome = 'running';
      }
    } else if (!type.startsWith('Execution') && /(Failed|TimedOut)$/.test(type)) {
      current.outcome = 'failed';
      const { error } = eventErrorDetails(e);
      if (error) current.error = error;
    }
  }
  return out;
}
