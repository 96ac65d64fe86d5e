/**
 * The quality part of `lakestep status` and the text of `lakestep checks`: per dag, the
 * last run's checks summary (passed / warned / failed, the failing checks) and each
 * table's age against its freshness SLA.
 */
import { escapeForTerminal } from '../diagnostics.ts';
import type { Manifest } from '../build/types.ts';
import { checksResult, countChecks, type ChecksCount, type ChecksResult } from './checks.ts';
import { tableFreshness, type PublishSource, type TableFreshness } from './freshness.ts';
import { pickRecord, type RunRecordSource } from './run-records.ts';
import { formatDuration, renderTable } from './table.ts';

export interface DagQuality {
  /** The newest run record's checks; absent when the dag has no record or its last run audited nothing. */
  lastChecks?: { execution: string; runStatus: string; status?: string } & ChecksCount;
  freshness: TableFreshness[];
}

export async function dagQuality(manifest: Manifest, ref: string, runs: RunRecordSource, published: PublishSource, now: Date): Promise<DagQuality> {
  const last = checksResult(ref, await pickRecord(runs, ref));
  const freshness = await tableFreshness(manifest, ref, published, now);
  if (!last.quality || last.execution === undefined) return { freshness };
  return {
    lastChecks: {
      execution: last.execution,
      runStatus: last.runStatus ?? 'UNKNOWN',
      ...(last.quality.status === undefined ? {} : { status: last.quality.status }),
      ...countChecks(last.quality),
    },
    freshness,
  };
}

function sla(f: TableFreshness): string {
  const parts = [f.warnAfterSeconds === undefined ? '' : `warn ${formatDuration(f.warnAfterSeconds)}`, f.errorAfterSeconds === undefined ? '' : `error ${formatDuration(f.errorAfterSeconds)}`];
  return parts.filter(Boolean).join(', ');
}

/** The `checks:` line and the freshness table of `status`. */
export function formatDagQuality(q: DagQuality): string {
  const c = q.lastChecks;
  const checks = c
    ? `checks (last run ${c.execution}, ${c.runStatus}): ${c.passed} passed, ${c.warned} warned, ${c.failed} failed${c.failing.length ? ` — failing: ${c.failing.join('; ')}` : ''}`
    : 'checks: none in the last run record';
  if (!q.freshness.length) return `${checks}\nfreshness: no table of this dag has an SLA`;
  const rows = q.freshness.map((f) => [f.table, f.state, f.ageSeconds === undefined ? 'never published' : formatDuration(f.ageSeconds), f.publishedAt ?? '', sla(f)]);
  return `${checks}\n${renderTable(['TABLE', 'FRESHNESS', 'AGE', 'PUBLISHED', 'SLA'], rows)}`;
}

/** `db.t (branch audit_x)` of a kept branch. */
function keptName(k: unknown): string {
  const o = k as { table?: unknown; branch?: unknown } | null;
  return typeof o?.table === 'string' && typeof o.branch === 'string' ? `${o.table} (branch ${o.branch})` : JSON.stringify(k);
}

/** `lakestep checks`: the run, then one row per check. */
export function formatChecks(r: ChecksResult): string {
  if (r.execution === undefined) return `${r.ref}: no run record yet`;
  // Read from the runs table: printed escaped, as every text an operator command reads back.
  const head = escapeForTerminal(`${r.ref} execution ${r.execution} (logical date ${r.logicalDate}): ${r.runStatus}${r.error ? ` — ${r.error}` : ''}`);
  const q = r.quality;
  if (!q) return `${head}\nno quality checks in this run`;
  const rows = q.checks.map((c) => [c.table, c.check, c.severity, c.status, c.failing === undefined ? '' : String(c.failing), c.rows === undefined ? '' : String(c.rows)]);
  const count = countChecks(q);
  const kept = Array.isArray(q.kept) && q.kept.length ? `; audit branches kept: ${q.kept.map(keptName).join(', ')}` : '';
  return [
    head,
    renderTable(['TABLE', 'CHECK', 'SEVERITY', 'STATUS', 'FAILING', 'ROWS'], rows),
    `${q.status ?? 'unknown'}: ${count.passed} passed, ${count.warned} warned, ${count.failed} failed${q.attempts === undefined ? '' : ` (${q.attempts} attempt(s))`}${kept}`,
  ].join('\n');
}
