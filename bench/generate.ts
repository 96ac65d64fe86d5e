/**
 * A synthetic but realistic specs tree, in memory: `platform.yaml` plus N use
 * cases with five dags each, one of every kind, shaped like the example specs
 * under `specs/` with names varied by index.
 *
 *   <domain>-migration    3–5 tables: columns, partition_by, watermark_column, DataSync task ARN
 *   <domain>-ingestion    a JDBC batch source (merge into a migrated table) and a Kafka
 *                         micro-batch source starting from a migration watermark;
 *                         depends on the migration, runs on a rate schedule
 *   <domain>-upserts      processing.yaml merges: Kafka events → current-status table;
 *                         depends on the ingestion (and, for some, on another use case's ingestion)
 *   <domain>-maintenance  maintenance.yaml with two schedule groups
 *   <domain>-report       custom `spark:` job with run templates in its arguments; either
 *                         scheduled or downstream of the upserts (and another use case's upserts)
 *
 * Cross-use-case dependencies always point to a use case with a lower index, so
 * the tree has no cycles. Same seed and size → byte-identical files.
 */
import type { SourceFile } from '../src/spec/files.ts';

export interface GenerateOptions {
  useCases: number;
  seed?: number;
  /**
   * The first use case migrates this many tables instead of 3–5, all through
   * one DataSync task (`datasync` with `source_path`), and every other use case
   * migrates its database through one task of its own. A task cannot serve two
   * use cases: each one's landing is confined to its own prefix of the landing
   * bucket, and a task has one destination. So the platform references one task
   * per migrating use case (past DataSync's 100 per region at 100 use cases).
   */
  bigMigration?: number;
}

