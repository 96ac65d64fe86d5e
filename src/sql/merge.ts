/**
 * Incremental upserts of the processing phase with Iceberg `MERGE INTO`, and the
 * writes of batch ingestion from a temporary view.
 * See https://iceberg.apache.org/docs/latest/spark-writes/#merge-into
 */
import type { Merge, TableRef } from '../ir/types.ts';
import { qualifyExpression } from './expression.ts';
import { quoteIdent, tableName } from './identifiers.ts';
import { aliasName, formatWatermark, newerThanWatermark, parameterMarker } from './watermark.ts';

/** Column holding the row number of the deduplication; `UPDATE SET *` / `INSERT *` ignore it. */
export const ROW_NUMBER_COLUMN = '_lakestep_rn';

export interface MergeOptions {
  /** Parameter carrying the watermark of the last processed rows (default `watermark`). */
  watermarkParameter?: string;
  /**
   * Parameter carrying an upper bound (the value of {@link mergeWatermarkSql} taken
   * before the merge): rows newer than it wait for the next run, so the watermark
   * recorded afterwards never passes a row the merge did not see. Empty: no bound.
   */
  upperBoundParameter?: string;
}

/**
 * `MERGE INTO target t USING (deduplicated increment) s ON t.k = s.k …
 * WHEN MATCHED AND (<delete_when>) THEN DELETE WHEN MATCHED THEN UPDATE …
 * WHEN NOT MATCHED AND NOT (<delete_when>) THEN INSERT …`.
 * Bare column names in `deleteWhen` are read from the source row; a key first seen
 * already deleted is not inserted. With `orderBy`, the latest row per key wins
 * (`ROW_NUMBER() … = 1`) and, when the target has that column, a matched row is only
 * updated or deleted by a source row at least as new (a late row never regresses it);
 * without it the source must hold one row per key, or Iceberg fails the merge
 * rather than pick one. The increment starts `lateArrivalSeconds` before the
 * watermark, at the watermark included: rows committed late are still merged, and
 * merging a row twice changes nothing.
 * See https://iceberg.apache.org/docs/latest/spark-writes/#merge-into
 */
export function mergeSql(catalog: string, merge: Merge, options: MergeOptions = {}): string {
  if (merge.keys.length === 0) throw new Error(`merge ${merge.name}: no keys`);
  const src = `${tableName(catalog, merge.source)} src`;
  const filters: string[] = [];
  if (merge.incrementalColumn !== undefined) {
    filters.push(withinLookBack('src', merge.incrementalColumn, options.watermarkParameter ?? 'watermark', merge.lateArrivalSeconds ?? 0));
    if (options.upperBoundParameter !== undefined) filters.push(notNewerThan('src', merge.incrementalColumn, options.upperBoundParameter));
  }
  const where = filters.length > 0 ? ` WHERE ${filters.join(' AND ')}` : '';
  let source: string;
  if (merge.orderBy !== undefined) {
    const partition = merge.keys.map((k) => `src.${quoteIdent(k)}`).join(', ');
    const rn = quoteIdent(ROW_NUMBER_COLUMN);
    source =
      `(SELECT * FROM (SELECT src.*, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY src.${quoteIdent(merge.orderBy)} DESC) AS ${rn}` +
      ` FROM ${src}${where}) dedup WHERE ${rn} = 1)`;
  } else {
    source = `(SELECT src.* FROM ${src}${where})`;
  }
  const clauses: string[] = [];
  const orderBy = merge.orderBy;
  const guarded = orderBy !== undefined && (merge.columns.length === 0 || merge.columns.includes(orderBy));
  const asNew = guarded ? `(t.${quoteIdent(orderBy)} IS NULL OR s.${quoteIdent(orderBy)} >= t.${quoteIdent(orderBy)})` : undefined;
  const deleted = merge.deleteWhen === undefined ? undefined : `(${qualifyExpression(merge.deleteWhen, 's')})`;
  if (deleted !== undefined) clauses.push(`WHEN MATCHED AND ${[asNew, deleted].filter(Boolean).join(' AND ')} THEN DELETE`);
  clauses.push(...upsertClauses(merge.columns, asNew, deleted === undefined ? undefined : `NOT COALESCE(${deleted}, false)`));
  return [`MERGE INTO ${tableName(catalog, merge.target)} t`, `USING ${source} s`, `ON ${keyMatch(merge.keys)}`, ...clauses].join('\n');
}

