/**
 * `lakestep doctor`: what would go wrong between lakestep and the services beside it, from the
 * build and the Glue Data Catalog. The main finding: a table whose snapshots two systems expire
 * — lakestep's `expire_snapshots` (maintenance.yaml) and a Glue table optimizer of type
 * `retention` — each unaware of what the other keeps (audit branches, `retain_last`). The same
 * for orphan file removal and compaction (a managed compaction also commits to main between a
 * write-audit-publish job's write and its publish, forcing it to write again). Plus cheap checks
 * of the build: a table nothing expires, a freshness SLA whose dag is disabled, and a
 * `managed: true` table whose expiry, orphan removal or compaction another use case's
 * maintenance.yaml still does (within one entry, the compiler refuses it).
 *
 * @see https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_GetTableOptimizer.html
 */
import { GetTableOptimizerCommand, type GlueClient, type TableOptimizerType } from '@aws-sdk/client-glue';
import type { Manifest } from '../build/types.ts';
import { awsErrorName } from './errors.ts';

export type FindingCode = 'DOUBLE_SNAPSHOT_EXPIRY' | 'DOUBLE_ORPHAN_REMOVAL' | 'DOUBLE_COMPACTION' | 'NO_SNAPSHOT_EXPIRY' | 'SLA_DAG_DISABLED' | 'MANAGED_TABLE_MAINTAINED';

export interface Finding {
  code: FindingCode;
  table: string;
  message: string;
  /** What does it, on each side: `<use-case>/<dag>` tasks and Glue optimizers. */
  lakestep?: string;
  glue?: { type: TableOptimizerType; enabled: boolean; roleArn?: string };
}

export interface DoctorResult {
  catalogId: string;
  /** Tables looked up in Glue. */
  tables: number;
  findings: Finding[];
  ok: boolean;
}

/** lakestep maintenance task kind → the Glue optimizer type that does the same. */
const OVERLAPS: Record<string, { type: TableOptimizerType; code: FindingCode; what: string }> = {
  expire_snapshots: { type: 'retention', code: 'DOUBLE_SNAPSHOT_EXPIRY', what: 'expire its snapshots' },
  remove_orphan_files: { type: 'orphan_file_deletion', code: 'DOUBLE_ORPHAN_REMOVAL', what: 'delete its orphan files' },
  rewrite_data_files: { type: 'compaction', code: 'DOUBLE_COMPACTION', what: 'compact its data files' },
};
const TYPES: TableOptimizerType[] = ['retention', 'orphan_file_deletion', 'compaction'];

/** The Glue optimizer of one type on a table, undefined when there is none. */
export type OptimizerLookup = (database: string, table: string, type: TableOptimizerType) => Promise<{ enabled: boolean; roleArn?: string } | undefined>;

export function glueOptimizers(client: GlueClient, catalogId: string): OptimizerLookup {
  return async (database, table, type) => {
    try {
      const got = await client.send(new GetTableOptimizerCommand({ CatalogId: catalogId, DatabaseName: database, TableName: table, Type: type }));
      const c = got.TableOptimizer?.configuration;
      if (!got.TableOptimizer) return undefined;
      return { enabled: c?.enabled ?? false, ...(c?.roleArn ? { roleArn: c.roleArn } : {}) };
    } catch (err) {
      // No optimizer of that type, or no such table in the catalog yet.
      if (awsErrorName(err) === 'EntityNotFoundException') return undefined;
      throw err;
    }
  };
}

/** `table → kind → <use-case>/<dag>` of every maintenance task of the build. */
function maintenanceTasks(manifest: Manifest): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      for (const task of (w.scheduleGroups ?? []).flatMap((g) => g.tasks)) {
        const kinds = out.get(task.table) ?? new Map<string, string>();
        kinds.set(task.kind, `${uc.name}/${w.name}`);
        out.set(task.table, kinds);
      }
    }
  }
  return out;
}

/** Every finding for the tables the build writes, looking each one's optimizers up. */
export async function doctor(manifest: Manifest, optimizers: OptimizerLookup, catalogId: string): Promise<DoctorResult> {
  const tasks = maintenanceTasks(manifest);
  const written = Object.entries(manifest.tables ?? {})
    .filter(([, t]) => t.writers.length > 0)
    .map(([fqn]) => fqn)
    .sort();
  const findings: Finding[] = [];
  for (const fqn of written) {
    const [database, table] = [fqn.slice(0, fqn.indexOf('.')), fqn.slice(fqn.indexOf('.') + 1)];
    const mine = tasks.get(fqn) ?? new Map<string, string>();
    const found = new Map<TableOptimizerType, { enabled: boolean; roleArn?: string }>();
    for (const type of TYPES) {
      const o = await optimizers(database, table, type);
      if (o) found.set(type, o);
    }
    for (const [kind, overlap] of Object.entries(OVERLAPS)) {
      const dag = mine.get(kind);
      const glue = found.get(overlap.type);
      if (!dag || !glue?.enabled) continue;
      findings.push({
        code: overlap.code,
        table: fqn,
        message: `two systems ${overlap.what}: ${kind} in ${dag} and the Glue ${overlap.type} optimizer; remove the task from maintenance.yaml or disable the optimizer`,
        lakestep: `${dag} ${kind}`,
        glue: { type: overlap.type, ...glue },
      });
    }
    if (!mine.has('expire_snapshots') && !mine.has('hard_delete') && !found.get('retention')?.enabled) {
      findings.push({ code: 'NO_SNAPSHOT_EXPIRY', table: fqn, message: 'nothing expires its snapshots (no expire_snapshots in maintenance.yaml, no enabled Glue retention optimizer): its metadata and files grow with every commit' });
    }
  }
  findings.push(...managedButMaintained(manifest, tasks));
  const disabled = new Set(manifest.useCases.flatMap((uc) => uc.workflows.filter((w) => !w.enabled).map((w) => `${uc.name}/${w.name}`)));
  const seen = new Set<string>();
  for (const a of manifest.useCases.flatMap((uc) => uc.freshness ?? [])) {
    if (!disabled.has(a.workflow) || seen.has(a.table)) continue;
    seen.add(a.table);
    findings.push({ code: 'SLA_DAG_DISABLED', table: a.table, message: `has a freshness SLA but its dag ${a.workflow} is disabled (enabled: false): its alarms will fire` });
  }
  return { catalogId, tables: written.length, findings, ok: findings.length === 0 };
}

/** Tables some use case marks `managed: true` that a maintenance.yaml (another use case's, through a share) still expires, cleans or compacts. */
function managedButMaintained(manifest: Manifest, tasks: Map<string, Map<string, string>>): Finding[] {
  const managedBy = new Map<string, string>();
  for (const uc of manifest.useCases) for (const w of uc.workflows) for (const t of w.managedTables ?? []) managedBy.set(t, `${uc.name}/${w.name}`);
  const out: Finding[] = [];
  for (const [fqn, by] of [...managedBy].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const [kind, overlap] of Object.entries(OVERLAPS)) {
      const dag = tasks.get(fqn)?.get(kind);
      if (!dag) continue;
      out.push({
        code: 'MANAGED_TABLE_MAINTAINED',
        table: fqn,
        message: `is managed (managed: true in ${by}: Glue's ${overlap.type} optimizer will ${overlap.what}) but ${kind} in ${dag} does too; remove the task`,
        lakestep: `${dag} ${kind}`,
      });
    }
  }
  return out;
}