export interface GeneratedTree {
  sources: SourceFile[];
  useCases: string[];
  /** Dags declared over all use cases. */
  dags: number;
  /** Dags with two upstreams (they compile to a join machine as well). */
  twoUpstreamDags: number;
  /** `depends_on` entries naming a dag of another use case. */
  crossUseCaseDependencies: number;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Domain {
  /** Use-case and dag name stem (kebab-case). */
  name: string;
  /** Business entity, used for table and column names (snake_case). */
  entity: string;
  team: string;
}

const DOMAINS: readonly Domain[] = [
  { name: 'orders', entity: 'order', team: 'orders-data' },
  { name: 'payments', entity: 'payment', team: 'payments-data' },
  { name: 'customers', entity: 'customer', team: 'crm-data' },
  { name: 'inventory', entity: 'stock_item', team: 'supply-chain' },
  { name: 'shipments', entity: 'shipment', team: 'logistics-data' },
  { name: 'invoices', entity: 'invoice', team: 'finance-data' },
  { name: 'products', entity: 'product', team: 'catalog-data' },
  { name: 'refunds', entity: 'refund', team: 'payments-data' },
  { name: 'suppliers', entity: 'supplier', team: 'procurement' },
  { name: 'campaigns', entity: 'campaign', team: 'marketing-data' },
  { name: 'tickets', entity: 'ticket', team: 'support-data' },
  { name: 'accounts', entity: 'account', team: 'identity-data' },
];

const FORMATS = ['parquet', 'orc', 'avro', 'parquet', 'json'] as const;
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

export function useCaseName(i: number): string {
  return `${DOMAINS[i % DOMAINS.length]!.name}${String(i).padStart(4, '0')}`;
}

function domainOf(i: number): Domain {
  return DOMAINS[i % DOMAINS.length]!;
}

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

const MSK_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:kafka/msk-bootstrap-Lm2Vb7`;

export const PLATFORM_YAML = `# yaml-language-server: $schema=../src/spec/schemas/platform.schema.json
# Generated platform for compiler measurements; same shape as specs/platform.yaml.
prefix: acme
region: ${REGION}
catalog: glue_catalog

buckets:
  landing: acme-lake-landing
  raw: acme-lake-raw
  process: acme-lake-process
  analytics: acme-lake-analytics
  artifacts: acme-lake-artifacts

emr:
  release_label: emr-7.5.0
  max_vcpu: 96
  max_memory_gb: 384
  idle_timeout_minutes: 15
  network:
    subnet_ids: [subnet-0a1b2c3d4e5f60718, subnet-0b2c3d4e5f6071829]
    security_group_ids: [sg-0d4e5f60718293a4b]

dynamodb:
  watermarks: acme-lakestep-watermarks
  runs: acme-lakestep-runs
  gates: acme-lakestep-gates

notifications:
  topic_name: acme-lakestep-notifications
  emails: [data-platform-oncall@acme.example]

defaults:
  retries: 2
  timeout: 6h
  spark_submit_parameters: >-
    --conf spark.executor.cores=4
    --conf spark.executor.memory=16g
    --conf spark.dynamicAllocation.maxExecutors=20
  gate_ttl: 2d
  datasync_poll_seconds: 30
  datasync_poll_max_seconds: 300

tags:
  cost-center: data-platform
  environment: production
`;

/** The migrated tables a use case may have; the first three always exist. */
function tableShapes(e: string) {
  return [
    {
      name: `${e}s`,
      layer: 'raw',
      columns: [
        `{name: ${e}_id, type: bigint, nullable: false, comment: Business key from the source system}`,
        `{name: ref_code, type: string}`,
        `{name: status, type: string}`,
        `{name: currency, type: string}`,
        `{name: amount, type: "decimal(12,2)"}`,
        `{name: created_at, type: timestamp}`,
        `{name: updated_at, type: timestamp, nullable: false}`,
      ],
      partitionBy: '[days(updated_at)]',
      watermark: 'updated_at',
      extra: [`sort_by: [${e}_id]`, `properties:`, `  write.target-file-size-bytes: 536870912`, `  write.parquet.compression-codec: zstd`],
    },
    {
      name: `${e}_lines`,
      layer: 'raw',
      columns: [
        `{name: ${e}_id, type: bigint, nullable: false}`,
        `{name: line_no, type: int, nullable: false}`,
        `{name: sku, type: string}`,
        `{name: quantity, type: int}`,
        `{name: unit_price, type: "decimal(12,2)"}`,
        `{name: updated_at, type: timestamp, nullable: false}`,
      ],
      partitionBy: `["bucket(16, ${e}_id)"]`,
      watermark: 'updated_at',
      extra: [`spark_submit_parameters: --conf spark.executor.memory=24g`],
    },
    {
      name: `${e}_status`,
      layer: 'process',
      columns: [
        `{name: ${e}_id, type: bigint, nullable: false}`,
        `{name: status, type: string}`,
        `{name: amount, type: "decimal(12,2)"}`,
        `{name: event_ts, type: timestamp}`,
      ],
      partitionBy: `["bucket(16, ${e}_id)"]`,
      watermark: 'event_ts',
      extra: [],
    },
    {
      name: `${e}_audit`,
      layer: 'raw',
      columns: [
        `{name: audit_id, type: bigint, nullable: false}`,
        `{name: ${e}_id, type: bigint}`,
        `{name: action, type: string}`,
        `{name: actor, type: string, comment: PII}`,
        `{name: logged_at, type: timestamp, nullable: false}`,
      ],
      partitionBy: '[months(logged_at)]',
      watermark: 'logged_at',
      extra: [],
    },
    {
      name: `${e}_notes`,
      layer: 'analytics',
      columns: [
        `{name: note_id, type: bigint, nullable: false}`,
        `{name: ${e}_id, type: bigint}`,
        `{name: country, type: string}`,
        `{name: body, type: string}`,
        `{name: created_at, type: timestamp, nullable: false}`,
      ],
      partitionBy: '["truncate(2, country)", years(created_at)]',
      watermark: 'created_at',
      extra: [],
    },
  ];
}

/** Generates the tree; `useCases` ≥ 1. */
export function generateSpecs(options: GenerateOptions): GeneratedTree {
  const n = options.useCases;
  const rand = rng(options.seed ?? 20_260_101);
  const sources: SourceFile[] = [{ path: 'platform.yaml', text: PLATFORM_YAML }];
  const names: string[] = [];
  let twoUpstreamDags = 0;
  let crossUseCaseDependencies = 0;

  for (let i = 0; i < n; i++) {
    const uc = useCaseName(i);
    names.push(uc);
    const d = domainOf(i);
    const e = d.entity;
    const db = `raw_${d.name}_${String(i).padStart(4, '0')}`;
    const dag = (suffix: string) => `${d.name}-${suffix}`;

    // Cross-use-case edges go to a lower index: no cycles.
    const upsertsUpstream = i >= 1 && i % 3 === 1 ? Math.floor(rand() * i) : undefined;
    const reportUpstream = i >= 1 && i % 7 === 3 ? Math.floor(rand() * i) : undefined;
    const reportScheduled = reportUpstream === undefined && i % 2 === 0;

    // ---- orchestration.yaml
    const upsertsDeps = [dag('ingestion')];
    if (upsertsUpstream !== undefined) upsertsDeps.push(`${useCaseName(upsertsUpstream)}/${domainOf(upsertsUpstream).name}-ingestion`);
    const reportDeps = [dag('upserts')];
    if (reportUpstream !== undefined) reportDeps.push(`${useCaseName(reportUpstream)}/${domainOf(reportUpstream).name}-upserts`);
    for (const deps of [upsertsDeps, reportScheduled ? [] : reportDeps]) {
      if (deps.length >= 2) twoUpstreamDags++;
      crossUseCaseDependencies += deps.filter((x) => x.includes('/')).length;
    }
    const minute = Math.floor(rand() * 60);
    const hour = Math.floor(rand() * 24);
    const every = pick(rand, [10, 15, 20, 30, 60]);
    const orchestration = `# yaml-language-server: $schema=../../src/spec/schemas/orchestration.schema.json
owner: ${d.team}@acme.example
description: ${cap(d.name)} domain ${i}, from the legacy Hadoop warehouse and the source systems to curated tables.

dags:
  - name: ${dag('migration')}
    type: migration
    description: One-off move of the ${d.name} tables from HDFS to Iceberg.
    tags: [${d.name}, hdfs-exit]
    notification: {on_success_callback: true, on_failure_callback: true}
    timeout: 1d

