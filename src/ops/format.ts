/**
 * Text renderings of the operator commands' results. The commands return data;
 * these turn it into what the CLI prints (`--json` prints the data itself).
 */
import { escapeForTerminal } from '../diagnostics.ts';
import type { BackfillResult } from './backfill.ts';
import { RUN_STATES, type BackfillStatusResult } from './backfill-status.ts';
import type { Downstream } from './downstream.ts';
import type { RunResult } from './run.ts';
import type { TableFreshness } from './freshness.ts';
import type { DagQuality } from './quality-status.ts';
import { FAILED_STATUSES, type RunItem } from './start.ts';
import type { GateState, StatusResult } from './status.ts';
import { fewNames, formatDuration, oneLine, renderTable } from './table.ts';
import { pausedLabel, type TriggerState } from './triggers.ts';
import type { DagOverview, UseCaseStatusResult } from './use-case-status.ts';

const CAUSE_MAX = 300;

/** Executions table, then the cause of each failure below it. */
export function formatStatus(result: StatusResult): string {
  if (result.executions.length === 0) return `${result.ref}: no executions yet (${result.stateMachineArn})`;
  // A REDRIVES column only once an execution was redriven (`lakestep retry`).
  const redriven = result.executions.some((e) => e.redriveCount);
  const redrives = (e: StatusResult['executions'][number]): string[] =>
    redriven ? [e.redriveCount ? `${e.redriveCount}${e.redriveDate ? ` (last ${e.redriveDate})` : ''}` : ''] : [];
  const rows = result.executions.map((e) => [
    e.name,
    e.status,
    ...redrives(e),
    e.start ?? '',
    e.stop ?? '',
    e.durationSeconds === undefined ? '' : formatDuration(e.durationSeconds),
    e.failure ? oneLine([e.failure.state, e.failure.error].filter(Boolean).join(' / '), CAUSE_MAX) : '',
  ]);
  const table = renderTable(['EXECUTION', 'STATUS', ...(redriven ? ['REDRIVES'] : []), 'START', 'STOP', 'DURATION', 'FAILED STATE / ERROR'], rows);
  const causes = result.executions
    .filter((e) => e.failure?.cause)
    .map((e) => `  ${e.name}: ${oneLine(e.failure?.cause ?? '', CAUSE_MAX)}`);
  return [`${result.ref} (${result.stateMachineArn})`, table, ...(causes.length ? ['', 'Causes:', ...causes] : [])].join('\n');
}

/** The next scheduled run of a dag, as `status` shows it under the executions. */
export interface NextRun {
  logicalDate: string;
  dataInterval: [string, string];
  due: string;
  name: string;
  /** The upstream whose run starts it, for a dag that also waits on one. */
  after?: string;
}

