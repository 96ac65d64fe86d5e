/**
 * The intermediate representation: what every compiler stage consumes.
 * Defaults are applied (platform → use case → dag), names resolved, and every
 * node keeps its {@link Origin} so generated ASL can point back at the spec.
 * Durations are normalized to seconds.
 */
import type { Origin } from '../diagnostics.ts';
import type { JdbcPartitioning, PlatformSettings, TableShare } from '../build/types.ts';
import type { DagType, Layer } from '../spec/types.ts';
import type { LogicalDateConvention } from '../time/runs.ts';
import type { WorkflowTimetable } from './timetable.ts';

export interface Platform extends PlatformSettings {
  /** false: schedules are deployed disabled (`schedules_enabled`); absent: true. */
  schedulesEnabled?: boolean;
  /** What use cases may use beyond their own (platform.yaml `external_locations`, `shared_secrets`). */
  grants: {
    /**
     * False when platform.yaml has errors: buckets and grants are then the defaults,
     * not the platform's, so locations and secrets are not checked against them
     * (every use case is quarantined anyway).
     */
    checked: boolean;
    externalLocations: { prefix: string; useCases: string[]; access: 'read' | 'write' }[];
    sharedSecrets: { arn: string; useCases: string[] }[];
    /** platform.yaml `shared_datasync_tasks`. */
    sharedDataSyncTasks: SharedDataSyncTask[];
    /**
     * In an environment, platform.yaml's buckets it renamed, with their role: another environment's platform buckets,
     * where a use case still names only its own prefix (and the artifacts bucket's `shared/`), whatever
     * `external_locations` declares.
     */
    foreignBuckets?: Readonly<Record<string, 'landing' | 'raw' | 'process' | 'analytics' | 'artifacts'>>;
  };
  defaults: {
    retries: number;
    timeoutSeconds: number;
    sparkSubmitParameters: string;
    gateTtlSeconds: number;
    datasyncPollSeconds: number;
    datasyncPollMaxSeconds: number;
    logicalDate: LogicalDateConvention;
    /** KMS key of the sources' secrets when a source names none. */
    secretsKmsKeyArn?: string;
  };
  /** Write-audit-publish: days a failed audit branch is kept; write-and-audit attempts before a publish conflict fails the run. */
  quality: { branchRetentionDays: number; publishAttempts: number };
  origin: Origin;
}

/** A DataSync task of the platform: `<sourcePath>/<use case>/` lands at `s3://<landing bucket>/<landingPrefix><use case>/`. */
export interface SharedDataSyncTask {
  name: string;
  taskArn: string;
  sourcePath: string;
  landingPrefix: string;
  useCases: string[];
}

/** A workflow reference: the use case and dag it names. */
export interface WorkflowRef {
  useCase: string;
  dag: string;
  origin: Origin;
}

/** A run-argument fragment: literal text or a run template (`{{ ds }}` …). */
export type ArgPart = { text: string } | { template: RunTemplate };
/**
 * Run templates, with Airflow's names and meanings (src/time/runs.ts): `ds`, `ds_nodash`,
 * `ts` (the logical date), `data_interval_start`, `data_interval_end`, `prev_ds`, `next_ds`,
 * and `run_id` (execution name), `dag`, `use_case`.
 */
export type RunTemplate = 'ds' | 'ds_nodash' | 'ts' | 'data_interval_start' | 'data_interval_end' | 'prev_ds' | 'next_ds' | 'run_id' | 'dag' | 'use_case';
export const RUN_TEMPLATES: readonly RunTemplate[] = ['ds', 'ds_nodash', 'ts', 'data_interval_start', 'data_interval_end', 'prev_ds', 'next_ds', 'run_id', 'dag', 'use_case'];

/** What a custom Spark job declares it reads or writes (`spark.reads`, `spark.writes`), each entry with its position. */
export interface SparkAccess {
  tables: { table: TableRef; origin: Origin }[];
  /** S3 key prefixes (`s3://bucket/prefix`), checked against the use case's own locations. */
  paths: { uri: string; origin: Origin }[];
}

export interface SparkJob {
  entrypoint: string;
  arguments: ArgPart[][];
  sparkSubmitParameters: string;
  timeoutSeconds: number;
  reads: SparkAccess;
  writes: SparkAccess;
  origin: Origin;
}

export interface Column {
  name: string;
  type: string;
  nullable: boolean;
  /** Personal data: masked wherever lakestep shows a value (check samples). */
  pii?: boolean;
  comment?: string;
}

export type CheckKind = 'not_null' | 'unique' | 'accepted_values' | 'row_count' | 'expression' | 'sql';
export const CHECK_KINDS: readonly CheckKind[] = ['not_null', 'unique', 'accepted_values', 'row_count', 'expression', 'sql'];