  - name: ${dag('ingestion')}
    type: ingestion
    description: ${cap(e)} changes from the source database, ${e} events from Kafka.
    schedule: rate(${every} minutes)
    depends_on: [${dag('migration')}]
    tags: [${d.name}]
    retries: ${1 + (i % 4)}
    timeout: ${Math.max(10, every - 5)}m

  - name: ${dag('upserts')}
    type: transformation
    description: Current ${e} status from the event stream.
    depends_on: [${upsertsDeps.join(', ')}]
    tags: [${d.name}, curated]
    notification:
      on_failure_callback: true
      emails: [${d.team}@acme.example]
    timeout: 1h

  - name: ${dag('maintenance')}
    type: maintenance
    description: Snapshot expiry, compaction and retention of the ${d.name} tables.
    tags: [${d.name}, maintenance]

  - name: ${dag('report')}
    type: transformation
    description: Daily ${e} report for finance, written next to the lake.
${reportScheduled ? `    schedule: cron(${minute} ${hour} * * ? *)\n` : `    depends_on: [${reportDeps.join(', ')}]\n`}    tags: [${d.name}, reporting]
    notification: {on_success_callback: true}
    spark:
      entrypoint: s3://acme-lake-artifacts/${uc}/jobs/report.py
      arguments:
        - --date
        - "{{ ds }}"
        - --run-id
        - "{{ run_id }}"
        - --job
        - "{{ use_case }}/{{ dag }}"
        - --out
        - s3://acme-lake-analytics/${uc}/reports/dt={{ ds }}/
      writes: [s3://acme-lake-analytics/${uc}/reports/]
      spark_submit_parameters: --conf spark.executor.memory=8g --conf spark.sql.shuffle.partitions=${pick(rand, [32, 64, 128])}
      timeout: 45m
`;

    // ---- migration.yaml: 3–5 tables
    const shapes = tableShapes(e).slice(0, 3 + Math.floor(rand() * 3));
    const tables = shapes
      .map((t) => {
        const lines = [
          `  - name: ${t.name}`,
          `    source: {hdfs_path: /warehouse/${db}.db/${t.name}, format: ${pick(rand, FORMATS)}}`,
          `    datasync: {task_arn: arn:aws:datasync:${REGION}:${ACCOUNT}:task/task-${hex(rand, 17)}}`,
          `    layer: ${t.layer}`,
          `    columns:`,
          ...t.columns.map((c) => `      - ${c}`),
          `    partition_by: ${t.partitionBy}`,
          `    watermark_column: ${t.watermark}`,
          ...t.extra.map((x) => `    ${x}`),
        ];
        return lines.join('\n');
      })
      .join('\n\n');
    const big = options.bigMigration !== undefined && i === 0;
    const migration = big
      ? bigMigrationYaml(db, e, options.bigMigration!, rand)
      : options.bigMigration !== undefined
        ? sharedTasksYaml(db, uc, i, shapes, rand)
        : `# yaml-language-server: $schema=../../src/spec/schemas/migration.schema.json
# Tables of the Hive warehouse. DataSync tasks were created by the network team.
database: ${db}
landing: s3://acme-lake-landing/${uc}/
max_concurrency: ${2 + (i % 3)}

tables:
${tables}
`;

    // ---- ingestion.yaml: JDBC batch + Kafka micro-batch
    const oracle = i % 3 === 2;
    const secret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${uc}/source-db-${hex(rand, 6)}`;
    const ingestion = `# yaml-language-server: $schema=../../src/spec/schemas/ingestion.schema.json
batch:
  - name: ${e.replaceAll('_', '-')}s-jdbc
    source:
      engine: ${oracle ? 'oracle' : 'postgresql'}
      secret_arn: ${secret}
      table: ${oracle ? `${d.name.toUpperCase()}.${e.toUpperCase()}S` : `public.${e}s`}
      fetch_size: ${pick(rand, [5000, 10000, 20000])}
    target: ${db}.${e}s
    mode: merge
    keys: [${e}_id]
    incremental_column: updated_at
    partitioning: {column: ${e}_id, lower: 1, upper: ${pick(rand, [1, 5, 50, 250])}000000, partitions: ${pick(rand, [4, 8, 16, 32])}}

micro_batch:
  - name: ${e.replaceAll('_', '-')}-events
    source:
      bootstrap_servers_secret_arn: ${MSK_SECRET}
      topics: [${d.name}.${e}_events]
      starting_offsets: earliest
      format: json
    target: ${db}.${e}_events
    trigger: available_now
    mode: micro_batch
    start_from_watermark: ${e}s
    columns:
      - {name: event_id, type: string, nullable: false}
      - {name: ${e}_id, type: bigint, nullable: false}
      - {name: status, type: string}
      - {name: amount, type: "decimal(12,2)"}
      - {name: op, type: string, comment: "I, U or D"}
      - {name: event_ts, type: timestamp, nullable: false}
`;

    // ---- processing.yaml: merges
    const processing = `# yaml-language-server: $schema=../../src/spec/schemas/processing.schema.json
merges:
  - name: ${e.replaceAll('_', '-')}-status
    target: ${db}.${e}_status
    source: ${db}.${e}_events
    keys: [${e}_id]
    order_by: event_ts
    delete_when: "op = 'D'"
    incremental_column: event_ts
    columns: [${e}_id, status, amount, event_ts]
`;

    // ---- maintenance.yaml: two schedule groups (nightly default + weekly)
    const maintenance = `# yaml-language-server: $schema=../../src/spec/schemas/maintenance.schema.json
# Tasks without a schedule of their own run nightly.
schedule: cron(${minute} 2 * * ? *)

tables:
  - table: ${db}.${e}s
    expire_snapshots: {older_than: 7d, retain_last: 10}
    remove_old_metadata: {previous_versions_max: 20}
    rewrite_data_files: {schedule: rate(7 days), strategy: binpack, target_file_size: 512MB}
    remove_orphan_files: {schedule: rate(7 days), older_than: 3d}
    hard_delete: {column: updated_at, older_than: ${pick(rand, ['3y', '7y', '10y'])}}

  - table: ${db}.${e}_events
    expire_snapshots: {older_than: 2d}
    rewrite_data_files:
      schedule: rate(7 days)
      strategy: sort
      sort_order: [${e}_id, event_ts DESC]
      target_file_size: 128MB
    hard_delete: {column: event_ts, older_than: 90d}

  - table: ${db}.${e}_status
    expire_snapshots: {retain_last: 5}
    rewrite_manifests: {schedule: rate(7 days)}
`;

    sources.push(
      { path: `${uc}/orchestration.yaml`, text: orchestration },
      { path: `${uc}/migration.yaml`, text: migration },
      { path: `${uc}/ingestion.yaml`, text: ingestion },
      { path: `${uc}/processing.yaml`, text: processing },
      { path: `${uc}/maintenance.yaml`, text: maintenance },
    );
  }
  // Every use case's Kafka source reads the one MSK cluster's bootstrap secret, shared by declaration.
  sources[0] = { path: 'platform.yaml', text: `${PLATFORM_YAML}\nshared_secrets:\n  - arn: ${MSK_SECRET}\n    use_cases: [${names.join(', ')}]\n` };
  return { sources, useCases: names, dags: n * 5, twoUpstreamDags, crossUseCaseDependencies };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');
}

