/** Text renderings of pause/resume, logs, cancel and retry (`--json` prints the data itself). */
import { escapeForTerminal } from '../diagnostics.ts';
import type { CancelResult } from './cancel.ts';
import type { RetryResult } from './retry.ts';
import type { JobRunInfo } from './jobruns.ts';
import type { LogsResult } from './logs.ts';
import { pausedLabel, type PauseResult, type TriggerState, type UseCasePauseResult } from './triggers.ts';
import { formatDuration, oneLine, renderTable } from './table.ts';

export function formatPause(r: PauseResult): string {
  if (!r.rules.length) return `${r.ref} has no schedule and no upstream: it only runs when started by hand`;
  const verb = r.action === 'pause' ? 'paused' : 'resumed';
  const rows = r.rules.map((x) => [x.kind, x.name, x.state, x.changed ? 'changed' : x.error ? 'failed' : 'unchanged', x.error ?? '']);
  const specOff = r.action === 'resume' && r.rules.some((x) => x.deployed === 'DISABLED');
  return [
    renderTable(['TRIGGER', 'NAME', 'STATE', 'CHANGE', 'ERROR'], rows),
    r.ok ? `${r.ref} ${verb}: ${r.rules.filter((x) => x.changed).length} of ${r.rules.length} trigger(s) changed` : `${r.ref}: not every trigger could be ${verb}`,
    ...(specOff ? ['note: the specs set `enabled: false` for this dag; a deploy that updates its triggers disables them again'] : []),
  ].join('\n');
}

/** The `triggers:` line of `status`. */
export function formatTriggers(states: readonly TriggerState[]): string {
  const each = states.map((s) => `${s.name} ${s.state}${s.since ? ` since ${s.since}` : ''}`);
  return `triggers: ${pausedLabel(states)}${states.length ? ` (${each.join('; ')})` : ''}`;
}

function jobRunLines(run: JobRunInfo): string[] {
  const head = [run.state, run.runState ?? 'UNKNOWN', run.jobRunId, run.durationSeconds === undefined ? '' : formatDuration(run.durationSeconds)].filter(Boolean).join('  ');
  return [
    head,
    ...(run.stateDetails ? [`  details: ${oneLine(run.stateDetails, 500)}`] : []),
    ...(run.sparkUi ? [`  spark ui: ${run.sparkUi}`] : []),
    ...run.driverLogs.map((l) => `  driver log: ${l}`),
    ...(run.error ? [`  error: ${oneLine(run.error, 500)}`] : []),
  ];
}

export function formatLogs(r: LogsResult): string {
  const failure = r.failure ? [`failed in ${oneLine(r.failure.state ?? '?', 200)}: ${[r.failure.error && oneLine(r.failure.error, 200), r.failure.cause && oneLine(r.failure.cause, 300)].filter(Boolean).join(' — ')}`] : [];
  const runs = r.jobRuns.length ? r.jobRuns.flatMap(jobRunLines) : ['no EMR Serverless job runs in this execution'];
  return [`${r.ref} execution ${escapeForTerminal(r.execution)}: ${r.status}`, ...failure, '', ...runs].join('\n');
}

export function formatCancel(r: CancelResult): string {
  const execution = escapeForTerminal(r.execution);
  const stop = r.stopped ? `stopped execution ${execution}` : `execution ${execution} was not running (${r.status}): nothing to stop`;
  return [
    `${r.ref}: ${stop}`,
    ...r.cancelled.map((j) => `  cancelled job run ${j.jobRunId} (${j.state}, was ${j.runState})`),
    ...r.failed.map((j) => `  could not cancel job run ${j.jobRunId} (${j.state}): ${j.error}`),
    ...(r.cancelled.length || r.failed.length ? [] : ['  no job run of it is still active']),
  ].join('\n');
}

export function formatRetry(r: RetryResult): string {
  const execution = escapeForTerminal(r.execution);
  if (!r.redriven) return `${r.ref}: execution ${execution} (${r.status}) not redriven: ${escapeForTerminal(r.reason ?? 'unknown reason')}`;
  return [
    `${r.ref}: redrove execution ${execution} from its failed state (redrive ${r.redriveCount}${r.redriveDate ? `, at ${r.redriveDate}` : ''})`,
    `  \`lakestep status ${r.ref}\` follows it; its succeeded states are not run again`,
  ].join('\n');
}

/** `pause|resume <use-case>`: a row per trigger of each dag, the dags left alone, then the count. */
export function formatUseCasePause(r: UseCasePauseResult): string {
  const verb = r.action === 'pause' ? 'paused' : 'resumed';
  const rows = r.dags.flatMap((d) => d.rules.map((x) => [d.ref.slice(r.useCase.length + 1), x.kind, x.name, x.state, x.changed ? 'changed' : x.error ? 'failed' : 'unchanged', x.error ?? '']));
  const triggers = r.dags.reduce((n, d) => n + d.rules.length, 0);
  const changed = r.dags.reduce((n, d) => n + d.rules.filter((x) => x.changed).length, 0);
  return [
    ...(rows.length ? [renderTable(['DAG', 'TRIGGER', 'NAME', 'STATE', 'CHANGE', 'ERROR'], rows)] : []),
    ...r.left.map((l) => `left as it is: ${l.ref} (${l.why})`),
    ...r.unread.map((u) => `not ${verb}: ${u.ref}: its triggers could not be read (${oneLine(u.error, 300)})`),
    r.ok
      ? `${r.useCase} ${verb}: ${changed} of ${triggers} trigger(s) of ${r.dags.length} dag(s) changed`
      : `${r.useCase}: not every trigger could be ${verb} (${[...r.dags.filter((d) => !d.ok).map((d) => d.ref), ...r.unread.map((u) => u.ref)].join(', ')})`,
  ].join('\n');
}