/** One data quality check of a table (src/ir/quality.ts); expressions are validated. */
export interface QualityCheck {
  name: string;
  kind: CheckKind;
  severity: 'error' | 'warn';
  /** not_null, unique: the columns; accepted_values: its one column. */
  columns: string[];
  values?: (string | number | boolean)[];
  rowCount?: { min?: number; max?: number; of: 'table' | 'batch' };
  expression?: string;
  /** `sql:` checks: the file, its one query and the tables it reads. */
  sql?: { file: string; text: string; reads: TableRef[] };
  where?: string;
  origin: Origin;
}

/** Freshness SLA of a table, in seconds since its last publish. */
export interface Freshness {
  warnAfterSeconds?: number;
  errorAfterSeconds?: number;
  origin: Origin;
}

/**
 * What an entry that writes a table asks of it: checks run on an audit branch
 * before the write is published, and a freshness SLA.
 */
export interface TableQuality {
  table: TableRef;
  checks: QualityCheck[];
  freshness?: Freshness;
  /** Columns whose values identify a failing row in samples: the entry's keys, else the table's non-nullable columns. */
  sampleColumns: string[];
  /** Columns whose values are masked (`pii: true`). */
  maskedColumns: string[];
  origin: Origin;
}

/** A partition transform from `partition_by`, e.g. `days(updated_at)`, `bucket(16, id)`. */
export type PartitionField =
  | { transform: 'identity' | 'years' | 'months' | 'days' | 'hours'; column: string }
  | { transform: 'bucket' | 'truncate'; width: number; column: string };

export interface TableRef {
  database: string;
  table: string;
}

export interface MigrationTable {
  name: string;
  target: TableRef;
  layer: Layer;
  location: string;
  sourcePath: string;
  format: 'parquet' | 'orc' | 'avro' | 'csv' | 'json';
  formatOptions: Record<string, string>;
  landingPath: string;
  /** Existing task ARN, or a `${Placeholder}` for a task infra creates. */
  datasyncTaskArn: string;
  datasyncLocation?: { hostname: string; port: number; agentArns: string[]; subdirectory: string; simpleUser: string };
  /** With a task shared by several tables: the `Includes` filter of this table's runs (`/<folder below the task's source>`). */
  datasyncIncludes?: string;
  columns: Column[];
  partitionBy: PartitionField[];
  sortBy: string[];
  watermarkColumn?: string;
  properties: Record<string, string>;
  sparkSubmitParameters: string;
  quality?: TableQuality;
  origin: Origin;
}

export interface Migration {
  database: string;
  landing: string;
  maxConcurrency: number;
  tables: MigrationTable[];
  origin: Origin;
}

export interface BatchSource {
  name: string;
  engine: 'postgresql' | 'oracle';
  secretArn: string;
  /** Customer managed key of the secret (the source's, else the platform default). */
  kmsKeyArn?: string;
  table?: string;
  query?: string;
  fetchSize: number;
  target: TableRef;
  mode: 'append' | 'merge' | 'overwrite';
  keys: string[];
  incrementalColumn?: string;
  /** Seconds re-read before a timestamp watermark (late commits). */
  lookbackSeconds: number;
  /** Declared columns: the job creates the target from them (empty: a migrated target). */
  columns: Column[];
  /** Columns written, in the target's order (by name, never by position). */
  targetColumns: string[];
  partitioning?: JdbcPartitioning;
  sparkSubmitParameters: string;
  quality?: TableQuality;
  origin: Origin;
}

export interface KafkaSource {
  name: string;
  bootstrapServersSecretArn: string;
  /** Customer managed key of the secret (the source's, else the platform default). */
  kmsKeyArn?: string;
  topics: string[];
  startingOffsets: 'earliest' | 'latest';
  format: 'json' | 'avro' | 'raw';
  target: TableRef;
  mode: 'micro_batch' | 'streaming';
  /** Migration table whose watermark starts the first run. */
  startFromWatermark?: { useCase: string; table: string; target: TableRef };
  checkpoint: string;
  columns: Column[];
  sparkSubmitParameters: string;
  /** Checks of a `streaming` source run after each commit, as warnings: it cannot be gated. */
  quality?: TableQuality;
  origin: Origin;
}

export interface Ingestion {
  batch: BatchSource[];
  kafka: KafkaSource[];
  origin: Origin;
}

export interface Merge {
  name: string;
  target: TableRef;
  source: TableRef;
  keys: string[];
  orderBy?: string;
  deleteWhen?: string;
  incrementalColumn?: string;
  /** Look-back of the incremental read below the watermark, in seconds (default 3600). */
  lateArrivalSeconds?: number;
  columns: string[];
  quality?: TableQuality;
  origin: Origin;
}

