/**
 * The tables a user SQL file reads and writes, resolved against the platform:
 * the Spark grammar's analysis (src/sql/analysis/) gives each statement's
 * table names and operations; this module turns them into the table-access
 * model's kinds, resolves the catalog prefix, Iceberg branch and metadata-table
 * suffixes and `USE`, and refuses what cannot be placed — an unqualified name,
 * another catalog, a name that is not a plain identifier — at its position.
 *
 * One result per file text, shared by ownership (before normalization) and
 * the processing normalizer.
 * @see https://iceberg.apache.org/docs/latest/spark-queries/#inspecting-tables
 * @see https://iceberg.apache.org/docs/latest/branching/
 */
import type { Origin } from '../diagnostics.ts';
import { analyzeSql, type SqlOperation, type TableUse } from '../sql/analysis/index.ts';
import { isValidIdentifier } from '../sql/identifiers.ts';
import type { SqlStatement, SqlTableUse, TableAccessKind } from './types.ts';

/** A problem found in a SQL file, at its position. */
export interface SqlFileProblem {
  code: string;
  message: string;
  origin: Origin;
  /** True when a `reads:`/`writes:` declaration on the file's entry may stand for the statement. */
  declarable: boolean;
}

export interface SqlFileAccess {
  statements: SqlStatement[];
  problems: SqlFileProblem[];
}

const KINDS: Record<Exclude<SqlOperation, 'call'>, TableAccessKind[]> = {
  select: ['read'],
  insert: ['write'],
  insert_overwrite: ['write', 'update'],
  merge: ['write', 'update'],
  update: ['update'],
  delete: ['update'],
  truncate: ['update'],
  create: ['create'],
  create_as_select: ['create', 'write'],
  replace: ['create', 'write', 'update'],
  create_view: ['create'],
  drop: ['drop'],
  drop_view: ['drop'],
  alter: ['alter'],
};

/** What an Iceberg procedure does to the table it writes. */
const PROCEDURE_KINDS: Record<string, TableAccessKind[]> = {
  add_files: ['write'],
  snapshot: ['create', 'write'],
  register_table: ['create'],
  migrate: ['create', 'alter'],
  rollback_to_snapshot: ['update'],
  rollback_to_timestamp: ['update'],
  set_current_snapshot: ['update'],
  cherrypick_snapshot: ['update'],
  fast_forward: ['update'],
  publish_changes: ['update'],
};

/**
 * Whether a statement's use of a table puts rows into a table that already exists — what the
 * jobs write through an audit branch (src/phases/quality.ts). A use that also creates the table
 * (`CREATE … AS SELECT`, `CREATE OR REPLACE TABLE … AS SELECT`, the `snapshot` procedure) commits
 * its rows with the table itself, straight to main: no branch of a table can exist before it.
 */
export function writesRowsAudited(u: Pick<SqlTableUse, 'kinds'>): boolean {
  return u.kinds.some((k) => k === 'write' || k === 'update') && !u.kinds.includes('create');
}

/** Whether a statement's use of a table creates it with rows (committed to main with the table, never audited). */
export function createsWithRows(u: Pick<SqlTableUse, 'kinds'>): boolean {
  return u.kinds.includes('create') && u.kinds.some((k) => k === 'write' || k === 'update');
}

/** Iceberg metadata tables, read as `db.t.<name>`: reading one reads the table. */
const METADATA_TABLES = new Set([
  'all_data_files', 'all_delete_files', 'all_entries', 'all_files', 'all_manifests', 'data_files', 'delete_files',
  'entries', 'files', 'history', 'manifests', 'metadata_log_entries', 'partitions', 'position_deletes', 'refs', 'snapshots',
]);

function kindsOf(u: TableUse): TableAccessKind[] {
  if (u.operation !== 'call') return KINDS[u.operation];
  if (u.role === 'read') return ['read'];
  return PROCEDURE_KINDS[u.procedure ?? ''] ?? ['maintain'];
}

/**
 * Spark's session catalog, always registered beside the platform's: a name whose first part is a catalog
 * (`spark_catalog.t`, `glue_catalog.t`) names that catalog, whatever its number of parts (Spark's
 * CatalogAndIdentifier), never a database of that name.
 */
const SESSION_CATALOG = 'spark_catalog';

