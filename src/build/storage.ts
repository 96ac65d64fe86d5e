/**
 * The S3 locations a workflow's Spark jobs read and write, beyond what follows
 * from its Glue databases: a migration's landing prefix and table locations, Kafka
 * checkpoints, and for custom `spark:` jobs the entry point, the `--py-files` /
 * `--jars` / `--files` it loads and the `s3://` prefixes its arguments name.
 * infra scopes the use case's Spark job role to exactly these (DESIGN §7).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 */
import type { ArgPart, SparkJob, Workflow } from '../ir/types.ts';
import type { WorkflowStorage } from './types.ts';

const S3_URI = /s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[^\s,'"]*/g;

/** Storage of one workflow; lists are sorted and without duplicates. */
export function storageFor(w: Workflow): WorkflowStorage {
  const read = new Set<string>();
  const readWrite = new Set<string>();
  const body = w.body;
  if (body.kind === 'migration') {
    // Every table lands below the migration's landing (DataSync writes nothing else there):
    // one prefix, not one per table, keeps a 2,000-table migration's role inside IAM's quota.
    read.add(body.migration.landing);
    for (const t of body.migration.tables) readWrite.add(withSlash(t.location));
  } else if (body.kind === 'ingestion') {
    for (const k of body.ingestion.kafka) readWrite.add(withSlash(k.checkpoint));
  } else if (body.kind === 'spark') {
    sparkStorage(body.spark, read, readWrite);
  }
  return { read: [...read].sort(), readWrite: [...readWrite].sort() };
}

function sparkStorage(spark: SparkJob, read: Set<string>, readWrite: Set<string>): void {
  read.add(spark.entrypoint);
  for (const uri of spark.sparkSubmitParameters.match(S3_URI) ?? []) read.add(uri);
  for (const arg of spark.arguments) {
    const prefix = literalPrefix(arg);
    for (const uri of prefix.match(S3_URI) ?? []) readWrite.add(uri);
  }
}

/** The literal text of an argument up to its first run template (`s3://b/x/dt={{ ds }}/` → `s3://b/x/dt=`). */
function literalPrefix(parts: ArgPart[]): string {
  let text = '';
  for (const p of parts) {
    if ('template' in p) break;
    text += p.text;
  }
  return text;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
