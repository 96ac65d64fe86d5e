/**
 * The S3 locations a workflow's Spark jobs read and write, beyond what follows
 * from its Glue databases: a migration's landing prefix and table locations, Kafka
 * checkpoints, the files any job's Spark parameters load (`--py-files`, `--jars`
 * …), and for custom `spark:` jobs the entry point and the prefixes of
 * `spark.reads` (read) and `spark.writes` (read and write). Free-form arguments
 * grant nothing. Every location here was confined to the use case's own
 * prefixes when it was normalized (src/ir/locations.ts); infra scopes the use
 * case's Spark job role to exactly these (DESIGN §7).
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html
 */
import { s3UrisIn } from '../ir/locations.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import type { WorkflowStorage } from './types.ts';

/** Storage of one workflow; lists are sorted and without duplicates. */
export function storageFor(w: Workflow, platform: Platform): WorkflowStorage {
  const read = new Set<string>();
  const readWrite = new Set<string>();
  const files = (parameters: string) => {
    for (const { uri } of s3UrisIn(parameters, { dag: w.name, useCase: w.useCase })) read.add(uri.replace(/^s3[an]?:/i, 's3:'));
  };
  const body = w.body;
  if (body.kind === 'migration') {
    // Every table lands below the migration's landing (DataSync writes nothing else there):
    // one prefix, not one per table, keeps a 2,000-table migration's role inside IAM's quota.
    read.add(body.migration.landing);
    for (const t of body.migration.tables) {
      readWrite.add(withSlash(t.location));
      files(t.sparkSubmitParameters);
    }
  } else if (body.kind === 'ingestion') {
    for (const k of body.ingestion.kafka) readWrite.add(withSlash(k.checkpoint));
    for (const s of [...body.ingestion.batch, ...body.ingestion.kafka]) files(s.sparkSubmitParameters);
  } else if (body.kind === 'spark') {
    read.add(body.spark.entrypoint);
    files(body.spark.sparkSubmitParameters);
    for (const p of body.spark.reads.paths) read.add(p.uri);
    for (const p of body.spark.writes.paths) readWrite.add(p.uri);
  }
  files(platform.defaults.sparkSubmitParameters);
  return { read: [...read].sort(), readWrite: [...readWrite].sort() };
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
