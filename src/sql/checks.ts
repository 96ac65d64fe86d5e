/**
 * The queries of data quality checks. Each reads the table by its name: the job
 * runs them with `spark.wap.branch` set to its audit branch, so they read the rows
 * the run would publish. A check query returns the number of failing rows in
 * `_lakestep_failing` (on every row) and, per failing row, the sample columns that
 * identify it — a column marked `pii` as the literal `***`, so its values never
 * leave Spark — at most {@link SAMPLE_ROWS} rows; no row means no failure.
 * `row_count` returns one row with `_lakestep_rows`. A Kafka batch is checked on its
 * own rows (a view of them) rather than the whole table each batch.
 *
 * Expressions (`expression`, `where`) are rendered from their parse tree
 * (src/sql/expression.ts); values are escaped literals; names are quoted.
 * @see https://iceberg.apache.org/docs/latest/branching/#audit-branch
 */
import type { QualityCheck, TableQuality } from '../ir/types.ts';
import { rowExpression } from './expression.ts';
import { quoteIdent, sqlString, tableName } from './identifiers.ts';

export const SAMPLE_ROWS = 10;
export const FAILING_COLUMN = '_lakestep_failing';
export const ROWS_COLUMN = '_lakestep_rows';
/** Marker the runtime replaces by main's snapshot id when the run started (Spark binds no parameter in `VERSION AS OF`). */
export const BASE_SNAPSHOT_MARKER = ':audit_base_snapshot';
export const MASK = '***';

export interface CheckQuery {
  sql: string;
  /** row_count of the batch: the count of main when the run started, to subtract. */
  baseSql?: string;
}

const expr = (text: string): string => {
  const r = rowExpression(text);
  if ('error' in r) throw new Error(`invalid expression (validated earlier): ${r.error}`);
  return r.sql;
};

function literal(v: string | number | boolean): string {
  if (typeof v === 'string') return sqlString(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (!Number.isFinite(v)) throw new Error(`invalid number ${v}`);
  // A decimal literal keeps exactly the value written (a double would round 0.1).
  return Number.isInteger(v) ? String(v) : `${v}BD`;
}

/** Sample columns of a failing row, masked ones as `'***' AS col`. */
function samples(q: Pick<TableQuality, 'sampleColumns' | 'maskedColumns'>, only?: readonly string[]): string[] {
  return q.sampleColumns
    .filter((c) => !only || only.includes(c))
    .map((c) => (q.maskedColumns.includes(c) ? `${sqlString(MASK)} AS ${quoteIdent(c)}` : quoteIdent(c)));
}

/** Failing rows of `failing` (a condition on one row), with their count and sample keys. */
function failingRows(table: string, where: string | undefined, failing: string, cols: string[]): string {
  const filter = [where === undefined ? undefined : `(${expr(where)})`, `(${failing})`].filter(Boolean).join(' AND ');
  if (cols.length === 0) return `SELECT count(*) AS ${FAILING_COLUMN} FROM ${table} WHERE ${filter}`;
  return `SELECT ${cols.join(', ')}, count(*) OVER () AS ${FAILING_COLUMN} FROM ${table} WHERE ${filter} LIMIT ${SAMPLE_ROWS}`;
}

/**
 * The query of one check of `q.table` in `catalog`; with `relation` (a temporary view
 * of the rows a Kafka batch writes), of those rows only — `sql` checks and `row_count`
 * `of: table` still read the table (on its audit branch: as it would be published).
 */
export function checkQuery(catalog: string, q: TableQuality, c: QualityCheck, relation?: string): CheckQuery {
  const table = relation === undefined ? tableName(catalog, q.table) : quoteIdent(relation);
  const cols = c.columns.map(quoteIdent);
  switch (c.kind) {
    case 'not_null':
      return { sql: failingRows(table, c.where, cols.map((x) => `${x} IS NULL`).join(' OR '), samples(q)) };
    case 'accepted_values':
      // NULL IN (…) is NULL, so NULL never fails here: `not_null` checks it.
      return { sql: failingRows(table, c.where, `NOT (${cols[0]} IN (${c.values!.map(literal).join(', ')}))`, samples(q)) };
    case 'expression':
      return { sql: failingRows(table, c.where, `NOT COALESCE((${expr(c.expression!)}), FALSE)`, samples(q)) };
    case 'unique': {
      const where = [c.where === undefined ? undefined : `(${expr(c.where)})`, ...cols.map((x) => `${x} IS NOT NULL`)].filter(Boolean).join(' AND ');
      const keys = c.columns.map((col) => (q.maskedColumns.includes(col) ? `${sqlString(MASK)} AS ${quoteIdent(col)}` : quoteIdent(col)));
      const n = quoteIdent('_lakestep_n');
      return {
        sql:
          `SELECT ${keys.join(', ')}, sum(${n}) OVER () AS ${FAILING_COLUMN} FROM ` +
          `(SELECT ${cols.join(', ')}, count(*) AS ${n} FROM ${table} WHERE ${where} GROUP BY ${cols.join(', ')} HAVING count(*) > 1) dup LIMIT ${SAMPLE_ROWS}`,
      };
    }
    case 'row_count': {
      const where = c.where === undefined ? '' : ` WHERE ${expr(c.where)}`;
      // `of: table` is the table as it would be published: on a Kafka batch, the audit branch after the batch's
      // write (the job reads the table on its branch), not the batch's rows.
      const counted = c.rowCount!.of === 'batch' ? table : tableName(catalog, q.table);
      return {
        sql: `SELECT count(*) AS ${ROWS_COLUMN} FROM ${counted}${where}`,
        ...(c.rowCount!.of === 'batch' && relation === undefined ? { baseSql: `SELECT count(*) AS ${ROWS_COLUMN} FROM ${table} VERSION AS OF ${BASE_SNAPSHOT_MARKER}${where}` } : {}),
      };
    }
    case 'sql': {
      // The user's query as a subquery: an empty line before `)` so that a trailing `--` comment cannot swallow it,
      // even one ending in a backslash (Spark's lexer continues a `--` comment over a backslash-newline).
      const inner = `(\n${c.sql!.text}\n\n) failing`;
      const where = c.where === undefined ? '' : ` WHERE ${expr(c.where)}`;
      return { sql: `SELECT failing.*, count(*) OVER () AS ${FAILING_COLUMN} FROM ${inner}${where} LIMIT ${SAMPLE_ROWS}` };
    }
  }
}
