/** `ingestion.yaml` → {@link Ingestion}: JDBC batch sources and Kafka sources. */
import { MAX_IDENTIFIER_LENGTH } from '../sql/identifiers.ts';
import { jdbcQueryProblem } from '../sql/jdbc-query.ts';
import { parseDuration } from '../spec/duration.ts';
import { joinPointer } from '../spec/files.ts';
import type { BatchSourceSpec, IngestionSpec, KafkaSourceSpec } from '../spec/types.ts';
import { columns, identifier, knownColumns, submitParameters, tableRef } from './checks.ts';
import { at, fail, findTable, skipped, warn, type PhaseContext } from './context.ts';
import { normalizeQuality } from './quality.ts';
import { requireNetwork } from './network.ts';
import { secretKey } from './secret-key.ts';
import { checkSecretUse } from './shared-secrets.ts';
import type { BatchSource, KafkaSource, TableRef, WorkflowBody } from './types.ts';
import { RAW_KAFKA_COLUMNS } from '../sql/ingest.ts';

/** Default `lookback` of incremental JDBC sources. */
const DEFAULT_LOOKBACK = '15m';

export function normalizeIngestion(ctx: PhaseContext, spec: IngestionSpec): WorkflowBody | undefined {
  let ok = true;
  const names = new Set<string>();
  const unique = (name: string, p: string) => {
    if (names.has(name)) {
      fail(ctx, 'INGESTION_DUPLICATE_SOURCE', `source '${name}' is defined more than once`, `${p}/name`);
      ok = false;
    }
    names.add(name);
  };
  const batch: BatchSource[] = [];
  for (const [i, s] of (spec.batch ?? []).entries()) {
    if (skipped(ctx, `/batch/${i}`)) {
      ok = false;
      continue;
    }
    unique(s.name, `/batch/${i}`);
    const b = normalizeBatch(ctx, s, `/batch/${i}`);
    if (b && s.enabled !== false && !requireNetwork(ctx, 'JDBC', s.name, `/batch/${i}/source`)) ok = false;
    if (!b) ok = false;
    else if (s.enabled !== false) batch.push(b);
  }
  const kafka: KafkaSource[] = [];
  for (const [i, s] of (spec.micro_batch ?? []).entries()) {
    if (skipped(ctx, `/micro_batch/${i}`)) {
      ok = false;
      continue;
    }
    unique(s.name, `/micro_batch/${i}`);
    const k = normalizeKafka(ctx, s, `/micro_batch/${i}`);
    if (k && s.enabled !== false && !requireNetwork(ctx, 'Kafka', s.name, `/micro_batch/${i}/source`)) ok = false;
    if (!k) ok = false;
    else if (s.enabled !== false) kafka.push(k);
  }
  if (ok && batch.length + kafka.length === 0) {
    fail(ctx, 'INGESTION_NO_SOURCES', 'every source is disabled: nothing to ingest', '');
    ok = false;
  }
  return ok ? { kind: 'ingestion', ingestion: { batch, kafka, origin: at(ctx, '') } } : undefined;
}

