/** `migration.yaml` → {@link Migration}: tables, layouts, DataSync and landing paths. */
import { tableLocation } from './index-platform.ts';
import { parsePartitionField } from '../sql/partition.ts';
import { parseSortField } from '../sql/sort.ts';
import { isWatermarkType } from '../sql/types.ts';
import { joinPointer } from '../spec/files.ts';
import type { MigrationSpec, MigrationTableSpec } from '../spec/types.ts';
import { columns, submitParameters } from './checks.ts';
import { checkDataSync, type DataSyncBlock, tableTransfer } from './datasync.ts';
import { at, fail, platformDatabases, skipped, warn, type PhaseContext } from './context.ts';
import { locationProblem } from './locations.ts';
import { normalizeQuality } from './quality.ts';
import type { Column, MigrationTable, PartitionField, WorkflowBody } from './types.ts';

const TIME_TRANSFORMS = new Set(['years', 'months', 'days', 'hours']);

export function normalizeMigration(ctx: PhaseContext, spec: MigrationSpec): WorkflowBody | undefined {
  let ok = true;
  const landing = withSlash(spec.landing ?? `s3://${ctx.platform.buckets.landing}/${ctx.useCase}/`);
  // DataSync writes the landing files and may delete there: only under the use case's own prefixes.
  const landingProblem = spec.landing === undefined ? undefined : locationProblem(landing, 'write', { platform: ctx.platform, useCase: ctx.useCase, databases: platformDatabases(ctx.index) });
  if (landingProblem) {
    fail(ctx, 'MIGRATION_LANDING_LOCATION', landingProblem, '/landing');
    ok = false;
  }
  const seen = new Set<string>();
  const tables: MigrationTable[] = [];
  const shared: DataSyncBlock | undefined = spec.datasync ? { spec: spec.datasync, pointer: '/datasync', shared: true } : undefined;
  const sharedOk = shared === undefined || checkDataSync(ctx, shared);
  if (!sharedOk) ok = false;
  for (const [i, t] of spec.tables.entries()) {
    const p = `/tables/${i}`;
    if (skipped(ctx, p)) {
      ok = false;
      continue;
    }
    if (seen.has(t.name)) {
      fail(ctx, 'MIGRATION_DUPLICATE_TABLE', `table '${t.name}' is listed twice`, `${p}/name`);
      ok = false;
    }
    seen.add(t.name);
    const table = normalizeTable(ctx, spec.database, landing, t, p, shared, sharedOk);
    if (!table) ok = false;
    else if (t.enabled !== false) tables.push(table);
  }
  if (ok && tables.length === 0) {
    fail(ctx, 'MIGRATION_NO_TABLES', 'every table is disabled: nothing to migrate', '/tables');
    ok = false;
  }
  if (!ok) return undefined;
  return { kind: 'migration', migration: { database: spec.database, landing, maxConcurrency: spec.max_concurrency ?? 4, tables, origin: at(ctx, '') } };
}

