/**
 * Text renderings of the operator commands' results. The commands return data;
 * these turn it into what the CLI prints (`--json` prints the data itself).
 */
import type { BackfillResult } from './backfill.ts';
import type { Downstream } from './downstream.ts';
import type { RunResult } from './run.ts';
import type { RunItem } from './start.ts';
import type { StatusResult } from './status.ts';
import { formatDuration, oneLine, renderTable } from './table.ts';

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
    e.failure ? [e.failure.state, e.failure.error].filter(Boolean).join(' / ') : '',
  ]);
  const table = renderTable(['EXECUTION', 'STATUS', ...(redriven ? ['REDRIVES'] : []), 'START', 'STOP', 'DURATION', 'FAILED STATE / ERROR'], rows);
  const causes = result.executions
    .filter((e) => e.failure?.cause)
    .map((e) => `  ${e.name}: ${oneLine(e.failure?.cause ?? '', CAUSE_MAX)}`);
  return [`${result.ref} (${result.stateMachineArn})`, table, ...(causes.length ? ['', 'Causes:', ...causes] : [])].join('\n');
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
          : `${i.because ?? 'exists'}: ${i.name}`;
  const final = i.final ? ` → ${i.final}` : '';
  return `  ${i.logicalDate}  [${i.dataInterval[0]}, ${i.dataInterval[1]})  ${what}${final}`;
}

export function formatBackfill(result: BackfillResult, downstream: readonly Downstream[] = []): string {
  const s = result.summary;
  const head = `${result.ref} ${result.from}..${result.to}: ${s.runs} run(s), reprocess ${result.reprocess}, at most ${result.maxConcurrency} at a time`;
  const lines = result.items.map((i) => runLine(i));
  const summary = result.dryRun
    ? `dry run: ${result.items.filter((i) => i.outcome === 'planned').length} would start, ${s.skipped} skipped; nothing was started`
    : `${s.started} started (${s.succeeded} succeeded, ${s.failed} failed), ${s.skipped} skipped, ${s.failedToStart} failed to start` + (s.notAttempted ? `, ${s.notAttempted} not attempted` : '');
  const down = downstream.length
    ? ['each run started also starts, for its date:', ...downstream.map((d) => `  ${d.ref} (after ${d.after}${d.alsoWaitsFor.length ? `; also waits for ${d.alsoWaitsFor.join(', ')}` : ''})`)]
    : [];
  return [head, ...lines, summary, ...down].join('\n');
}
