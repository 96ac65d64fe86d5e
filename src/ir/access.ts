/**
 * The table-access model: every table a workflow reads and writes, and how —
 * derived from its phase (migration DDL and conversion, JDBC and Kafka targets,
 * merges, maintenance tasks), from each statement of its SQL files, and from
 * the `reads:`/`writes:` a custom Spark job declares. Each entry keeps the spec
 * or SQL position it came from.
 *
 * Ownership, the Spark role's grants, Lake Formation permissions, lineage and
 * the migration guard all derive from this one list (README, "Table access").
 */
import type { Origin } from '../diagnostics.ts';
import { deadLetterTable } from './ingestion.ts';
import { workflowQuality } from './quality.ts';
import type { TableAccess, TableAccessKind, TableRef, Workflow } from './types.ts';

/** Order of kinds in a {@link TableAccess}: from reading to dropping. */
export const ACCESS_KINDS: readonly TableAccessKind[] = ['read', 'create', 'write', 'update', 'maintain', 'alter', 'drop'];

/** `database.table` in lower case: Glue stores (and Spark resolves) names case-insensitively. */
export function tableKey(t: TableRef): string {
  return `${t.database}.${t.table}`.toLowerCase();
}

function entry(table: TableRef, kinds: TableAccessKind[], by: string, origin: Origin): TableAccess {
  return { table: tableKey(table), kinds: ACCESS_KINDS.filter((k) => kinds.includes(k)), by, origin };
}

/** Every table access of a workflow, in spec order (a table may appear more than once, from different entries). */
export function workflowAccess(w: Workflow): TableAccess[] {
  return [...bodyAccess(w), ...checkReads(w)];
}

/** Tables the `sql:` quality checks read (besides the checked table, which the entry writes). */
function checkReads(w: Workflow): TableAccess[] {
  return workflowQuality(w).flatMap((q) =>
    q.checks.flatMap((c) => (c.sql ? c.sql.reads.map((t) => entry(t, ['read'], `check '${c.name}' of ${tableKey(q.table)} (${c.sql!.file})`, c.origin)) : [])),
  );
}

function bodyAccess(w: Workflow): TableAccess[] {
  const b = w.body;
  switch (b.kind) {
    case 'migration':
      return b.migration.tables.map((t) => entry(t.target, ['create', 'write'], `migration of '${t.name}'`, t.origin));
    case 'ingestion':
      return [
        ...b.ingestion.batch.map((s) =>
          entry(s.target, [...(s.columns.length ? (['create'] as const) : []), 'write', ...(s.mode === 'append' ? [] : (['update'] as const))], `JDBC source '${s.name}'`, s.origin),
        ),
        ...b.ingestion.kafka.flatMap((k) => [
          entry(k.target, ['create', 'write'], `Kafka source '${k.name}'`, k.origin),
          ...(k.format === 'json' ? [entry(deadLetterTable(k.target), ['create', 'write'], `Kafka source '${k.name}' (dead letters)`, k.origin)] : []),
        ]),
      ];
    case 'processing':
      return [
        ...b.processing.merges.flatMap((m) => [entry(m.target, ['write', 'update'], `merge '${m.name}'`, m.origin), entry(m.source, ['read'], `merge '${m.name}'`, m.origin)]),
        ...b.processing.sql.flatMap((f) => [
          ...f.statements.flatMap((s) => s.uses.map((u) => entry(u.table, u.kinds, `${f.file} statement ${s.index}`, u.origin))),
          ...f.declared.map((u) => entry(u.table, u.kinds, `${f.file} (declared)`, u.origin)),
        ]),
      ];
    case 'maintenance':
      return [
        ...b.maintenance.tasks.map((t) => entry(t.table, ['maintain'], `maintenance task ${t.kind}`, t.origin)),
        ...b.maintenance.managed.map((m) => entry(m.table, ['maintain'], 'managed: true (Glue table optimizers)', m.origin)),
      ];
    case 'spark':
      return [
        ...b.spark.reads.tables.map((t) => entry(t.table, ['read'], 'custom Spark job (reads)', t.origin)),
        ...b.spark.writes.tables.map((t) => entry(t.table, ['create', 'write', 'update'], 'custom Spark job (writes)', t.origin)),
      ];
  }
}

/** Tables the access reads, and tables it changes in any way; sorted, each once. */
export function readsAndWrites(access: readonly TableAccess[]): { reads: string[]; writes: string[] } {
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const a of access) {
    if (a.kinds.includes('read')) reads.add(a.table);
    if (a.kinds.some((k) => k !== 'read')) writes.add(a.table);
  }
  return { reads: [...reads].sort(), writes: [...writes].sort() };
}

/** Each table once, with the union of its kinds, sorted by table. */
export function accessByTable(access: readonly TableAccess[]): Map<string, TableAccessKind[]> {
  const out = new Map<string, Set<TableAccessKind>>();
  for (const a of access) {
    const s = out.get(a.table) ?? new Set();
    for (const k of a.kinds) s.add(k);
    out.set(a.table, s);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, s]) => [t, ACCESS_KINDS.filter((k) => s.has(k))]));
}