/**
 * What a job does to a table: `read`; `create` (DDL, CTAS); `write` (insert,
 * append, merge, overwrite); `update` (rows changed or removed: UPDATE, DELETE,
 * MERGE, INSERT OVERWRITE, TRUNCATE, snapshot rollback); `maintain` (Iceberg
 * maintenance procedures); `alter` (schema, properties, partitioning,
 * branches); `drop`.
 */
export type { TableAccessKind } from '../build/types.ts';
import type { TableAccessKind } from '../build/types.ts';

/** One use of one table by a workflow: the table-access model (src/ir/access.ts). */
export interface TableAccess {
  /** `database.table`, lower case. */
  table: string;
  kinds: TableAccessKind[];
  /** What does it, for people: `merge 'order-status'`, `orders/sql/x.sql statement 2`. */
  by: string;
  origin: Origin;
}

/** A table one SQL statement uses, resolved to the platform's catalog. */
export interface SqlTableUse {
  table: TableRef;
  kinds: TableAccessKind[];
  /** Position of the name in the SQL file. */
  origin: Origin;
}

/** One statement of a SQL file, as the job runs it. */
export interface SqlStatement {
  /** 1-based position in its file. */
  index: number;
  text: string;
  origin: Origin;
  uses: SqlTableUse[];
}

export interface SqlFile {
  name: string;
  /** Path relative to the specs root. */
  file: string;
  text: string;
  statements: SqlStatement[];
  /** Tables the spec entry declares (`reads`, `writes`) for what the analysis cannot read. */
  declared: SqlTableUse[];
  /** Run parameters its statements bind as markers (src/sql/templates.ts): the statements are the bound text. */
  params: RunTemplate[];
  /** Checks and freshness of tables the file writes (`checks:`, `freshness:` of its entry). */
  quality: TableQuality[];
  origin: Origin;
}

export interface Processing {
  merges: Merge[];
  sql: SqlFile[];
  origin: Origin;
}

export type MaintenanceTaskKind =
  | 'expire_snapshots'
  | 'remove_old_metadata'
  | 'rewrite_data_files'
  | 'rewrite_manifests'
  | 'remove_orphan_files'
  | 'hard_delete';

export interface MaintenanceTask {
  kind: MaintenanceTaskKind;
  table: TableRef;
  schedule: string;
  /** Task options with durations in seconds and sizes in bytes. */
  options: Record<string, string | number | string[]>;
  origin: Origin;
}

/** A table the Glue Data Catalog table optimizers maintain (`managed: true`). */
export interface ManagedTable {
  table: TableRef;
  origin: Origin;
}

export interface Maintenance {
  tasks: MaintenanceTask[];
  /** Tables whose compaction, snapshot retention and orphan file deletion Glue's optimizers do. */
  managed: ManagedTable[];
  origin: Origin;
}

/** What a workflow does; the phase compilers are dispatched on `kind`. */
export type WorkflowBody =
  | { kind: 'spark'; spark: SparkJob }
  | { kind: 'migration'; migration: Migration }
  | { kind: 'ingestion'; ingestion: Ingestion }
  | { kind: 'processing'; processing: Processing }
  | { kind: 'maintenance'; maintenance: Maintenance };

export interface Workflow {
  useCase: string;
  name: string;
  type: DagType;
  stateMachineName: string;
  description?: string;
  tags: string[];
  notification: { onSuccess: boolean; onFailure: boolean; emails: string[] };
  /** Schedule expression (`cron(…)`, `rate(…)`), evaluated in {@link scheduleTimezone}. */
  schedule?: string;
  /** IANA time zone of the schedule (`UTC` unless set). */
  scheduleTimezone?: string;
  /** Minutes EventBridge Scheduler may delay a start within. */
  flexibleWindowMinutes?: number;
  /** What the logical date of its scheduled runs is (src/time/runs.ts). */
  logicalDate: LogicalDateConvention;
  /** Where its runs' logical dates come from (src/ir/timetable.ts); absent: nothing schedules it. */
  timetable?: WorkflowTimetable;
  dependsOn: WorkflowRef[];
  retries: number;
  timeoutSeconds: number;
  /** `max_duration`: a run still going after this many seconds notifies once (src/asl/watch.ts). */
  maxDurationSeconds?: number;
  /** `max_active_runs`: a run waits while this many earlier runs of the dag are running (src/asl/gate.ts). */
  maxActiveRuns?: number;
  enabled: boolean;
  body: WorkflowBody;
  /** Spec file holding the body (orchestration.yaml for `spark:`). */
  configFile: string;
  origin: Origin;
}

export interface UseCase {
  name: string;
  owner: string;
  description?: string;
  /** SHA-256 over the use case's spec files, in path order. */
  specHash: string;
  files: string[];
  workflows: Workflow[];
  /** Tables of this use case shared with others (`share:`), when any. */
  shares?: TableShare[];
}

export interface PlatformIR {
  platform: Platform;
  useCases: UseCase[];
}
