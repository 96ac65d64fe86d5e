/**
 * Spark settings every job running generated SQL needs; the phase compilers add
 * them to SparkSubmitParameters.
 * See https://spark.apache.org/docs/latest/configuration.html#runtime-sql-configuration
 */
import { STATIC_OVERWRITE_CONF } from './conversion.ts';
import { SESSION_TIME_ZONE_CONF } from './watermark.ts';

/** `key=value` settings: whole-table `INSERT OVERWRITE`, and UTC watermarks. */
export const SQL_SPARK_CONF: readonly string[] = [STATIC_OVERWRITE_CONF, SESSION_TIME_ZONE_CONF];

/** `--conf k=v --conf …` for SparkSubmitParameters. */
export function sqlSparkConfArgs(): string {
  return SQL_SPARK_CONF.map((c) => `--conf ${c}`).join(' ');
}
