/**
 * Conversion of landing files into their Iceberg table (migration phase).
 * Idempotent without destroying anything: the rows are appended only while the
 * table is still empty, so a retry after a failed commit converts, and a re-run
 * after ingestion or processing wrote into the table keeps their rows (and
 * converts nothing: the landing files are the table's past, already in it).
 * See https://iceberg.apache.org/docs/latest/spark-writes/#insert-into
 */
import type { MigrationTable, TableRef } from '../ir/types.ts';
import { quoteIdent, sqlString, tableName } from './identifiers.ts';
import { normalizeColumnType } from './types.ts';
import { formatWatermark } from './watermark.ts';

/**
 * Spark configuration the conversion job needs: with static overwrite mode an
 * `INSERT OVERWRITE` without a `PARTITION` clause replaces the whole table
 * (dynamic mode would only replace the partitions present in the new data).
 * See https://iceberg.apache.org/docs/latest/spark-writes/#insert-overwrite
 */
export const STATIC_OVERWRITE_CONF = 'spark.sql.sources.partitionOverwriteMode=static';

/** File formats Spark reads landing files in. */
export const LANDING_FORMATS: readonly string[] = ['parquet', 'orc', 'avro', 'csv', 'json'];

/**
 * Formats whose view is read against the table's declared columns: all of them. A Hive
 * table's files differ from partition to partition (`ALTER TABLE … ADD COLUMNS` leaves
 * the older files without the new column; dropped columns stay in them), and without a
 * schema Spark takes the first file's: a column added later is then unknown to the
 * conversion. With the declared columns, parquet, orc and avro columns are matched by
 * name — one missing from a file reads as NULL, one the table does not declare is not
 * read — csv columns are taken by position, and json numbers are parsed straight into
 * their declared decimal type (inferred, they would go through double and lose digits).
 * A column's type in the files must still be the declared one (Spark 3.5 does not widen
 * parquet or avro int to bigint while reading; orc does).
 * See https://spark.apache.org/docs/latest/sql-data-sources-parquet.html#schema-merging
 * See https://spark.apache.org/docs/latest/sql-data-sources-csv.html
 */
export const SCHEMA_FORMATS: readonly string[] = LANDING_FORMATS;

/**
 * How the conversion reads dates and timestamps that Hive wrote: in the hybrid
 * Julian/Gregorian calendar of java.sql.Timestamp, which Spark 3 calls LEGACY. Without
 * these, a parquet file of another writer than Spark 3 with an INT96 timestamp before
 * 1900 (or a date before 1582) fails with `READ_ANCIENT_DATETIME` (the default is EXCEPTION);
 * files written by Spark 3 carry their own mode in their metadata and are read by it.
 * See https://spark.apache.org/docs/3.5.6/sql-migration-guide.html#upgrading-from-spark-sql-30-to-31
 * See https://spark.apache.org/docs/3.5.6/configuration.html#runtime-sql-configuration
 */
export const HIVE_DATETIME_CONFS: readonly string[] = [
  'spark.sql.parquet.int96RebaseModeInRead=LEGACY',
  'spark.sql.parquet.datetimeRebaseModeInRead=LEGACY',
  'spark.sql.avro.datetimeRebaseModeInRead=LEGACY',
];

/** Name of the temporary view over a table's landing files. */
export function landingViewName(table: MigrationTable): string {
  return `landing_${table.target.database}_${table.target.table}`.slice(0, 128);
}

/**
 * `CREATE OR REPLACE TEMPORARY VIEW … (<columns>) USING <format> OPTIONS (path '…', …)`
 * over the landing path, with the table's declared columns ({@link SCHEMA_FORMATS});
 * Hive partition folders (`dt=2019-01-01/`) give the columns they name. Format options
 * are sorted for determinism.
 * See https://spark.apache.org/docs/latest/sql-ref-syntax-ddl-create-view.html
 */
export function landingViewSql(table: MigrationTable): string {
  if (!LANDING_FORMATS.includes(table.format)) throw new Error(`table ${table.name}: unknown format ${JSON.stringify(table.format)}`);
  if (Object.keys(table.formatOptions).some((k) => k.toLowerCase() === 'path')) {
    throw new Error(`table ${table.name}: format option "path" is reserved (the landing path)`);
  }
  const options = Object.entries(table.formatOptions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${sqlString(k)} ${sqlString(v)}`);
  options.unshift(`'path' ${sqlString(table.landingPath)}`);
  const schema = SCHEMA_FORMATS.includes(table.format)
    ? ` (${table.columns.map((c) => `${quoteIdent(c.name)} ${normalizeColumnType(c.type)}`).join(', ')})`
    : '';
  return `CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(landingViewName(table))}${schema} USING ${table.format} OPTIONS (${options.join(', ')})`;
}

/**
 * `INSERT INTO <table> (<columns>) SELECT CAST(col AS type) AS col, … FROM <view>
 * WHERE NOT EXISTS (SELECT 1 FROM <table>)`: columns are read by name, cast to the
 * declared types and inserted by name; nothing is written into a table that already
 * holds rows (a retry or a re-run never duplicates nor destroys rows).
 * See https://iceberg.apache.org/docs/latest/spark-writes/#insert-into
 */
export function conversionSql(catalog: string, table: MigrationTable): string {
  if (table.columns.length === 0) throw new Error(`table ${table.name} has no columns`);
  const target = tableName(catalog, table.target);
  const names = table.columns.map((c) => quoteIdent(c.name)).join(', ');
  const cols = table.columns.map((c) => `  CAST(${quoteIdent(c.name)} AS ${normalizeColumnType(c.type)}) AS ${quoteIdent(c.name)}`);
  return `INSERT INTO ${target} (${names})\nSELECT\n${cols.join(',\n')}\nFROM ${quoteIdent(landingViewName(table))}\nWHERE NOT EXISTS (SELECT 1 FROM ${target})`;
}

/**
 * One row, one column: the max of `column` as a fixed-width UTC timestamp string
 * (NULL for an empty table). Run in a session with time zone UTC.
 * See https://spark.apache.org/docs/latest/api/sql/index.html#date_format
 */
export function watermarkSql(catalog: string, table: TableRef, column: string): string {
  return `SELECT ${formatWatermark(`max(${quoteIdent(column)})`)} AS ${quoteIdent('watermark')} FROM ${tableName(catalog, table)}`;
}