/** Columns of the generated tables: one of five shapes, name-varied. */
function tableLines(t: ReturnType<typeof tableShapes>[number], db: string, hdfsName: string, rand: () => number): string[] {
  return [
    `  - name: ${hdfsName}`,
    `    source: {hdfs_path: /warehouse/${db}.db/${hdfsName}, format: ${pick(rand, FORMATS)}}`,
    `    layer: ${t.layer}`,
    `    columns:`,
    ...t.columns.map((c) => `      - ${c}`),
    `    partition_by: ${t.partitionBy}`,
    `    watermark_column: ${t.watermark}`,
  ];
}

/** A use case's migration through one task of its database folder, landing in its own prefix. */
function sharedTasksYaml(db: string, uc: string, i: number, shapes: ReturnType<typeof tableShapes>, rand: () => number): string {
  const task = `task-${(i + 1).toString(16).padStart(17, '0')}`;
  return `# yaml-language-server: $schema=../../src/spec/schemas/migration.schema.json
# One task reads the database's folder and writes to the use case's landing prefix: each
# table lands below it by its folder.
database: ${db}
landing: s3://acme-lake-landing/${uc}/
max_concurrency: ${2 + (i % 3)}
datasync:
  task_arn: arn:aws:datasync:${REGION}:${ACCOUNT}:task/${task}
  source_path: /warehouse/${db}.db

tables:
${shapes.map((t) => tableLines(t, db, t.name, rand).join('\n')).join('\n\n')}
`;
}

/** One migration of `n` tables, all through one task of its database folder; the first five are the use case's usual tables. */
function bigMigrationYaml(db: string, entity: string, n: number, rand: () => number): string {
  const shapes = tableShapes(entity);
  const name = (k: number) => (k < shapes.length ? shapes[k]!.name : `${shapes[k % shapes.length]!.name}_${String(k).padStart(4, '0')}`);
  const tables = Array.from({ length: n }, (_, k) => tableLines(shapes[k % shapes.length]!, db, name(k), rand).join('\n'));
  return `# yaml-language-server: $schema=../../src/spec/schemas/migration.schema.json
# The whole warehouse database in one migration: ${n} tables, one DataSync task.
database: ${db}
max_concurrency: 40
datasync:
  task_arn: arn:aws:datasync:${REGION}:${ACCOUNT}:task/task-${'f'.repeat(17)}
  source_path: /warehouse/${db}.db

tables:
${tables.join('\n')}
`;
}