export function formatNextRun(next: NextRun): string {
  return `next run: ${next.name} over [${next.dataInterval[0]}, ${next.dataInterval[1]}), due ${next.due}${next.after ? ` (after ${next.after}'s run)` : ''}`;
}

/** The `max_active_runs` gate of a dag: how many executions run, and which wait for an earlier one. */
export function formatGate(gate: GateState): string {
  if (!gate.complete) {
    return `max_active_runs ${gate.maxActiveRuns}: more than ${gate.running} running, past one listing: no run in the gate goes until at most ${gate.running} run (waiting runs time out)`;
  }
  const waiting = gate.waiting.length ? `, ${gate.waiting.length} waiting for an earlier run to end (${gate.waiting.join(', ')})` : '';
  return `max_active_runs ${gate.maxActiveRuns}: ${gate.running} running${waiting}`;
}

/** Stable JSON of any command result (the `--json` form). */
export function formatJson(result: unknown): string {
  return JSON.stringify(result, null, 2);
}

/** One line per run: what happened, its execution and data interval; then what to do next. */
export function formatRun(result: RunResult): string {
  const lines = result.items.map((i) => runLine(i));
  const hints: string[] = [];
  if (result.items.some((i) => i.failed)) hints.push('a run whose latest attempt failed was not started again: --rerun starts its next attempt');
  else if (result.items.some((i) => i.outcome === 'skipped' && !i.because?.startsWith('running'))) hints.push('--rerun starts the next attempt of a run that already ran');
  if (result.historyUnread) hints.push(`note: ${result.historyUnread}`);
  return [`${result.ref} (${result.stateMachineArn})`, ...lines, ...hints.map((h) => `  ${h}`)].join('\n');
}

function runLine(i: RunItem & { final?: string; error?: string }): string {
  const what =
    i.error !== undefined
      ? `not started: ${oneLine(i.error, 300)}`
      : i.outcome === 'started'
        ? `started ${i.name}${i.attempt > 1 ? ` (attempt ${i.attempt}${i.because ? `; ${i.because}` : ''})` : ''}`
        : i.outcome === 'planned'
          ? `would ${i.attempt > 1 ? `rerun as ${i.name} (attempt ${i.attempt}; ${i.because ?? ''})` : `run as ${i.name}`}`
          : i.outcome === 'handed'
            ? `handed to the backfill machine as ${i.name}${i.attempt > 1 ? ` (attempt ${i.attempt}${i.because ? `; ${i.because}` : ''})` : ''}`
            : `${i.because ?? 'exists'}: ${i.name}`;
  const final = i.final ? ` → ${i.final}` : '';
  return `  ${i.logicalDate}  [${i.dataInterval[0]}, ${i.dataInterval[1]})  ${what}${final}`;
}

export function formatBackfill(result: BackfillResult, downstream: readonly Downstream[] = []): string {
  const s = result.summary;
  const head = `${result.ref} ${result.from}..${result.to}: ${s.runs} run(s), reprocess ${result.reprocess}, at most ${result.maxConcurrency} at a time${result.limitedByMaxActiveRuns ? " (the dag's max_active_runs)" : ''}`;
  const lines = result.items.map((i) => runLine(i));
  const notDue = s.notDue ? `, ${s.notDue} not due yet` : '';
  const summary = result.dryRun
    ? `dry run: ${result.items.filter((i) => i.outcome === 'planned').length} would start, ${s.skipped} skipped${notDue}; nothing was started`
    : `${s.started} started (${s.succeeded} succeeded, ${s.failed} failed), ${s.skipped} skipped${notDue}, ${s.failedToStart} failed to start` + (s.notAttempted ? `, ${s.notAttempted} not attempted` : '');
  const down = downstream.length
    ? ['each run started also starts, for its date:', ...downstream.map((d) => `  ${d.ref} (after ${d.after}${d.alsoWaitsFor.length ? `; also waits for ${d.alsoWaitsFor.join(', ')}` : ''})`)]
    : [];
  const stopped = result.stopped
    ? [
        `stopped early: ${oneLine(result.stopped, 300)}` +
          (result.unfollowed?.length ? `; ${result.unfollowed.length} run(s) it started go on unfollowed (\`lakestep status ${result.ref}\`): ${result.unfollowed.map((n) => escapeForTerminal(n)).join(', ')}` : ''),
      ]
    : [];
  return [head, ...lines, summary, ...stopped, ...(result.historyUnread ? [`note: ${result.historyUnread}`] : []), ...down].join('\n');
}

/** `lakestep backfill --status`: each detached backfill, what became of its runs, and the failed ones with their errors. */
export function formatBackfillStatus(result: BackfillStatusResult): string {
  const head = `${result.ref}: ${result.backfills.length ? `the ${result.backfills.length} newest detached backfill(s)` : 'no detached backfill'} on ${result.backfillMachineArn}`;
  const lines = result.backfills.flatMap((b) => {
    const when = b.status === 'RUNNING' ? `since ${b.start ?? '?'}` : `${b.start ?? '?'} to ${b.stop ?? '?'}`;
    const counts = RUN_STATES.filter((s) => b.counts[s] > 0).map((s) => `${b.counts[s]} ${s}`);
    const failed = b.runs.filter((r) => r.state === 'failed');
    return [
      `  ${escapeForTerminal(b.executionName)}  ${b.status} ${when}`,
      `    ${b.days ? `${b.days[0]}..${b.days[1]}, ` : ''}${b.runs.length} run(s)${b.maxConcurrency ? `, at most ${b.maxConcurrency} at a time` : ''}: ${counts.join(', ') || 'none'}`,
      ...failed.slice(0, 10).map((r) => `    ${r.status}: ${escapeForTerminal(r.name)}${r.error ? ` (${oneLine(r.error, 200)})` : ''}`),
      ...(failed.length > 10 ? [`    … and ${failed.length - 10} more failed`] : []),
    ];
  });
  return [head, ...lines].join('\n');
}

/** `2 passed, 1 failed` of the last run's checks; empty when it had none. */
function checksCell(q: DagQuality | string): string {
  if (typeof q === 'string') return 'unknown';
  const c = q.lastChecks;
  if (!c) return '';
  const parts = [c.passed ? `${c.passed} passed` : '', c.warned ? `${c.warned} warned` : '', c.failed ? `${c.failed} failed` : ''].filter(Boolean);
  return parts.join(', ') || 'none';
}

const FRESHNESS_RANK: Readonly<Record<TableFreshness['state'], number>> = { ok: 0, warn: 1, never: 2, error: 3 };

/** The worst freshness of the dag's tables and which tables are in it: `error: raw.orders`, `ok (3 tables)`. */
function freshnessCell(q: DagQuality | string): string {
  if (typeof q === 'string') return 'unknown';
  if (!q.freshness.length) return '';
  const worst = q.freshness.reduce((w, f) => (FRESHNESS_RANK[f.state] > FRESHNESS_RANK[w] ? f.state : w), 'ok' as TableFreshness['state']);
  if (worst === 'ok') return `ok (${q.freshness.length} table${q.freshness.length === 1 ? '' : 's'})`;
  return `${worst === 'never' ? 'never published' : worst}: ${fewNames(q.freshness.filter((f) => f.state === worst).map((f) => f.table), 3)}`;
}

/** A dag with upstreams and no schedule on: what its newest join waits for (`status <use-case>/<dag>` has the joins). */
function joinCell(j: DagOverview['join']): string {
  if (j === undefined || typeof j === 'string') return '';
  if (j === null) return 'after upstreams';
  const date = j.logicalDate.replace(/T00:00:00Z$/, '');
  if (j.started) return `after upstreams (${date} started)`;
  if (j.expired) return `after upstreams (${date} window closed)`;
  return j.waitingFor.length ? oneLine(`${date} waits for ${j.waitingFor.join(', ')}`, 60) : `after upstreams (${date} complete)`;
}

/** `active`, `paused`, … of a dag's triggers; `by hand only` without schedule or upstream. */
function triggersCell(t: TriggerState[] | string): string {
  if (typeof t === 'string') return 'unknown';
  return t.length ? pausedLabel(t) : 'by hand only';
}

/**
 * `status <use-case>`: a line per dag — its triggers, newest execution, that run's checks and
 * the worst freshness of its tables — then the failures' causes and what could not be read.
 */
export function formatUseCaseStatus(r: UseCaseStatusResult): string {
  const rows = r.dags.map((d) => {
    const e = d.latest;
    const run = d.stateMachineArn === undefined ? ['not deployed', '', '', ''] : e ? [e.name, e.status, e.start ?? '', e.durationSeconds === undefined ? '' : formatDuration(e.durationSeconds)] : ['no executions yet', '', '', ''];
    return [d.ref.slice(r.useCase.length + 1), triggersCell(d.triggers), d.next ?? joinCell(d.join), ...run, checksCell(d.quality), freshnessCell(d.quality)];
  });
  const count = (test: (d: DagOverview) => boolean, what: string): string => {
    const n = r.dags.filter(test).length;
    return n ? `${n} ${what}` : '';
  };
  const summary = [
    count((d) => d.latest !== undefined && FAILED_STATUSES.has(d.latest.status), 'failed'),
    count((d) => d.latest?.status === 'RUNNING', 'running'),
    count((d) => typeof d.triggers !== 'string' && pausedLabel(d.triggers) === 'paused', 'paused'),
    count((d) => typeof d.quality !== 'string' && (d.quality.lastChecks?.failed ?? 0) > 0, 'with failed checks'),
    count((d) => typeof d.quality !== 'string' && d.quality.freshness.some((f) => f.state === 'error' || f.state === 'never'), 'with stale tables'),
    count((d) => typeof d.join === 'object' && d.join !== null && !d.join.started && d.join.waitingFor.length > 0 && !d.join.expired, 'waiting for upstreams'),
    count((d) => d.stateMachineArn === undefined, 'not deployed'),
  ].filter(Boolean);
  const failures = r.dags
    .filter((d) => d.latest?.failure)
    .map((d) => {
      const f = d.latest!.failure!;
      const where = [f.state, f.error].filter(Boolean).join(' / ');
      return `  ${d.ref} ${d.latest!.name}: ${oneLine(`${where}${where && f.cause ? ': ' : ''}${f.cause ?? ''}`, CAUSE_MAX)}`;
    });
  // A read that failed for one dag fails the same way for the others: each message once.
  const unread = [...new Set(r.dags.flatMap((d) => [d.triggers, d.quality, d.join].filter((x): x is string => typeof x === 'string')))];
  const head = r.quarantined
    ? `${r.useCase} is quarantined: its specs have ${r.quarantined.errors} error(s)${r.quarantined.first ? ` (first: ${oneLine(r.quarantined.first, CAUSE_MAX)})` : ''}; what runs is its last good deployment, ${r.dags.length} state machine(s) in ${r.region}`
    : `${r.useCase}${r.owner ? ` (owner ${r.owner})` : ''}: ${r.dags.length} dag(s) in ${r.region}`;
  return [
    `${head}${summary.length ? ` — ${summary.join(', ')}` : ''}`,
    renderTable(['DAG', 'TRIGGERS', 'NEXT FIRE', 'LAST EXECUTION', 'STATUS', 'START', 'DURATION', 'CHECKS', 'FRESHNESS'], rows),
    ...(failures.length ? ['', 'Failures (newest execution):', ...failures] : []),
    ...unread.map((u) => `note: ${oneLine(u, CAUSE_MAX)}`),
    `details of a dag: lakestep status ${r.useCase}/<dag>`,
  ].join('\n');
}
