/**
 * Ingestion: JDBC batch and Kafka micro-batch sources run in one Spark job
 * (job start-up dominates short jobs); watermarks are read before it and
 * advanced after it committed. Streaming sources are long-running jobs started
 * only when no run of the same job is active.
 * @see https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-spark.html
 */
import { ON_FAILURE, ON_SUCCESS, specComment } from '../asl/frame.ts';
import type { State } from '../asl/types.ts';
import type { JobDocument, JobStep } from '../build/types.ts';
import type { Origin } from '../diagnostics.ts';
import type { BatchSource, Column, Ingestion, KafkaSource, Platform, TableRef } from '../ir/types.ts';
import { tableKey } from '../ir/access.ts';
import { deadLetterTable } from '../ir/ingestion.ts';
import { tableLocation } from '../ir/index-platform.ts';
import { STATIC_OVERWRITE_CONF } from '../sql/conversion.ts';
import { createNamespaceSql, createTableSql } from '../sql/ddl.ts';
import { quoteIdent, tableName } from '../sql/identifiers.ts';
import { appendNewRowsSql, DEAD_LETTER_COLUMNS, deadLetterSelectSql, kafkaSelectSql, RAW_KAFKA_COLUMNS } from '../sql/ingest.ts';
import { writeFromViewSql } from '../sql/merge.ts';
import { migrationWatermarkKey } from './migration.ts';
import { runtimeConf, INGESTION_PACKAGES, runtimeJobTask } from './runtime.ts';
import { streamingStates } from './streaming.ts';
import { checkSteps, freshnessTables, gatedSteps, type WritingStep } from './quality.ts';
import type { PhaseCompiler } from './types.ts';
import { afterJob } from './after-job.ts';
import { watermarkReads, type WatermarkUse } from './watermarks.ts';


export const compileIngestion: PhaseCompiler<Ingestion> = (ing, { workflow: w, platform }) => {
  const microBatch = ing.kafka.filter((k) => k.mode === 'micro_batch');
  const streaming = ing.kafka.filter((k) => k.mode === 'streaming');
  const reads: WatermarkUse[] = [];
  const batch: WritingStep[] = [];
  for (const [i, b] of ing.batch.entries()) {
    const param = `wm_${i}`;
    if (b.incrementalColumn) reads.push({ param, key: `ingestion/${w.useCase}/${w.name}/${b.name}`, label: b.name, advance: true, table: tableKey(b.target) });
    batch.push(...batchSteps(platform, b, i, b.incrementalColumn ? param : undefined).map((step) => ({ step, writes: step.kind === 'jdbc_extract' ? [b.target] : [] })));
  }
  // JDBC targets publish together after the last extract; each Kafka batch is audited and published on its own.
  const steps: JobStep[] = gatedSteps(platform, batch, ing.batch.flatMap((b) => (b.quality ? [b.quality] : [])));
  for (const [i, k] of microBatch.entries()) {
    const param = `start_${i}`;
    if (k.startFromWatermark) reads.push({ param, key: startKey(k), label: `${k.name} (migration watermark)`, advance: false });
    steps.push(...kafkaSteps(platform, k, `batch_${i}`, k.startFromWatermark ? param : undefined, 'available_now'));
  }
  const jobs: JobDocument[] = [];
  const doc = (job: string, s: JobStep[]): JobDocument => ({ version: 1, useCase: w.useCase, workflow: w.name, job, catalog: platform.catalog, steps: s });
  const states: Record<string, State> = {};
  const submit = [runtimeConf(platform), `--conf ${STATIC_OVERWRITE_CONF}`, `--packages ${INGESTION_PACKAGES.join(',')}`, platform.defaults.sparkSubmitParameters, ...ing.batch.map((b) => b.sparkSubmitParameters.replace(platform.defaults.sparkSubmitParameters, '').trim()), ...microBatch.map((k) => k.sparkSubmitParameters.replace(platform.defaults.sparkSubmitParameters, '').trim())]
    .filter(Boolean)
    .join(' ');

  // Streaming sources come last: they only start (or find running) long-lived jobs.
  const streamStates = streaming.map((k, i) => streamingStates(w, platform, k, doc(`stream-${k.name}`, kafkaSteps(platform, k, `stream_${i}`, undefined, 'continuous'))));
  const streamStart = streamStates[0]?.startAt ?? ON_SUCCESS;
  streamStates.forEach((s, i) => {
    jobs.push(s.job);
    Object.assign(states, s.states(streamStates[i + 1]?.startAt ?? ON_SUCCESS));
  });

  let startAt = streamStart;
  if (steps.length) {
    jobs.unshift(doc('ingest', steps));
    const ingest = jobs[0]!;
    const qualities = [...ing.batch, ...microBatch].flatMap((x) => (x.quality ? [x.quality] : []));
    const advances = afterJob({
      workflow: w,
      platform,
      job: 'ingest',
      audited: ingest.steps.some((s) => s.kind === 'audit' || (s.kind === 'kafka' && s.audit?.gated)),
      advances: reads.filter((r) => r.advance),
      freshness: freshnessTables(qualities),
      next: streamStart,
    });
    Object.assign(states, advances.states);
    const INGEST = `Ingest ${ing.batch.length + microBatch.length} source(s)`;
    const read = watermarkReads(reads, INGEST);
    Object.assign(states, read.states, {
      [INGEST]: runtimeJobTask({
        workflow: w,
        platform,
        job: 'ingest',
        params: Object.fromEntries(reads.map((r) => [r.param, `$.watermarks.${r.param}.value`])),
        sparkSubmitParameters: submit,
        comment: specComment(ing.origin, [...ing.batch, ...microBatch].map((s) => s.name).join(', ')),
        next: advances.startAt,
        failure: ON_FAILURE,
      }),
    });
    startAt = read.startAt;
  }
  return {
    startAt,
    states,
    jobs,
    resources: {
      emr: true,
      datasync: [],
      secrets: [...new Set([...ing.batch.map((b) => b.secretArn), ...ing.kafka.map((k) => k.bootstrapServersSecretArn)])].sort(),
      ...secretKeys([...ing.batch, ...ing.kafka]),
    },
    sparkJobs: (steps.length ? 1 : 0) + streaming.length,
  };
};

