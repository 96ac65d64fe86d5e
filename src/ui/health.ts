/**
 * The health of each table: who owns, writes and reads it (the table-access
 * model of the manifest), when a run last published rows into it, its age
 * against its freshness SLA, and its last quality check results.
 *
 * Quality checks and freshness SLAs are read where the build and the runs carry
 * them, and shown as "no checks" / "no SLA" where they do not. The shapes read:
 *
 * - {@link ManifestFreshness} on a table of `manifest.json`'s `tables`
 *   (`"freshness": {"warnAfter": "2h", "errorAfter": "6h"}`, durations as in specs);
 * - {@link ReportedCheck}s in a run's output, under `summary.checks`
 *   (`[{"table": "db.t", "check": "not_null(order_id)", "severity": "error",
 *   "passed": false, "failing_rows": 3, "message": "…"}]`);
 * - a run that failed with `Lakestep.QualityCheckFailed` counts as "quality check failed".
 */
import type { Manifest, TableAccessKind } from '../build/types.ts';
import { parseDuration } from '../spec/duration.ts';
import type { UiCheck, UiRun, UiTable } from './types.ts';

/** Freshness SLA of a table in the manifest: measured from its last publish. */
export interface ManifestFreshness {
  warnAfter?: string;
  errorAfter?: string;
}

/** One check result in a run's output (`summary.checks`). */
export interface ReportedCheck {
  table: string;
  check: string;
  severity: 'error' | 'warn';
  passed: boolean;
  failing_rows?: number;
  message?: string;
}

/** Kinds of access that publish rows a reader sees (lineage's definition of a write). */
const PUBLISHES: ReadonlySet<TableAccessKind> = new Set(['create', 'write', 'update']);

/** The well-formed {@link ReportedCheck}s of a run output, as {@link UiCheck}s; undefined when it reports none. */
export function checksOfOutput(output: unknown): UiCheck[] | undefined {
  const list = record(record(output)?.summary)?.checks;
  if (!Array.isArray(list)) return undefined;
  const checks: UiCheck[] = [];
  for (const c of list.map(record)) {
    if (!c || typeof c.table !== 'string' || typeof c.check !== 'string' || typeof c.passed !== 'boolean') continue;
    checks.push({
      table: c.table.toLowerCase(),
      check: c.check,
      severity: c.severity === 'warn' ? 'warn' : 'error',
      passed: c.passed,
      ...(typeof c.failing_rows === 'number' ? { failingRows: c.failing_rows } : {}),
      ...(typeof c.message === 'string' ? { message: c.message } : {}),
    });
  }
  return checks.length ? checks : undefined;
}

/** Every table of the manifest with its last publish, freshness and checks as of `now`. */
export function tableHealth(manifest: Manifest, runs: readonly UiRun[], now: string): UiTable[] {
  const publishers = new Map<string, Set<string>>();
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      for (const [table, kinds] of Object.entries(w.access)) {
        if (!kinds.some((k) => PUBLISHES.has(k))) continue;
        const set = publishers.get(table) ?? new Set<string>();
        set.add(`${uc.name}/${w.name}`);
        publishers.set(table, set);
      }
    }
  }
  const newestFirst = [...runs].sort((a, b) => ended(b).localeCompare(ended(a)));
  const lastPublish = new Map<string, UiTable['lastPublish']>();
  const lastChecks = new Map<string, UiTable['checks']>();
  for (const run of newestFirst) {
    for (const c of run.checks ?? []) {
      if (!lastChecks.has(c.table)) lastChecks.set(c.table, { run: run.name, dag: run.dag, at: ended(run), results: run.checks!.filter((x) => x.table === c.table) });
    }
  }
  for (const [table, dags] of publishers) {
    const run = newestFirst.find((r) => r.state === 'succeeded' && r.stop !== undefined && dags.has(r.dag));
    if (run) lastPublish.set(table, { at: run.stop!, dag: run.dag, run: run.name });
  }
  return Object.entries(manifest.tables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, t]) => {
      const published = lastPublish.get(name);
      const checks = lastChecks.get(name);
      const freshness = freshnessOf((t as { freshness?: unknown }).freshness, published?.at, now);
      return {
        name,
        ...(t.owner === undefined ? {} : { owner: t.owner }),
        location: t.location,
        writers: t.writers,
        readers: t.readers,
        ...(published ? { lastPublish: published } : {}),
        ...(freshness ? { freshness } : {}),
        ...(checks ? { checks } : {}),
      };
    });
}

/** Age of the last publish against a {@link ManifestFreshness}; undefined without an SLA. */
export function freshnessOf(sla: unknown, publishedAt: string | undefined, now: string): UiTable['freshness'] {
  const s = record(sla);
  const warn = typeof s?.warnAfter === 'string' ? parseDuration(s.warnAfter) : undefined;
  const error = typeof s?.errorAfter === 'string' ? parseDuration(s.errorAfter) : undefined;
  if (warn === undefined && error === undefined) return undefined;
  const limits = { ...(warn === undefined ? {} : { warnAfterSeconds: warn }), ...(error === undefined ? {} : { errorAfterSeconds: error }) };
  if (publishedAt === undefined) return { ...limits, state: 'unknown' };
  const age = Math.max(0, Math.round((Date.parse(now) - Date.parse(publishedAt)) / 1000));
  const state = error !== undefined && age > error ? 'error' : warn !== undefined && age > warn ? 'warn' : 'fresh';
  return { ...limits, ageSeconds: age, state };
}

function ended(r: UiRun): string {
  return r.stop ?? r.start;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
