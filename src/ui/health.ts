/**
 * The health of each table: who owns, writes and reads it (the table-access
 * model of the manifest), when a run last published rows into it, its age
 * against its freshness SLA, and its last quality check results.
 *
 * Quality checks and freshness SLAs are read where the build and the runs carry
 * them, and shown as "no checks" / "no SLA" where they do not. The shapes read
 * (README, "Quality checks" and "Freshness"):
 *
 * - the freshness alarms of `manifest.json` (`useCases[].freshness`: one per
 *   table and level, `{table, level: warn|error, afterSeconds}`);
 * - {@link ReportedCheck}s in a run's output, under `summary.quality.checks`
 *   (`[{"table": "db.t", "check": "not_null(order_id)", "kind": "not_null",
 *   "severity": "error", "status": "failed", "failing": 3}]`), which the
 *   state machine keeps from the job's result;
 * - a run that failed with `Lakestep.QualityCheckFailed` counts as "quality check failed".
 */
import type { Manifest, TableAccessKind } from '../build/types.ts';
import { parseDuration } from '../spec/duration.ts';
import type { UiCheck, UiRun, UiTable } from './types.ts';

/** Freshness SLA of a table: ages in seconds (or durations as in specs), measured from its last publish. */
export interface TableSla {
  warnAfter?: string | number;
  errorAfter?: string | number;
}

/** One check result in a run's output (`summary.quality.checks`). */
export interface ReportedCheck {
  table: string;
  check: string;
  severity: 'error' | 'warn';
  status: 'passed' | 'failed';
  failing?: number;
}

/** Kinds of access that publish rows a reader sees (lineage's definition of a write). */
const PUBLISHES: ReadonlySet<TableAccessKind> = new Set(['create', 'write', 'update']);

/** The well-formed {@link ReportedCheck}s of a run output, as {@link UiCheck}s; undefined when it reports none. */
export function checksOfOutput(output: unknown): UiCheck[] | undefined {
  const list = record(record(record(output)?.summary)?.quality)?.checks;
  if (!Array.isArray(list)) return undefined;
  const checks: UiCheck[] = [];
  for (const c of list.map(record)) {
    if (!c || typeof c.table !== 'string' || typeof c.check !== 'string' || (c.status !== 'passed' && c.status !== 'failed')) continue;
    checks.push({
      table: c.table.toLowerCase(),
      check: c.check,
      severity: c.severity === 'warn' ? 'warn' : 'error',
      passed: c.status === 'passed',
      ...(typeof c.failing === 'number' ? { failingRows: c.failing } : {}),
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
  const slas = new Map<string, TableSla>();
  for (const uc of manifest.useCases) {
    for (const a of uc.freshness ?? []) {
      const sla = slas.get(a.table) ?? {};
      slas.set(a.table, { ...sla, [a.level === 'warn' ? 'warnAfter' : 'errorAfter']: a.afterSeconds });
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
      const freshness = freshnessOf(slas.get(name), published?.at, now);
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

/** Age of the last publish against a {@link TableSla}; undefined without an SLA. */
export function freshnessOf(sla: unknown, publishedAt: string | undefined, now: string): UiTable['freshness'] {
  const s = record(sla);
  const seconds = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined);
  const warn = seconds(s?.warnAfter);
  const error = seconds(s?.errorAfter);
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