function normalizeBatch(ctx: PhaseContext, s: BatchSourceSpec, p: string): BatchSource | undefined {
  let ok = true;
  const target = tableRef(ctx, s.target, `${p}/target`);
  if (!target) ok = false;
  if ((s.source.table === undefined) === (s.source.query === undefined)) {
    fail(ctx, 'INGESTION_TABLE_OR_QUERY', 'give exactly one of `table` and `query`', `${p}/source`);
    ok = false;
  }
  if (s.source.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_$#]*(\.[A-Za-z_][A-Za-z0-9_$#]*)?$/.test(s.source.table)) {
    fail(ctx, 'INGESTION_SOURCE_TABLE', `'${s.source.table}' is not a valid <schema>.<table> name`, `${p}/source/table`);
    ok = false;
  }
  if (!checkSecretUse(ctx, s.source.secret_arn, `${p}/source/secret_arn`)) ok = false;
  const queryProblem = s.source.query === undefined ? undefined : jdbcQueryProblem(s.source.query, s.source.engine);
  if (queryProblem) {
    fail(ctx, 'INGESTION_QUERY', queryProblem.message, `${p}/source/query`, false, queryProblem.offset);
    ok = false;
  }
  const keys = s.keys ?? [];
  for (const [j, k] of keys.entries()) if (!identifier(ctx, k, joinPointer(p, 'keys', j), 'key')) ok = false;
  if (s.mode === 'merge' && keys.length === 0) {
    fail(ctx, 'INGESTION_MERGE_KEYS', 'mode merge needs `keys`', `${p}/mode`);
    ok = false;
  }
  if (s.incremental_column !== undefined && !identifier(ctx, s.incremental_column, `${p}/incremental_column`, 'incremental column')) ok = false;
  const part = s.partitioning;
  if (part) {
    if (!identifier(ctx, part.column, `${p}/partitioning/column`, 'partition column')) ok = false;
    if (part.lower >= part.upper) {
      fail(ctx, 'INGESTION_PARTITIONING', `lower (${part.lower}) must be below upper (${part.upper})`, `${p}/partitioning`);
      ok = false;
    }
  }
  const declared = s.columns === undefined ? [] : columns(ctx, s.columns, `${p}/columns`, 'INGESTION_COLUMN');
  if (!declared) ok = false;
  let targetColumns: string[] = (declared ?? []).map((c) => c.name);
  if (target && declared && declared.length === 0) {
    const known = findTable(ctx.index, `${target.database}.${target.table}`);
    if (!known || known.columns.length === 0) {
      fail(ctx, 'INGESTION_TARGET_NOT_CREATED', `no migration of the platform creates ${target.database}.${target.table}: declare its \`columns\` so the job creates it`, `${p}/target`);
      ok = false;
    } else targetColumns = known.columns;
  }
  if (target && declared && declared.length > 0 && !landsIn(ctx, target, declared.map((c) => c.name), `JDBC source '${s.name}' writes`, `${p}/columns`)) ok = false;
  if (target && targetColumns.length > 0) {
    const table = { fqn: `${target.database}.${target.table}`, columns: targetColumns };
    if (!knownColumns(ctx, [...keys, s.incremental_column], table, [...keys.map((_, j) => joinPointer(p, 'keys', j)), `${p}/incremental_column`], 'INGESTION_UNKNOWN_COLUMN')) ok = false;
  }
  const lookbackSeconds = parseDuration(s.lookback ?? DEFAULT_LOOKBACK);
  if (lookbackSeconds === undefined) {
    fail(ctx, 'INGESTION_LOOKBACK', `'${s.lookback}' is not a duration like 15m or 2h`, `${p}/lookback`);
    ok = false;
  }
  const { quality, ok: qualityOk } = target
    ? normalizeQuality(ctx, { table: target, checks: s.checks, freshness: s.freshness, checksPointer: `${p}/checks`, freshnessPointer: `${p}/freshness`, keys, ...(declared?.length ? { columns: declared } : {}) })
    : { ok: true };
  if (!qualityOk) ok = false;
  const key = secretKey(ctx, s.source.secret_arn, s.source.kms_key_arn, `${p}/source/kms_key_arn`);
  if (!key || !ok) return undefined;
  return {
    name: s.name,
    engine: s.source.engine,
    secretArn: s.source.secret_arn,
    ...key,
    ...(s.source.table === undefined ? {} : { table: s.source.table }),
    ...(s.source.query === undefined ? {} : { query: s.source.query }),
    fetchSize: s.source.fetch_size ?? 10_000,
    target: target!,
    mode: s.mode,
    keys,
    ...(s.incremental_column === undefined ? {} : { incrementalColumn: s.incremental_column }),
    lookbackSeconds: lookbackSeconds!,
    columns: declared!,
    targetColumns,
    ...(part ? { partitioning: part } : {}),
    sparkSubmitParameters: submitParameters(ctx, s.spark_submit_parameters, `${p}/spark_submit_parameters`),
    ...(quality ? { quality } : {}),
    origin: at(ctx, p),
  };
}

