/**
 * DDL of the migration phase: namespaces, Iceberg tables and their write order.
 * See https://iceberg.apache.org/docs/latest/spark-ddl/
 */
import type { MigrationTable, TableRef } from '../ir/types.ts';
import { quoteIdent, sqlString, tableName } from './identifiers.ts';
import { renderPartitionField } from './partition.ts';
import { renderSortField } from './sort.ts';
import { normalizeColumnType } from './types.ts';

/** Iceberg's own default for `write.metadata.previous-versions-max`. */
export const DEFAULT_PREVIOUS_VERSIONS_MAX = 100;

export interface CreateTableOptions {
  /** Metadata files kept besides the current one; user `properties` still win. */
  previousVersionsMax?: number;
}

/**
 * `CREATE NAMESPACE IF NOT EXISTS` for a Glue database.
 * See https://spark.apache.org/docs/latest/sql-ref-syntax-ddl-create-database.html
 */
export function createNamespaceSql(catalog: string, database: string): string {
  return `CREATE NAMESPACE IF NOT EXISTS ${quoteIdent(catalog)}.${quoteIdent(database)}`;
}

/**
 * Table properties every table gets: format v2, object-storage layout under
 * `<location>/data`, and metadata cleanup on commit. User properties override them;
 * keys are sorted so the DDL is deterministic.
 * See https://iceberg.apache.org/docs/latest/configuration/#write-properties
 */
export function tableProperties(table: MigrationTable, options: CreateTableOptions = {}): [string, string][] {
  const props: Record<string, string> = {
    'format-version': '2',
    'write.object-storage.enabled': 'true',
    'write.data.path': `${trimSlashes(table.location)}/data`,
    'write.metadata.delete-after-commit.enabled': 'true',
    'write.metadata.previous-versions-max': String(options.previousVersionsMax ?? DEFAULT_PREVIOUS_VERSIONS_MAX),
    ...table.properties,
  };
  return Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `CREATE TABLE IF NOT EXISTS … USING iceberg PARTITIONED BY … LOCATION … TBLPROPERTIES …`.
 * See https://iceberg.apache.org/docs/latest/spark-ddl/#create-table
 */
export function createTableSql(catalog: string, table: MigrationTable, options: CreateTableOptions = {}): string {
  if (table.columns.length === 0) throw new Error(`table ${table.name} has no columns`);
  const columns = table.columns.map((c) => {
    let col = `  ${quoteIdent(c.name)} ${normalizeColumnType(c.type)}`;
    if (!c.nullable) col += ' NOT NULL';
    if (c.comment !== undefined) col += ` COMMENT ${sqlString(c.comment)}`;
    return col;
  });
  const lines = [`CREATE TABLE IF NOT EXISTS ${tableName(catalog, table.target)} (`, columns.join(',\n'), ')', 'USING iceberg'];
  if (table.partitionBy.length > 0) lines.push(`PARTITIONED BY (${table.partitionBy.map(renderPartitionField).join(', ')})`);
  lines.push(`LOCATION ${sqlString(trimSlashes(table.location))}`);
  const props = tableProperties(table, options).map(([k, v]) => `  ${sqlString(k)}=${sqlString(v)}`);
  lines.push('TBLPROPERTIES (', props.join(',\n'), ')');
  return lines.join('\n');
}

/**
 * `ALTER TABLE … WRITE ORDERED BY …` (Iceberg SQL extensions), or null without `sortBy`.
 * See https://iceberg.apache.org/docs/latest/spark-ddl/#alter-table--write-ordered-by
 */
export function writeOrderSql(catalog: string, target: TableRef, sortBy: readonly string[]): string | null {
  if (sortBy.length === 0) return null;
  return `ALTER TABLE ${tableName(catalog, target)} WRITE ORDERED BY ${sortBy.map(renderSortField).join(', ')}`;
}

/** Every DDL statement of a migration table, in order: create, then write order. */
export function tableDdl(catalog: string, table: MigrationTable, options: CreateTableOptions = {}): string[] {
  const order = writeOrderSql(catalog, table.target, table.sortBy);
  return order === null ? [createTableSql(catalog, table, options)] : [createTableSql(catalog, table, options), order];
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}
