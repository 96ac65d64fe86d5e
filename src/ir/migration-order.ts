/**
 * Ingestion and processing wait for the migration of every migrated table they touch.
 *
 * A migration creates its tables and appends the landing files to each while it is
 * still empty (src/sql/conversion.ts). A JDBC or Kafka ingestion, or a merge, that
 * wrote into such a table before its conversion would make the conversion skip the
 * table's whole history; one that read it mid-conversion would move its watermark
 * past rows still to come. A `depends_on` cannot prevent either: a scheduled writer
 * runs on its schedule, and dependencies match per logical date, so a one-off
 * migration cannot gate daily runs. The order is therefore enforced at run time:
 * the migration marks each table once converted, and a workflow that touches a
 * migrated table first checks the mark (src/phases/migration-guard.ts) and ends
 * its run without writing while a table is not migrated yet.
 *
 * This module decides which marks a workflow checks, across use cases. Migrations
 * that are disabled count: enabling one later must not need a spec change elsewhere.
 *
 * See DESIGN.md §"What workflows compile to".
 */
import type { UseCaseFacts, WorkflowFacts } from './facts.ts';
import type { TableRef, Workflow } from './types.ts';

/** The migration that converts a table: `<use-case>/<dag>` by its parts. */
export type MigrationRef = Pick<Workflow, 'useCase' | 'name'>;

/** A migrated table a workflow touches, and the migration that converts it. */
export interface MigrationWait {
  /** `<database>.<table>`. */
  table: string;
  target: TableRef;
  /** `<use-case>/<dag>` of the migration. */
  migration: string;
  /** What touches the table, for comments: `JDBC source 'orders-pg' writes`. */
  by: string;
}

const fqn = (t: TableRef): string => `${t.database}.${t.table}`;

/**
 * The tables a workflow writes or reads, in spec order, from the table-access model
 * (src/ir/access.ts): its phase's targets and sources, its SQL statements, a custom
 * job's declared tables; plus the table whose watermark starts a Kafka source.
 */
function touched(w: WorkflowFacts): { target: TableRef; by: string }[] {
  if (w.kind === 'migration' || w.kind === 'maintenance') return [];
  const out = w.access.map((a) => {
    const [database = '', table = ''] = a.table.split('.');
    return { target: { database, table }, by: `${a.by} ${a.kinds.some((k) => k !== 'read') ? 'writes' : 'reads'}` };
  });
  // Its first run starts at this table's watermark, which only a finished conversion sets.
  for (const k of w.watermarks) out.push({ target: k.target, by: `Kafka source '${k.source}' starts at the watermark of` });
  return out;
}

/** Every migrated table → its migration (the first, in use-case order, when two list it). */
export function migratedTables(useCases: readonly UseCaseFacts[]): Map<string, MigrationRef> {
  const migratedBy = new Map<string, MigrationRef>();
  for (const u of useCases) {
    for (const w of u.workflows) {
      for (const t of w.migrates) if (!migratedBy.has(fqn(t))) migratedBy.set(fqn(t), { useCase: w.useCase, name: w.name });
    }
  }
  return migratedBy;
}

/**
 * The migrated tables `w` must wait for, each once, in spec order. A migration never
 * waits (its own tables are what it converts), nor does maintenance (on a table still
 * being converted it changes no row). A custom `spark:` job waits for the tables it
 * declares in `reads:`/`writes:`.
 */
export function migrationWaits(w: WorkflowFacts, migrated: ReadonlyMap<string, MigrationRef>): MigrationWait[] {
  const seen = new Set<string>();
  const out: MigrationWait[] = [];
  for (const t of touched(w)) {
    const table = fqn(t.target);
    const migration = migrated.get(table);
    if (!migration || seen.has(table)) continue;
    seen.add(table);
    out.push({ table, target: t.target, migration: `${migration.useCase}/${migration.name}`, by: t.by });
  }
  return out;
}
