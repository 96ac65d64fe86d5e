/** `maintenance.yaml` → {@link Maintenance}: one task per table and kind, each with its schedule. */
import { validateMaintenanceOptions } from '../sql/maintenance-options.ts';
import { parseExpression } from '../sql/expression.ts';
import { locateInString } from '../spec/files.ts';
import { parseDuration, parseSize } from '../spec/duration.ts';
import { checkScheduleExpression } from '../spec/schedule.ts';
import type { MaintenanceSpec, MaintenanceTableSpec } from '../spec/types.ts';
import { knownColumns, tableRef } from './checks.ts';
import { at, fail, findTable, skipped, warn, type PhaseContext } from './context.ts';
import type { MaintenanceTask, MaintenanceTaskKind, ManagedTable, WorkflowBody } from './types.ts';

/** Schedule of tasks that name none, when the file names none either. */
export const DEFAULT_MAINTENANCE_SCHEDULE = 'rate(1 day)';

type Options = MaintenanceTask['options'];
type TaskSpec<K extends MaintenanceTaskKind> = NonNullable<MaintenanceTableSpec[K]>;

const seconds = (d: string | undefined) => (d === undefined ? undefined : parseDuration(d));
const calendarYears = (d: string | undefined) => (d !== undefined && /^[0-9]+y$/.test(d) ? Number(d.slice(0, -1)) : undefined);

/** Spec fields → procedure options (seconds, bytes), per task kind. */
const OPTIONS: { [K in MaintenanceTaskKind]: (t: TaskSpec<K>) => Options } = {
  expire_snapshots: (t) => clean({ olderThanSeconds: seconds(t.older_than), retainLast: t.retain_last }),
  remove_old_metadata: (t) => clean({ previousVersionsMax: t.previous_versions_max }),
  rewrite_data_files: (t) =>
    clean({ strategy: t.strategy, sortOrder: t.sort_order, targetFileSizeBytes: t.target_file_size === undefined ? undefined : parseSize(t.target_file_size), where: t.where }),
  rewrite_manifests: () => ({}),
  remove_orphan_files: (t) => clean({ olderThanSeconds: seconds(t.older_than) }),
  // `7y` is seven calendar years: the SQL subtracts INTERVAL 7 YEARS (leap days included).
  hard_delete: (t) => clean({ column: t.column, olderThanSeconds: seconds(t.older_than), olderThanYears: calendarYears(t.older_than) }),
};
const KINDS = Object.keys(OPTIONS) as MaintenanceTaskKind[];

/** Task kinds the Glue table optimizers of a `managed` table do instead (compaction, retention, orphan_file_deletion). */
export const MANAGED_KINDS: readonly MaintenanceTaskKind[] = ['rewrite_data_files', 'expire_snapshots', 'remove_orphan_files'];

export function normalizeMaintenance(ctx: PhaseContext, spec: MaintenanceSpec): WorkflowBody | undefined {
  let ok = true;
  const fileSchedule = spec.schedule ?? DEFAULT_MAINTENANCE_SCHEDULE;
  if (spec.schedule !== undefined) ok = schedule(ctx, spec.schedule, '/schedule') && ok;
  const tasks: MaintenanceTask[] = [];
  const managed: ManagedTable[] = [];
  const seen = new Set<string>();
  for (const [i, t] of spec.tables.entries()) {
    const p = `/tables/${i}`;
    if (skipped(ctx, p)) {
      ok = false;
      continue;
    }
    const table = tableRef(ctx, t.table, `${p}/table`);
    if (!table) {
      ok = false;
      continue;
    }
    const fqn = `${table.database}.${table.table}`;
    if (seen.has(fqn)) {
      fail(ctx, 'MAINTENANCE_DUPLICATE_TABLE', `table '${fqn}' is listed twice; put all its tasks in one entry`, `${p}/table`);
      ok = false;
    }
    seen.add(fqn);
    const known = findTable(ctx.index, fqn);
    if (t.managed === true) managed.push({ table, origin: at(ctx, `${p}/managed`) });
    if (!known) warn(ctx, 'MAINTENANCE_UNKNOWN_TABLE', `'${fqn}' is not created by any migration or Kafka ingestion of the platform; make sure something else creates it`, `${p}/table`);
    for (const kind of KINDS) {
      const taskSpec = t[kind] as (TaskSpec<typeof kind> & { schedule?: string }) | undefined;
      if (taskSpec === undefined) continue;
      const tp = `${p}/${kind}`;
      if (t.managed === true && MANAGED_KINDS.includes(kind)) {
        // Two systems expiring one table's snapshots each ignore what the other keeps (audit branches, retain_last).
        fail(ctx, 'MAINTENANCE_MANAGED_OVERLAP', `${kind}: '${fqn}' is managed: Glue's table optimizers already ${OPTIMIZER_DOES[kind]}; remove ${kind} or \`managed: true\``, tp);
        ok = false;
        continue;
      }
      if (taskSpec.schedule !== undefined && !schedule(ctx, taskSpec.schedule, `${tp}/schedule`)) ok = false;
      const options = (OPTIONS[kind] as (t: unknown) => Options)(taskSpec);
      const where = (taskSpec as { where?: unknown }).where;
      const parsed = typeof where === 'string' ? parseExpression(where) : undefined;
      if (parsed && 'error' in parsed) {
        ctx.report.error('MAINTENANCE_EXPRESSION', `${kind}: where: ${parsed.error}`, locateInString(ctx.file, `${tp}/where`, parsed.at), ctx.useCase);
        ok = false;
        delete options.where;
      }
      for (const problem of validateMaintenanceOptions(kind, options)) {
        fail(ctx, 'MAINTENANCE_OPTION', `${kind}: ${problem}`, tp);
        ok = false;
      }
      if (kind === 'hard_delete' && !knownColumns(ctx, [options.column as string], known, [`${tp}/column`], 'MAINTENANCE_UNKNOWN_COLUMN')) ok = false;
      tasks.push({ kind, table, schedule: taskSpec.schedule ?? fileSchedule, options, origin: at(ctx, tp) });
    }
  }
  return ok ? { kind: 'maintenance', maintenance: { tasks, managed, origin: at(ctx, '') } } : undefined;
}

const OPTIMIZER_DOES: Partial<Record<MaintenanceTaskKind, string>> = {
  rewrite_data_files: 'compact its data files (compaction)',
  expire_snapshots: 'expire its snapshots (retention)',
  remove_orphan_files: 'delete its orphan files (orphan_file_deletion)',
};

function schedule(ctx: PhaseContext, expr: string, pointer: string): boolean {
  const problem = checkScheduleExpression(expr);
  if (problem) fail(ctx, 'SCHEDULE_INVALID', problem, pointer);
  return !problem;
}

function clean(o: Record<string, string | number | string[] | undefined>): Options {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Options;
}