function normalizeTable(ctx: PhaseContext, database: string, landing: string, t: MigrationTableSpec, p: string, shared: DataSyncBlock | undefined, sharedOk: boolean): MigrationTable | undefined {
  const cols = columns(ctx, t.columns, `${p}/columns`, 'MIGRATION_COLUMN');
  if (!cols) return undefined;
  let ok = true;
  const has = (c: string) => cols.find((x) => x.name === c);
  const partitionBy: PartitionField[] = [];
  for (const [j, text] of (t.partition_by ?? []).entries()) {
    const f = partition(ctx, text, joinPointer(p, 'partition_by', j), has);
    if (f) partitionBy.push(f);
    else ok = false;
  }
  for (const [j, text] of (t.sort_by ?? []).entries()) {
    const f = parseSortField(text);
    const problem = typeof f === 'string' ? f : has(f.column) ? undefined : `sort column '${f.column}' is not a column of table '${t.name}'`;
    if (problem) {
      fail(ctx, 'MIGRATION_SORT', problem, joinPointer(p, 'sort_by', j));
      ok = false;
    }
  }
  if (t.watermark_column !== undefined) {
    const c = has(t.watermark_column);
    if (!c || !isWatermarkType(c.type)) {
      fail(ctx, 'MIGRATION_WATERMARK_COLUMN', c ? `watermark column '${c.name}' is ${c.type}; it must be a timestamp or date` : `watermark column '${t.watermark_column}' is not a column of table '${t.name}'`, `${p}/watermark_column`);
      ok = false;
    }
  }
  // Spec keys never meet a prototype (`__proto__`, `constructor`).
  const properties: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(t.source.options ?? {})) {
    if (key.toLowerCase() === 'path') {
      fail(ctx, 'MIGRATION_RESERVED_OPTION', "reader option 'path' is set by lakestep (the table's landing path)", joinPointer(p, 'source', 'options', key), true);
      ok = false;
    }
  }
  for (const [k, v] of Object.entries(t.properties ?? {})) {
    if (k === 'write.data.path' || k === 'format-version') {
      fail(ctx, 'MIGRATION_RESERVED_PROPERTY', `'${k}' is set by lakestep (the layer's bucket and Iceberg format v2)`, joinPointer(p, 'properties', k), true);
      ok = false;
    } else properties[k] = String(v);
  }
  const block: DataSyncBlock | undefined = t.datasync ? { spec: t.datasync, pointer: `${p}/datasync`, shared: false } : shared;
  if (!block) {
    fail(ctx, 'MIGRATION_DATASYNC_MISSING', `table '${t.name}' has no \`datasync\` and the migration none to share: name a task (\`task_arn\`) or a \`location\``, p);
    return undefined;
  }
  const { quality, ok: qualityOk } = normalizeQuality(ctx, {
    table: { database, table: t.name },
    checks: t.checks,
    freshness: t.freshness,
    checksPointer: `${p}/checks`,
    freshnessPointer: `${p}/freshness`,
    columns: cols,
  });
  if (!qualityOk) ok = false;
  if (t.datasync ? !checkDataSync(ctx, block) : !sharedOk) ok = false;
  const transfer = ok ? tableTransfer(ctx, block, { name: t.name, hdfsPath: t.source.hdfs_path }, landing, p) : undefined;
  if (!ok || !transfer) return undefined;
  const layer = t.layer ?? 'raw';
  return {
    name: t.name,
    target: { database, table: t.name },
    layer,
    location: tableLocation(ctx.platform, layer, database, t.name),
    sourcePath: t.source.hdfs_path,
    format: t.source.format,
    formatOptions: t.source.options ?? {},
    ...transfer,
    columns: cols,
    partitionBy,
    sortBy: t.sort_by ?? [],
    ...(t.watermark_column === undefined ? {} : { watermarkColumn: t.watermark_column }),
    properties,
    sparkSubmitParameters: submitParameters(ctx, t.spark_submit_parameters, `${p}/spark_submit_parameters`),
    ...(quality ? { quality } : {}),
    origin: at(ctx, p),
  };
}

function partition(ctx: PhaseContext, text: string, pointer: string, has: (c: string) => Column | undefined): PartitionField | undefined {
  const f = parsePartitionField(text);
  let problem: string | undefined;
  if (typeof f === 'string') {
    const unbalanced = (text.match(/\(/g) ?? []).length !== (text.match(/\)/g) ?? []).length;
    problem = unbalanced ? `${f}: YAML splits a flow list [a, b] at every comma, so quote the entry: ["bucket(16, id)"]` : f;
  }
  else if (!has(f.column)) problem = `partition column '${f.column}' is not a column of the table`;
  else if (TIME_TRANSFORMS.has(f.transform) && !isWatermarkType(has(f.column)!.type)) problem = `${f.transform}(${f.column}) needs a timestamp or date column; '${f.column}' is ${has(f.column)!.type}`;
  else if (f.transform === 'hours' && has(f.column)!.type === 'date') problem = `hours(${f.column}) needs a timestamp column; '${f.column}' is a date`;
  if (problem) {
    fail(ctx, 'MIGRATION_PARTITION', problem, pointer);
    return undefined;
  }
  return f as PartitionField;
}

function withSlash(s: string): string {
  return s.endsWith('/') ? s : `${s}/`;
}
