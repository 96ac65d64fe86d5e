/**
 * Write-audit-publish in job documents. A job that checks any table writes every
 * table it writes through audit branches: an `audit` step before the first step that
 * writes a table (after any step that creates it), then the `check` steps of every
 * audited table, then one `publish` step — so no write of the job reaches main
 * before every `error` check passed, and a retry after a concurrent commit re-runs
 * exactly the steps between the first `audit` and `publish` (infra/spark/lakestep/steps/).
 * @see https://iceberg.apache.org/docs/latest/branching/#audit-branch
 */
import type { AuditStep, CheckStep, JobStep } from '../build/types.ts';
import { tableKey } from '../ir/access.ts';
import type { Platform, TableQuality, TableRef } from '../ir/types.ts';
import { checkQuery } from '../sql/checks.ts';
import { tableName } from '../sql/identifiers.ts';

/** A step of a job with the tables it writes (rows written to an existing table; not a CREATE … AS SELECT). */
export interface WritingStep {
  step: JobStep;
  writes: readonly TableRef[];
}

/** The `check` steps of one table (of the rows in view `relation` when given: a Kafka batch). */
export function checkSteps(platform: Platform, q: TableQuality, relation?: string): CheckStep[] {
  return q.checks.map((c) => {
    const query = checkQuery(platform.catalog, q, c, relation);
    return {
      kind: 'check',
      name: `check ${tableKey(q.table)} ${c.name}`,
      table: tableKey(q.table),
      check: c.name,
      checkKind: c.kind,
      severity: c.severity,
      sql: query.sql,
      ...(c.rowCount ? { rowCount: { ...(c.rowCount.min === undefined ? {} : { min: c.rowCount.min }), ...(c.rowCount.max === undefined ? {} : { max: c.rowCount.max }), ...(query.baseSql ? { baseSql: query.baseSql } : {}) } } : {}),
      sampleColumns: q.sampleColumns,
      maskedColumns: q.maskedColumns,
    };
  });
}

export function auditStep(platform: Platform, table: TableRef): AuditStep {
  return { kind: 'audit', name: `audit ${tableKey(table)}`, table: tableName(platform.catalog, table), key: tableKey(table), retainDays: platform.quality.branchRetentionDays };
}

/**
 * The job's steps with write-audit-publish around them when any table they write has
 * checks (`qualities`); unchanged otherwise. Steps after the last writing step stay
 * after `publish` (e.g. a watermark read from the published table).
 */
export function gatedSteps(platform: Platform, steps: readonly WritingStep[], qualities: readonly TableQuality[]): JobStep[] {
  const checked = qualities.filter((q) => q.checks.length > 0);
  if (checked.length === 0) return steps.map((s) => s.step);
  const out: JobStep[] = [];
  const audited = new Map<string, TableRef>();
  const lastWrite = steps.reduce((last, s, i) => (s.writes.length > 0 ? i : last), -1);
  for (const [i, s] of steps.entries()) {
    for (const t of s.writes) {
      if (!audited.has(tableKey(t))) {
        audited.set(tableKey(t), t);
        out.push(auditStep(platform, t));
      }
    }
    out.push(s.step);
    if (i === lastWrite) {
      for (const key of audited.keys()) {
        for (const q of checked.filter((x) => tableKey(x.table) === key)) out.push(...checkSteps(platform, q));
      }
      out.push({ kind: 'publish', name: 'publish', attempts: platform.quality.publishAttempts });
    }
  }
  return out;
}

/** Tables of `qualities` with a freshness SLA, as `database.table`, sorted, each once. */
export function freshnessTables(qualities: readonly TableQuality[]): string[] {
  return [...new Set(qualities.filter((q) => q.freshness).map((q) => tableKey(q.table)))].sort();
}
