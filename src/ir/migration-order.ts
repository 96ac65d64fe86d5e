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
import type { TableRef, UseCase, Workflow } from './types.ts';

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

/** The tables an ingestion or processing workflow writes or reads, in spec order. */
function touched(w: Workflow): { target: TableRef; by: string }[] {
  const out: { target: TableRef; by: string }[] = [];
  if (w.body.kind === 'ingestion') {
    for (const b of w.body.ingestion.batch) out.push({ target: b.target, by: `JDBC source '${b.name}' writes` });
    for (const k of w.body.ingestion.kafka) {
      out.push({ target: k.target, by: `Kafka source '${k.name}' writes` });
      // Its first run starts at this table's watermark, which only a finished conversion sets.
      if (k.startFromWatermark) out.push({ target: k.startFromWatermark.target, by: `Kafka source '${k.name}' starts at the watermark of` });
    }
  } else if (w.body.kind === 'processing') {
    for (const m of w.body.processing.merges) {
      out.push({ target: m.target, by: `merge '${m.name}' writes` });
      out.push({ target: m.source, by: `merge '${m.name}' reads` });
    }
  }
  return out;
}

/** Every migrated table → its migration (the first, in use-case order, when two list it). */
export function migratedTables(useCases: readonly UseCase[]): Map<string, Workflow> {
  const migratedBy = new Map<string, Workflow>();
  for (const u of useCases) {
    for (const w of u.workflows) {
      if (w.body.kind !== 'migration') continue;
      for (const t of w.body.migration.tables) if (!migratedBy.has(fqn(t.target))) migratedBy.set(fqn(t.target), w);
    }
  }
  return migratedBy;
}

/**
 * The migrated tables `w` must wait for, each once, in spec order. A migration never
 * waits (its own tables are what it converts), nor do maintenance and custom `spark:`
 * jobs: lakestep does not know the tables a custom job touches, and maintenance on a
 * table still being converted changes no row.
 */
export function migrationWaits(w: Workflow, migrated: ReadonlyMap<string, Workflow>): MigrationWait[] {
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