/** The dead-letter table of a JSON source is its target's name plus this. */
export const DEAD_LETTER_SUFFIX = '_dead_letter';

function normalizeKafka(ctx: PhaseContext, s: KafkaSourceSpec, p: string): KafkaSource | undefined {
  let ok = true;
  const target = tableRef(ctx, s.target, `${p}/target`);
  if (!target) ok = false;
  if (!checkSecretUse(ctx, s.source.bootstrap_servers_secret_arn, `${p}/source/bootstrap_servers_secret_arn`)) ok = false;
  const mode = s.mode ?? 'micro_batch';
  if (mode === 'streaming' && s.trigger !== undefined) {
    fail(ctx, 'INGESTION_TRIGGER', '`trigger` applies to micro-batch sources; a streaming source runs continuously', `${p}/trigger`);
    ok = false;
  }
  // Documented default: parse json with `columns` when they are given, else keep raw key, value and metadata.
  const format = s.source.format ?? ((s.columns ?? []).length ? 'json' : 'raw');
  if (format === 'avro') {
    fail(ctx, 'INGESTION_KAFKA_FORMAT', 'avro payloads need a schema registry, which lakestep does not read yet; use json with `columns`, or raw', `${p}/source/format`);
    ok = false;
  }
  const cols = columns(ctx, s.columns ?? [], `${p}/columns`, 'INGESTION_COLUMN');
  if (!cols) ok = false;
  if (format === 'json' && target && target.table.length + DEAD_LETTER_SUFFIX.length > MAX_IDENTIFIER_LENGTH) {
    fail(ctx, 'INGESTION_DEAD_LETTER_NAME', `messages that do not parse land in '${target.table}${DEAD_LETTER_SUFFIX}', longer than the ${MAX_IDENTIFIER_LENGTH} characters a Glue table name may have: shorten the target to at most ${MAX_IDENTIFIER_LENGTH - DEAD_LETTER_SUFFIX.length} characters`, `${p}/target`);
    ok = false;
  }
  if (format === 'json' && (s.columns ?? []).length === 0) {
    fail(ctx, 'INGESTION_KAFKA_COLUMNS', '`format: json` needs `columns` (the schema to parse them with); leave both out to land raw key, value and metadata', `${p}/source/format`);
    ok = false;
  }
  if (target && cols && format !== 'avro') {
    const written = format === 'json' ? cols.map((c) => c.name) : RAW_KAFKA_COLUMNS.map((c) => c.name);
    const what = format === 'json' ? `Kafka source '${s.name}' writes` : `Kafka source '${s.name}' lands raw records (no \`columns\`) as`;
    if (!landsIn(ctx, target, written, what, format === 'json' ? `${p}/columns` : `${p}/target`)) ok = false;
  }
  let startFromWatermark: KafkaSource['startFromWatermark'];
  if (s.start_from_watermark !== undefined) {
    const [uc, table] = s.start_from_watermark.includes('/') ? (s.start_from_watermark.split('/', 2) as [string, string]) : [ctx.useCase, s.start_from_watermark];
    const migrated = ctx.index.get(uc)?.migrationTables.get(table);
    if (!migrated) {
      fail(ctx, 'INGESTION_WATERMARK_TABLE', `'${s.start_from_watermark}' is not a migrated table${uc === ctx.useCase ? ' of this use case' : ` of use case '${uc}'`}: the first run starts at the watermark its migration records`, `${p}/start_from_watermark`);
      ok = false;
    } else if (!migrated.watermarkColumn) {
      fail(ctx, 'INGESTION_WATERMARK_TABLE', `migrated table '${table}' has no \`watermark_column\`, so its migration records no watermark`, `${p}/start_from_watermark`);
      ok = false;
    } else {
      const [database = '', name = ''] = migrated.fqn.split('.');
      startFromWatermark = { useCase: uc, table, target: { database, table: name } };
    }
  }
  const { quality, ok: qualityOk } = target
    ? normalizeQuality(ctx, { table: target, checks: s.checks, freshness: s.freshness, checksPointer: `${p}/checks`, freshnessPointer: `${p}/freshness`, ...(format === 'raw' ? { columns: RAW_KAFKA_COLUMNS } : cols?.length ? { columns: cols } : {}) })
    : { ok: true };
  if (!qualityOk) ok = false;
  // A batch is checked on its own rows (its view), not the table: `unique` finds duplicates within the batch only.
  for (const [j, c] of (quality?.checks ?? []).entries()) {
    if (c.kind === 'unique') warn(ctx, 'CHECK_BATCH_SCOPE', `unique(${c.columns.join(', ')}) on a Kafka source compares the rows of each batch with one another, not with the rows already in ${target!.database}.${target!.table} (reading the whole table every batch would not keep up): a row duplicating an earlier batch's passes; write the rows through a merge on these keys, or check the table with a sql: check`, joinPointer(`${p}/checks`, j));
  }
  if (mode === 'streaming' && s.checks !== undefined) {
    warn(ctx, 'CHECK_NOT_GATED', `a streaming source never ends a batch before the next: its checks cannot keep rows from being published, so they run after each batch commits, as warnings`, `${p}/checks`);
  }
  const key = secretKey(ctx, s.source.bootstrap_servers_secret_arn, s.source.kms_key_arn, `${p}/source/kms_key_arn`);
  if (!key || !ok) return undefined;
  return {
    name: s.name,
    bootstrapServersSecretArn: s.source.bootstrap_servers_secret_arn,
    ...key,
    topics: s.source.topics,
    startingOffsets: s.source.starting_offsets ?? 'earliest',
    format: format as 'json' | 'raw',
    target: target!,
    mode,
    ...(startFromWatermark ? { startFromWatermark } : {}),
    checkpoint: `s3://${ctx.platform.buckets.artifacts}/lakestep/checkpoints/${ctx.useCase}/${s.name}/`,
    columns: cols!,
    sparkSubmitParameters: submitParameters(ctx, s.spark_submit_parameters, `${p}/spark_submit_parameters`),
    ...(quality ? { quality: mode === 'streaming' ? { ...quality, checks: quality.checks.map((c) => ({ ...c, severity: 'warn' as const })) } : quality } : {}),
    origin: at(ctx, p),
  };
}

/** Where the messages of a JSON source that do not parse land: `<table>_dead_letter` next to the target. */
export function deadLetterTable(target: TableRef): TableRef {
  return { database: target.database, table: `${target.table}${DEAD_LETTER_SUFFIX}` };
}

/**
 * A writer's columns must exist in its target, as the table's owner declares it (a
 * migration, or the source that creates it): Spark appends by name, and every run of a
 * writer whose columns cannot land fails with INCOMPATIBLE_DATA_FOR_TABLE.
 */
function landsIn(ctx: PhaseContext, target: TableRef, written: readonly string[], what: string, pointer: string): boolean {
  const known = findTable(ctx.index, `${target.database}.${target.table}`);
  if (!known || known.columns.length === 0) return true;
  const have = new Set(known.columns.map((c) => c.toLowerCase()));
  const missing = written.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length === 0) return true;
  fail(ctx, 'INGESTION_COLUMNS_MISMATCH', `${what} ${written.join(', ')}, but ${known.fqn} has no column ${missing.join(', ')} (its columns: ${known.columns.join(', ')}): declare \`columns\` that are columns of the table`, pointer);
  return false;
}
