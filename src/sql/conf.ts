/**
 * Spark settings every job running generated SQL needs; the phase compilers add
 * them to SparkSubmitParameters.
 * See https://spark.apache.org/docs/latest/configuration.html#runtime-sql-configuration
 */
import { STATIC_OVERWRITE_CONF } from './conversion.ts';
import { SESSION_TIME_ZONE_CONF } from './watermark.ts';

/**
 * Spark replaces `${var}`, `${env:NAME}`, `${system:name}` and `${spark:key}` anywhere in a SQL text before
 * parsing it — in string literals, comments and quoted names too — by default. Off, a statement runs as
 * written and analysed: nothing hidden in a comment becomes a table name, and no environment variable or setting
 * of the job is copied into a table. (User SQL files refuse `${` anyway, src/sql/analysis/index.ts.)
 * @see https://spark.apache.org/docs/3.5.6/configuration.html#runtime-sql-configuration
 */
export const VARIABLE_SUBSTITUTION_OFF = 'spark.sql.variable.substitute=false';

/** `key=value` settings: whole-table `INSERT OVERWRITE`, and UTC watermarks. */
export const SQL_SPARK_CONF: readonly string[] = [STATIC_OVERWRITE_CONF, SESSION_TIME_ZONE_CONF];

/** `--conf k=v --conf …` for SparkSubmitParameters. */
export function sqlSparkConfArgs(): string {
  return SQL_SPARK_CONF.map((c) => `--conf ${c}`).join(' ');
}