/**
 * One row, one column: the newest incremental value among the source rows past
 * the current watermark, as a fixed-width UTC timestamp string (NULL: nothing new).
 * See https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html
 */
export function mergeWatermarkSql(catalog: string, merge: Merge, watermarkParameter = 'watermark'): string {
  if (merge.incrementalColumn === undefined) throw new Error(`merge ${merge.name}: no incremental column`);
  const col = `src.${quoteIdent(merge.incrementalColumn)}`;
  return (
    `SELECT ${formatWatermark(`max(${col})`)} AS ${quoteIdent('watermark')}` +
    ` FROM ${tableName(catalog, merge.source)} src WHERE ${newerThanWatermark('src', merge.incrementalColumn, watermarkParameter)}`
  );
}

/**
 * Writes the rows of a temporary view into a table: `append` = `INSERT INTO`,
 * `overwrite` = `INSERT OVERWRITE` (whole table under `partitionOverwriteMode=static`),
 * `merge` = `MERGE INTO … ON keys` with `UPDATE SET *` / `INSERT *` (by column name).
 * Inserts match columns by name (`BY NAME`, Spark 3.5), never by position, so a
 * view whose columns come in another order than the table's still lands right.
 * See https://iceberg.apache.org/docs/latest/spark-writes/
 */
export function writeFromViewSql(
  catalog: string,
  target: TableRef,
  view: string,
  mode: 'append' | 'merge' | 'overwrite',
  keys: readonly string[],
  columns: readonly string[] = [],
): string {
  const table = tableName(catalog, target);
  const select = columns.length > 0 ? columns.map(quoteIdent).join(', ') : '*';
  switch (mode) {
    case 'append':
      return `INSERT INTO ${table} BY NAME SELECT ${select} FROM ${quoteIdent(view)}`;
    case 'overwrite':
      return `INSERT OVERWRITE ${table} BY NAME SELECT ${select} FROM ${quoteIdent(view)}`;
    case 'merge':
      if (keys.length === 0) throw new Error(`merge into ${target.database}.${target.table}: no keys`);
      return [`MERGE INTO ${table} t`, `USING ${quoteIdent(view)} s`, `ON ${keyMatch(keys)}`, ...upsertClauses(columns)].join('\n');
  }
}

function keyMatch(keys: readonly string[]): string {
  return keys.map((k) => `t.${quoteIdent(k)} = s.${quoteIdent(k)}`).join(' AND ');
}

function upsertClauses(columns: readonly string[], matchedIf?: string, insertIf?: string): string[] {
  const matched = matchedIf === undefined ? 'WHEN MATCHED' : `WHEN MATCHED AND ${matchedIf}`;
  const notMatched = insertIf === undefined ? 'WHEN NOT MATCHED' : `WHEN NOT MATCHED AND ${insertIf}`;
  if (columns.length === 0) return [`${matched} THEN UPDATE SET *`, `${notMatched} THEN INSERT *`];
  const set = columns.map((c) => `t.${quoteIdent(c)} = s.${quoteIdent(c)}`).join(', ');
  const names = columns.map(quoteIdent).join(', ');
  const values = columns.map((c) => `s.${quoteIdent(c)}`).join(', ');
  return [`${matched} THEN UPDATE SET ${set}`, `${notMatched} THEN INSERT (${names}) VALUES (${values})`];
}

/** Rows from `seconds` before the watermark on, the watermark included (every row on a first run). */
function withinLookBack(alias: string, column: string, parameter: string, seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new Error(`invalid look-back ${seconds}`);
  const p = parameterMarker(parameter);
  const from = seconds === 0 ? `CAST(${p} AS TIMESTAMP)` : `CAST(${p} AS TIMESTAMP) - INTERVAL ${seconds} SECONDS`;
  return `(${p} = '' OR ${aliasName(alias)}.${quoteIdent(column)} >= ${from})`;
}

function notNewerThan(alias: string, column: string, parameter: string): string {
  const p = parameterMarker(parameter);
  return `(${p} = '' OR ${aliasName(alias)}.${quoteIdent(column)} <= CAST(${p} AS TIMESTAMP))`;
}
