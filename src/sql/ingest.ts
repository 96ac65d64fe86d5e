/**
 * Writes of the ingestion phase that must survive re-reads: an incremental JDBC
 * read overlaps the previous one (look-back), and a retried run reads again
 * from the same watermark, so appends insert only the rows not already there.
 * See https://iceberg.apache.org/docs/latest/spark-writes/#merge-into
 */
import type { Column, TableRef } from '../ir/types.ts';
import { quoteIdent, sqlString, tableName } from './identifiers.ts';

/** Column the runtime fills with the raw text of a JSON message that does not parse. */
export const CORRUPT_COLUMN = '_lakestep_corrupt';
/** Struct column of the Kafka record (key, value, topic, partition, offset, timestamp) in a decoded batch. */
export const RECORD_COLUMN = '_kafka';

/**
 * `MERGE INTO target USING (SELECT cols FROM view) s ON <match> WHEN NOT MATCHED THEN INSERT`:
 * an append that skips rows already present, matched on `keys`, or null-safely on
 * every column when there are none (so a re-read row is never written twice).
 */
export function appendNewRowsSql(catalog: string, target: TableRef, view: string, keys: readonly string[], columns: readonly string[]): string {
  if (columns.length === 0) throw new Error(`append into ${target.database}.${target.table}: no columns`);
  const names = columns.map(quoteIdent);
  const match = keys.length > 0 ? keys.map((k) => `t.${quoteIdent(k)} = s.${quoteIdent(k)}`) : names.map((c) => `t.${c} <=> s.${c}`);
  return [
    `MERGE INTO ${tableName(catalog, target)} t`,
    `USING (SELECT ${names.join(', ')} FROM ${quoteIdent(view)}) s`,
    `ON ${match.join(' AND ')}`,
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((c) => `s.${c}`).join(', ')})`,
  ].join('\n');
}

/** Rows of a decoded JSON batch that parsed and have every required field. */
function validJson(columns: readonly Column[]): string {
  return [`${quoteIdent(CORRUPT_COLUMN)} IS NULL`, ...columns.filter((c) => !c.nullable).map((c) => `${quoteIdent(c.name)} IS NOT NULL`)].join(' AND ');
}

/** The target's columns from a decoded batch (by name), without the messages that go to the dead letter. */
export function kafkaSelectSql(view: string, columns: readonly Column[], json: boolean): string {
  const select = `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(view)}`;
  return json ? `${select} WHERE ${validJson(columns)}` : select;
}

/** Columns of a raw Kafka record as the runtime decodes it. */
export const RAW_KAFKA_COLUMNS: Column[] = [
  { name: 'key', type: 'string', nullable: true },
  { name: 'value', type: 'string', nullable: true },
  { name: 'topic', type: 'string', nullable: true },
  { name: 'partition', type: 'int', nullable: true },
  { name: 'offset', type: 'bigint', nullable: true },
  { name: 'timestamp', type: 'timestamp', nullable: true },
];

/** Dead-letter table columns: the Kafka record as is, and why it was refused. */
export const DEAD_LETTER_COLUMNS: Column[] = [...RAW_KAFKA_COLUMNS, { name: 'error', type: 'string', nullable: true }];

/** The refused messages of a decoded JSON batch, as {@link DEAD_LETTER_COLUMNS}. */
export function deadLetterSelectSql(view: string, columns: readonly Column[]): string {
  const r = quoteIdent(RECORD_COLUMN);
  const missing = columns.filter((c) => !c.nullable).map((c) => `WHEN ${quoteIdent(c.name)} IS NULL THEN ${sqlString(`missing required field ${c.name}`)}`);
  const error = `CASE WHEN ${quoteIdent(CORRUPT_COLUMN)} IS NOT NULL THEN 'malformed JSON' ${missing.join(' ')} END`;
  const raw = ['key', 'value', 'topic', 'partition', 'offset', 'timestamp'].map((f) => `${r}.${quoteIdent(f)} AS ${quoteIdent(f)}`);
  return `SELECT ${[...raw, `${error} AS ${quoteIdent('error')}`].join(', ')} FROM ${quoteIdent(view)} WHERE NOT (${validJson(columns)})`;
}
