/**
 * Table maintenance as Iceberg Spark procedures and table properties.
 * See https://iceberg.apache.org/docs/latest/spark-procedures/ and
 * https://iceberg.apache.org/docs/latest/maintenance/
 *
 * Options of each {@link MaintenanceTask} kind (durations in seconds, sizes in bytes):
 * - expire_snapshots:    `olderThanSeconds?`, `retainLast?` (Iceberg defaults: 5 days, 1)
 * - remove_old_metadata: `previousVersionsMax?` (default 100)
 * - rewrite_data_files:  `strategy?` (`binpack` | `sort`), `sortOrder?` (string[]), `targetFileSizeBytes?`, `where?`
 * - rewrite_manifests:   none
 * - remove_orphan_files: `olderThanSeconds?` (Iceberg default: 3 days; at least 1 day)
 * - hard_delete:         `column`, `olderThanSeconds`
 *
 * Cutoff timestamps are `TIMESTAMP :cutoff_…` markers; `cutoffs` says how many
 * seconds before the run's `ts` each one is, and the runtime inlines them.
 * Their names are unique within one statement.
 *
 * Hard delete works for copy-on-write and merge-on-read tables alike: the DELETE
 * (which on a merge-on-read table only writes delete files), then a rewrite of
 * every data file that has a delete file (the deleted rows are left out) and removal
 * of the delete files left dangling, then expiring every snapshot older than that
 * moment (not the run's `ts`) removes the previous files from storage. A cutoff in
 * years is calendar years (`INTERVAL n YEARS`), not n × 365 days.
 */
import type { MaintenanceTask, MaintenanceTaskKind, TableRef } from '../ir/types.ts';
import { DEFAULT_PREVIOUS_VERSIONS_MAX } from './ddl.ts';
import { quoteIdent, sqlString, tableName, procedureTableName } from './identifiers.ts';
import { renderSortField } from './sort.ts';
import { validateMaintenanceOptions } from './maintenance-options.ts';
import { canonicalExpression } from './expression.ts';

export interface MaintenanceStatement {
  sql: string;
  cutoffs?: Record<string, number>;
  /** `now`: the cutoffs count back from when the statement starts, not from the run's `ts`. */
  cutoffsFrom?: 'now';
}

type Options = MaintenanceTask['options'];
type Generator = (catalog: string, table: TableRef, options: Options) => MaintenanceStatement[];

const GENERATORS: Record<MaintenanceTaskKind, Generator> = {
  expire_snapshots: (catalog, table, o) => {
    const older = num(o, 'olderThanSeconds');
    const retain = num(o, 'retainLast');
    return [
      call(catalog, 'expire_snapshots', table, [
        ...(older === undefined ? [] : [['older_than', 'TIMESTAMP :cutoff_expire'] as const]),
        ...(retain === undefined ? [] : [['retain_last', String(retain)] as const]),
      ], older === undefined ? undefined : { cutoff_expire: older }),
    ];
  },
  remove_old_metadata: (catalog, table, o) => [
    {
      sql:
        `ALTER TABLE ${tableName(catalog, table)} SET TBLPROPERTIES (` +
        `'write.metadata.delete-after-commit.enabled'='true', ` +
        `'write.metadata.previous-versions-max'=${sqlString(String(num(o, 'previousVersionsMax') ?? DEFAULT_PREVIOUS_VERSIONS_MAX))})`,
    },
  ],
  rewrite_data_files: (catalog, table, o) => {
    const args: [string, string][] = [];
    const strategy = str(o, 'strategy');
    if (strategy !== undefined) args.push(['strategy', sqlString(strategy)]);
    const sortOrder = list(o, 'sortOrder');
    if (sortOrder.length > 0) args.push(['sort_order', sqlString(sortOrder.map(renderSortField).join(', '))]);
    const size = num(o, 'targetFileSizeBytes');
    if (size !== undefined) args.push(['options', `map('target-file-size-bytes', ${sqlString(String(size))})`]);
    const where = str(o, 'where');
    if (where !== undefined) args.push(['where', sqlString(canonicalExpression(where))]);
    return [call(catalog, 'rewrite_data_files', table, args)];
  },
  rewrite_manifests: (catalog, table) => [call(catalog, 'rewrite_manifests', table, [])],
  remove_orphan_files: (catalog, table, o) => {
    const older = num(o, 'olderThanSeconds');
    if (older === undefined) return [call(catalog, 'remove_orphan_files', table, [])];
    return [call(catalog, 'remove_orphan_files', table, [['older_than', 'TIMESTAMP :cutoff_orphans']], { cutoff_orphans: older })];
  },
  hard_delete: (catalog, table, o) => {
    const column = str(o, 'column') ?? '';
    const older = num(o, 'olderThanSeconds') ?? 0;
    const years = num(o, 'olderThanYears');
    const cutoff = years === undefined ? 'CAST(:cutoff_delete AS TIMESTAMP)' : `CAST(:cutoff_delete AS TIMESTAMP) - INTERVAL ${years} YEARS`;
    return [
      { sql: `DELETE FROM ${tableName(catalog, table)} WHERE ${quoteIdent(column)} < ${cutoff}`, cutoffs: { cutoff_delete: years === undefined ? older : 0 } },
      // Merge-on-read: the rows are still in the data files, masked by delete files;
      // rewrite those files, then drop the delete files that apply to none any more
      // (a rewritten file numbered as of the rewrite's start would keep them applying).
      call(catalog, 'rewrite_data_files', table, [['options', `map('delete-file-threshold', '1', 'remove-dangling-deletes', 'true', 'use-starting-sequence-number', 'false')`]]),
      // Expiring every older snapshot drops the files that still hold the deleted rows:
      // older than the statement's start, not the run's ts (every snapshot committed
      // since ts, the job's own included, still references those files).
      { ...call(catalog, 'expire_snapshots', table, [['older_than', 'TIMESTAMP :cutoff_now'], ['retain_last', '1']], { cutoff_now: 0 }), cutoffsFrom: 'now' },
    ];
  },
};

/**
 * The statements of one maintenance task, in order. Throws when the options are
 * invalid (see {@link validateMaintenanceOptions}; validated earlier).
 */
export function maintenanceSql(catalog: string, task: MaintenanceTask): MaintenanceStatement[] {
  const problems = validateMaintenanceOptions(task.kind, task.options);
  if (problems.length > 0) throw new Error(`${task.kind} on ${task.table.database}.${task.table.table}: ${problems.join('; ')}`);
  return GENERATORS[task.kind](catalog, task.table, task.options);
}

/**
 * `CALL <catalog>.system.<procedure>(table => 'db.t', name => value, …)` with named arguments.
 * See https://iceberg.apache.org/docs/latest/spark-procedures/#usage
 */
function call(catalog: string, procedure: string, table: TableRef, args: readonly (readonly [string, string])[], cutoffs?: Record<string, number>): MaintenanceStatement {
  const all = [`table => ${sqlString(procedureTableName(table))}`, ...args.map(([k, v]) => `${k} => ${v}`)];
  const sql = `CALL ${quoteIdent(catalog)}.system.${procedure}(${all.join(', ')})`;
  return cutoffs === undefined ? { sql } : { sql, cutoffs };
}

function num(o: Options, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
}
function str(o: Options, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}
function list(o: Options, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v : [];
}
