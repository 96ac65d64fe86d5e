/**
 * Text renderings of the operator commands' results. The commands return data;
 * these turn it into what the CLI prints (`--json` prints the data itself).
 */
import type { BackfillResult } from './backfill.ts';
import type { RunResult } from './run.ts';
import type { StatusResult } from './status.ts';
import { formatDuration, oneLine, renderTable } from './table.ts';

const CAUSE_MAX = 300;

/** Executions table, then the cause of each failure below it. */
export function formatStatus(result: StatusResult): string {
  if (result.executions.length === 0) return `${result.ref}: no executions yet (${result.stateMachineArn})`;
  const rows = result.executions.map((e) => [
    e.name,
    e.status,
    e.start ?? '',
    e.stop ?? '',
    e.durationSeconds === undefined ? '' : formatDuration(e.durationSeconds),
    e.failure ? [e.failure.state, e.failure.error].filter(Boolean).join(' / ') : '',
  ]);
  const table = renderTable(['EXECUTION', 'STATUS', 'START', 'STOP', 'DURATION', 'FAILED STATE / ERROR'], rows);
  const causes = result.executions
    .filter((e) => e.failure?.cause)
    .map((e) => `  ${e.name}: ${oneLine(e.failure?.cause ?? '', CAUSE_MAX)}`);
  return [`${result.ref} (${result.stateMachineArn})`, table, ...(causes.length ? ['', 'Causes:', ...causes] : [])].join('\n');
}

/** Stable JSON of any command result (the `--json` form). */
export function formatJson(result: unknown): string {
  return JSON.stringify(result, null, 2);
}

export function formatRun(result: RunResult): string {
  if (result.outcome === 'started') {
    return `started ${result.ref} for ${result.logicalDate}: execution ${result.name}\n  ${result.executionArn}`;
  }
  const when = [result.startDate && `started ${result.startDate}`, result.stopDate && `stopped ${result.stopDate}`]
    .filter(Boolean)
    .join(', ');
  return [
    `${result.ref} already has execution ${result.name} for ${result.logicalDate}: ${result.status}${when ? ` (${when})` : ''}`,
    `  ${result.executionArn}`,
    ...(result.hint ? [`  ${result.hint}`] : []),
  ].join('\n');
}

export function formatBackfill(result: BackfillResult): string {
  const rows = result.items.map((i) => [i.ds, i.name, i.outcome, i.error ? oneLine(i.error, 120) : '']);
  const table = renderTable(['DATE', 'EXECUTION', 'OUTCOME', 'ERROR'], rows);
  const s = result.summary;
  const summary = result.dryRun
    ? `dry run: ${s.planned} execution(s) would be started for ${result.ref} from ${result.from} to ${result.to}`
    : `${result.ref} ${result.from}..${result.to}: ${s.started} started, ${s.existing} already started, ${s.failed} failed to start` +
      (s.skipped ? `, ${s.skipped} not attempted` : '');
  return `${table}\n${summary}`;
}
