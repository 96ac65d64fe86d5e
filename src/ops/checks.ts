/**
 * `lakestep checks <use-case>/<dag>`: the quality check results of one run (the newest by
 * default), as its run record keeps them (`summary.quality`: README "Quality checks"). The
 * failing rows' sample keys stay in the run's `.checks.json` file and its notification.
 */
import type { RunRecord } from './run-records.ts';

export interface CheckRow {
  table: string;
  check: string;
  kind?: string;
  severity: 'error' | 'warn';
  status: string;
  failing?: number;
  rows?: number;
}

export interface QualitySummary {
  /** `passed`, `warned`, `failed` or `conflict`. */
  status?: string;
  attempts?: number;
  published?: unknown;
  kept?: unknown;
  checks: CheckRow[];
}

export interface ChecksResult {
  ref: string;
  execution?: string;
  runStatus?: string;
  logicalDate?: string;
  finishedAt?: string;
  error?: string;
  /** Absent when the run has no record, or audited nothing. */
  quality?: QualitySummary;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The well-formed part of a record's `summary.quality`; undefined when it has none. */
export function qualityOf(record: RunRecord): QualitySummary | undefined {
  const q = obj(record.summary.quality);
  if (!q) return undefined;
  const checks: CheckRow[] = [];
  for (const c of Array.isArray(q.checks) ? q.checks.map(obj) : []) {
    const table = str(c?.table);
    const check = str(c?.check);
    if (!c || table === undefined || check === undefined) continue;
    const failing = num(c.failing);
    const rows = num(c.rows);
    const kind = str(c.kind);
    checks.push({
      table,
      check,
      ...(kind === undefined ? {} : { kind }),
      severity: c.severity === 'warn' ? 'warn' : 'error',
      status: str(c.status) ?? 'unknown',
      ...(failing === undefined ? {} : { failing }),
      ...(rows === undefined ? {} : { rows }),
    });
  }
  const status = str(q.status);
  const attempts = num(q.attempts);
  return {
    ...(status === undefined ? {} : { status }),
    ...(attempts === undefined ? {} : { attempts }),
    ...(q.published === undefined ? {} : { published: q.published }),
    ...(q.kept === undefined ? {} : { kept: q.kept }),
    checks,
  };
}

/** What `checks` reports for `record` (none: the dag has no run record yet). */
export function checksResult(ref: string, record: RunRecord | undefined): ChecksResult {
  if (!record) return { ref };
  const quality = qualityOf(record);
  return {
    ref,
    execution: record.execution,
    runStatus: record.status,
    logicalDate: record.logicalDate,
    ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(quality ? { quality } : {}),
  };
}

/** Counts for `status`: passed, warned (failed `warn` checks) and failed (`error` checks), with the failing names. */
export interface ChecksCount {
  passed: number;
  warned: number;
  failed: number;
  /** `db.table: check` of every check that did not pass. */
  failing: string[];
}

export function countChecks(q: QualitySummary): ChecksCount {
  const out: ChecksCount = { passed: 0, warned: 0, failed: 0, failing: [] };
  for (const c of q.checks) {
    if (c.status === 'passed') out.passed++;
    else {
      if (c.severity === 'warn') out.warned++;
      else out.failed++;
      out.failing.push(`${c.table}: ${c.check}`);
    }
  }
  return out;
}