/** Whether `name` (any case) is a catalog of the jobs' Spark session: the session catalog or the platform's `catalog`. */
export function isCatalogName(name: string, catalog: string): boolean {
  const n = name.toLowerCase();
  return n === SESSION_CATALOG || n === catalog.toLowerCase();
}

/** `[db, t]` of a name as written, or why it cannot be placed. */
function resolveName(parts: readonly string[], catalog: string): [string, string] | string {
  let p = [...parts];
  const head = p[0]!.toLowerCase();
  const another = `'${parts.join('.')}' names another catalog than the platform's '${catalog}': jobs read and write the platform's catalog only`;
  if (p.length >= 2 && head === SESSION_CATALOG) return another;
  if (p.length >= 2 && head === catalog.toLowerCase()) {
    p = p.slice(1);
    if (p.length === 1) return `'${parts.join('.')}' names the catalog '${parts[0]}' and no database: write ${catalog}.<database>.${p[0]} or <database>.${p[0]}`;
  }
  if (p.length === 3) {
    const last = p[2]!.toLowerCase();
    if (last.startsWith('branch_') || last.startsWith('tag_') || METADATA_TABLES.has(last)) p = p.slice(0, 2);
    else return another;
  }
  if (p.length === 1) return `'${parts[0]}' has no database: write it as <database>.${parts[0]} (or put \`USE <database>\` before it)`;
  if (p.length !== 2) return `'${parts.join('.')}' is not <database>.<table> (or ${catalog}.<database>.<table>)`;
  const bad = p.find((x) => !isValidIdentifier(x));
  if (bad !== undefined) return `'${bad}' in '${parts.join('.')}' is not a plain name (letters, digits and _): table access is granted by name`;
  return [p[0]!.toLowerCase(), p[1]!.toLowerCase()];
}

/**
 * Why a `USE` cannot be followed, if it cannot: `USE <catalog>` switches the catalog (or, for the current one,
 * keeps the namespace before it), so the names after it would not be where they read; `USE spark_catalog.db`
 * switches to another catalog.
 */
function useProblem(parts: readonly string[], catalog: string): string | undefined {
  if (parts.length === 1 && isCatalogName(parts[0]!, catalog)) {
    return `USE ${parts[0]} names a catalog, not a database: write USE <database> (or USE ${catalog}.<database>)`;
  }
  if (parts[0]!.toLowerCase() === SESSION_CATALOG) return `USE ${parts.join('.')} switches to another catalog than the platform's '${catalog}': jobs read and write the platform's catalog only`;
  return undefined;
}

const cache = new Map<string, SqlFileAccess>();

/**
 * The statements of a SQL file with the tables each uses, and its problems. `path` is
 * the file's path relative to the specs root (positions point into it).
 */
export function sqlFileAccess(path: string, text: string, catalog: string): SqlFileAccess {
  const key = `${catalog}\0${path}\0${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const at = (line: number, column: number): Origin => ({ file: path, line, column, pointer: '' });
  const analysis = analyzeSql(text);
  const problems: SqlFileProblem[] = analysis.problems.map((p) => ({ code: p.code, message: p.message, origin: at(p.line, p.column), declarable: p.code !== 'SQL_TEMPLATE' }));
  const statements: SqlStatement[] = analysis.statements.map((s, i) => {
    const uses: SqlTableUse[] = [];
    const badUse = s.use && useProblem(s.use, catalog);
    if (badUse) problems.push({ code: 'SQL_TABLE_NAME', message: badUse, origin: at(s.line, s.column), declarable: false });
    for (const u of s.uses) {
      const parts = u.name.resolved ?? u.name.parts;
      // A procedure reads its table argument in its own catalog (`CALL spark_catalog.system.…('db.t')`).
      const r = resolveName(u.catalog && parts.length <= 2 ? [u.catalog, ...parts] : parts, catalog);
      if (typeof r === 'string') {
        problems.push({ code: 'SQL_TABLE_NAME', message: r, origin: at(u.line, u.column), declarable: false });
        continue;
      }
      uses.push({ table: { database: r[0], table: r[1] }, kinds: kindsOf(u), origin: at(u.line, u.column) });
    }
    return { index: i + 1, text: s.text, origin: at(s.line, s.column), uses };
  });
  const result = { statements, problems };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}
