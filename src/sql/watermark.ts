/**
 * Watermarks are timestamps rendered in one fixed-width UTC format, so that
 * string order is time order (DynamoDB's conditional "never backwards" update
 * compares strings) and Spark reads them back with `CAST(… AS TIMESTAMP)`.
 * Microseconds are kept: Spark timestamps have microsecond precision, and a
 * coarser watermark would skip or re-read rows at the boundary.
 * See https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html
 */
import { quoteIdent, sqlString } from './identifiers.ts';

/** Spark datetime pattern of every watermark: `2024-05-01T12:30:00.000000Z`. */
export const WATERMARK_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'";

/**
 * Spark configuration the jobs running generated SQL need (add each as
 * `--conf k=v` to SparkSubmitParameters). The session time zone must be UTC
 * because `date_format` renders in the session zone and the pattern says `Z`.
 */
export const SESSION_TIME_ZONE_CONF = 'spark.sql.session.timeZone=UTC';

/** `date_format(<expr>, '<pattern>')`: one timestamp value as a watermark string. */
export function formatWatermark(expr: string): string {
  return `date_format(${expr}, ${sqlString(WATERMARK_PATTERN)})`;
}

/**
 * The incremental predicate on `alias.column`: every row when the watermark
 * parameter is empty (first run), else rows strictly newer than it.
 */
export function newerThanWatermark(alias: string, column: string, parameter = 'watermark'): string {
  const col = `${aliasName(alias)}.${quoteIdent(column)}`;
  const p = parameterMarker(parameter);
  return `(${p} = '' OR ${col} > CAST(${p} AS TIMESTAMP))`;
}

/** A table alias, checked to be a plain identifier and written unquoted. */
export function aliasName(alias: string): string {
  quoteIdent(alias);
  return alias;
}

/** `:name`, after checking the name is a plain identifier. */
export function parameterMarker(name: string): string {
  quoteIdent(name);
  return `:${name}`;
}