/** `secretKeys`: the customer managed keys of the sources' secrets, when any. */
function secretKeys(sources: readonly { kmsKeyArn?: string }[]): { secretKeys?: string[] } {
  const keys = [...new Set(sources.flatMap((s) => (s.kmsKeyArn ? [s.kmsKeyArn] : [])))].sort();
  return keys.length ? { secretKeys: keys } : {};
}

function startKey(k: KafkaSource): string {
  return migrationWatermarkKey(k.startFromWatermark!.target);
}

function batchSteps(platform: Platform, b: BatchSource, i: number, param: string | undefined): JobStep[] {
  const view = `src_${i}`;
  const writeSql =
    b.mode === 'append'
      ? appendNewRowsSql(platform.catalog, b.target, view, b.keys, b.targetColumns)
      : writeFromViewSql(platform.catalog, b.target, view, b.mode, b.keys, b.targetColumns);
  return [
    ...(b.columns.length > 0 ? createSteps(platform, b.name, b.target, b.columns, b.origin) : []),
    {
      kind: 'jdbc_extract',
      name: b.name,
      engine: b.engine,
      secretArn: b.secretArn,
      ...(b.table === undefined ? {} : { table: b.table }),
      ...(b.query === undefined ? {} : { query: b.query }),
      fetchSize: b.fetchSize,
      ...(b.partitioning ? { partitioning: b.partitioning } : {}),
      ...(b.incrementalColumn && param ? { incrementalColumn: b.incrementalColumn, watermarkParameter: param, lookbackSeconds: b.lookbackSeconds } : {}),
      view,
      writeSql,
    },
  ];
}

/** `CREATE NAMESPACE` and `CREATE TABLE IF NOT EXISTS` of a table an ingestion source creates. */
function createSteps(platform: Platform, source: string, target: TableRef, columns: Column[], origin: Origin, suffix = 'table'): JobStep[] {
  const table = {
    name: target.table,
    target,
    layer: 'raw' as const,
    location: tableLocation(platform, 'raw', target.database, target.table),
    sourcePath: '',
    format: 'parquet' as const,
    formatOptions: {},
    landingPath: '',
    datasyncTaskArn: '',
    columns,
    partitionBy: [],
    sortBy: [],
    properties: {},
    sparkSubmitParameters: '',
    origin,
  };
  return [
    { kind: 'sql', name: `${source} namespace`, sql: createNamespaceSql(platform.catalog, target.database) },
    { kind: 'sql', name: `${source} ${suffix}`, sql: createTableSql(platform.catalog, table) },
  ];
}


function kafkaSteps(platform: Platform, k: KafkaSource, view: string, param: string | undefined, trigger: 'available_now' | 'continuous'): JobStep[] {
  const json = k.format === 'json';
  const columns = json ? k.columns : RAW_KAFKA_COLUMNS;
  const dead = deadLetterTable(k.target);
  return [
    ...createSteps(platform, k.name, k.target, columns, k.origin),
    ...(json ? createSteps(platform, k.name, dead, DEAD_LETTER_COLUMNS, k.origin, 'dead-letter table').slice(1) : []),
    {
      kind: 'kafka',
      name: k.name,
      bootstrapServersSecretArn: k.bootstrapServersSecretArn,
      topics: k.topics,
      startingOffsets: k.startingOffsets,
      ...(param ? { startingTimestampParameter: param } : {}),
      checkpoint: k.checkpoint,
      format: k.format,
      ...(json ? { schemaDdl: k.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ') } : {}),
      view,
      target: tableName(platform.catalog, k.target),
      selectSql: kafkaSelectSql(view, columns, json),
      ...(json ? { deadLetter: { target: tableName(platform.catalog, dead), selectSql: deadLetterSelectSql(view, k.columns) } } : {}),
      trigger,
      ...(k.quality?.checks.length
        ? {
            audit: {
              key: tableKey(k.target),
              retainDays: platform.quality.branchRetentionDays,
              attempts: platform.quality.publishAttempts,
              gated: trigger === 'available_now',
              rowsView: `${view}_rows`,
              checks: checkSteps(platform, k.quality, `${view}_rows`),
            },
          }
        : {}),
    },
  ];
}
