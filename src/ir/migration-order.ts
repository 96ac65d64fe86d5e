/**
 * Ingestion and processing that touch a migrated table run after its migration.
 *
 * A migration creates its tables and converts the landing files into them; a JDBC
 * or Kafka ingestion, or a merge, that reads or writes such a table before the
 * migration finished writes into a table that does not exist yet, or whose
 * conversion is still running. Each such workflow must reach the migration through
 * `depends_on` (directly or through its upstreams, in any use case). Checked on the
 * normalized use cases, so every reference is resolved. Not yet part of `compile()`:
 * the example platform's curated merges (orders-upserts, payments-upserts) write
 * tables of curated migrations they do not depend on, and would be reported.
 *
 * See DESIGN.md §"What workflows compile to" and
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-statemachines.html
 */
import type { Origin, Report } from '../diagnostics.ts';
import type { TableRef, UseCase, Workflow } from './types.ts';

/** One table access of a workflow: where the spec names it and what it does with it. */
interface Access {
  table: string;
  verb: 'writes' | 'reads';
  what: string;
  origin: Origin;
}

const fqn = (t: TableRef): string => `${t.database}.${t.table}`;
const key = (useCase: string, dag: string): string => `${useCase}/${dag}`;

/** The migrated tables, ingestion targets and merge sources/targets a workflow touches. */
function accesses(w: Workflow): Access[] {
  const out: Access[] = [];
  if (w.body.kind === 'ingestion') {
    for (const b of w.body.ingestion.batch) out.push({ table: fqn(b.target), verb: 'writes', what: `JDBC source '${b.name}'`, origin: b.origin });
    for (const k of w.body.ingestion.kafka) out.push({ table: fqn(k.target), verb: 'writes', what: `Kafka source '${k.name}'`, origin: k.origin });
  } else if (w.body.kind === 'processing') {
    for (const m of w.body.processing.merges) {
      out.push({ table: fqn(m.target), verb: 'writes', what: `merge '${m.name}'`, origin: m.origin });
      out.push({ table: fqn(m.source), verb: 'reads', what: `merge '${m.name}'`, origin: m.origin });
    }
  }
  return out;
}

/**
 * Reports `MIGRATION_NOT_UPSTREAM` (a warning, at the source or merge) for every
 * ingestion source or merge whose table a migration workflow creates while the
 * workflow does not depend on that migration, directly or transitively.
 * Disabled migrations count: enabling one later must not need a spec change elsewhere.
 */
export function checkMigrationOrder(useCases: readonly UseCase[], report: Report): void {
  const byKey = new Map<string, Workflow>();
  const migratedBy = new Map<string, Workflow>();
  for (const u of useCases) {
    for (const w of u.workflows) {
      byKey.set(key(w.useCase, w.name), w);
      if (w.body.kind !== 'migration') continue;
      for (const t of w.body.migration.tables) if (!migratedBy.has(fqn(t.target))) migratedBy.set(fqn(t.target), w);
    }
  }
  const upstreams = new Map<string, Set<string>>();
  const reach = (w: Workflow): Set<string> => {
    const k = key(w.useCase, w.name);
    let seen = upstreams.get(k);
    if (seen) return seen;
    seen = new Set();
    upstreams.set(k, seen);
    const stack = w.dependsOn.map((d) => key(d.useCase, d.dag));
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      for (const d of byKey.get(next)?.dependsOn ?? []) stack.push(key(d.useCase, d.dag));
    }
    return seen;
  };
  for (const u of useCases) {
    for (const w of u.workflows) {
      const reported = new Set<string>();
      for (const a of accesses(w)) {
        const migration = migratedBy.get(a.table);
        if (!migration || reported.has(`${a.table} ${a.origin.line}`)) continue;
        const ref = key(migration.useCase, migration.name);
        if (reach(w).has(ref)) continue;
        reported.add(`${a.table} ${a.origin.line}`);
        const dep = migration.useCase === w.useCase ? migration.name : ref;
        report.warning(
          'MIGRATION_NOT_UPSTREAM',
          `${a.what} ${a.verb} ${a.table}, which migration '${ref}' creates and converts, but dag '${w.name}' does not depend on it: it may run before the table exists or while its landing files are converted; add '${dep}' to its \`depends_on\` (or to an upstream's)`,
          a.origin,
          w.useCase,
        );
      }
    }
  }
}
