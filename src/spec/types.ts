/**
 * Raw spec shapes, exactly as written in the YAML files (snake_case keys).
 * The JSON Schemas in `src/spec/schemas/` are the source of truth for what is
 * accepted; these types mirror them so later stages get typed access.
 * Durations are strings like `90m`, `2h`, `7d`, `5y` (see `src/spec/duration.ts`).
 */

export type DagType = 'migration' | 'ingestion' | 'transformation' | 'maintenance';
export type Layer = 'raw' | 'process' | 'analytics';

export interface SparkBlock {
  entrypoint: string;
  arguments?: string[];
  spark_submit_parameters?: string;
  /** Maximum job run time; defaults to the dag timeout. */
  timeout?: string;
  /** Tables (`database.table`) and S3 prefixes the job reads. */
  reads?: string[];
  /** Tables (`database.table`) and S3 prefixes the job writes. */
  writes?: string[];
}

export interface NotificationBlock {
  on_success_callback?: boolean;
  on_failure_callback?: boolean;
  /** Extra email addresses subscribed for this dag only. */
  emails?: string[];
}

/** `schedule:` as an object: one of `cron` (six fields) and `rate` (`value unit`), with its time zone and flexible window. */
export interface ScheduleObjectSpec {
  cron?: string;
  rate?: string;
  timezone?: string;
  flexible_window?: number;
}

export interface DagSpec {
  name: string;
  type: DagType;
  description?: string;
  tags?: string[];
  notification?: NotificationBlock;
  spark?: SparkBlock;
  schedule?: string | ScheduleObjectSpec;
  depends_on?: string[];
  config?: string;
  retries?: number;
  timeout?: string;
  max_duration?: string;
  /** At most this many runs do their work at once; later ones wait (src/asl/gate.ts). */
  max_active_runs?: number;
  enabled?: boolean;
  /** What a scheduled run's logical date is: `interval` (start of its data interval) or `trigger` (its fire time). */
  logical_date?: 'interval' | 'trigger';
}

export interface OrchestrationSpec {
  owner: string;
  description?: string;
  dags: DagSpec[];
  /** Tables of this use case that other use cases may read, write or maintain. */
  share?: ShareSpec[];
}

/** What a share grants: `write` (ingestion, merge, migration or SQL writes), `maintain` (maintenance), `alter` and `drop` (SQL DDL), `read`. */
export type ShareAccess = 'read' | 'write' | 'maintain' | 'alter' | 'drop';

export interface ShareSpec {
  /** `database.table` owned by this use case. */
  table: string;
  /** Use cases granted the access. */
  with: string[];
  /** Default `[read]`. */
  access?: ShareAccess[];
}

export interface PlatformSpec {
  /** Prefix of every resource name; `<prefix>-<use-case>-<dag>` names state machines. */
  prefix?: string;
  region?: string;
  /** AWS account id (a string: 12 digits). */
  account?: string;
  /** Spark catalog name bound to the Glue Data Catalog. */
  catalog?: string;
  buckets?: Partial<Record<'landing' | 'raw' | 'process' | 'analytics' | 'artifacts', string>>;
  emr?: {
    release_label?: string;
    max_vcpu?: number;
    max_memory_gb?: number;
    idle_timeout_minutes?: number;
    network?: { subnet_ids: string[]; security_group_ids: string[] };
  };
  lifecycle?: { noncurrent_version_days?: number };
  dynamodb?: Partial<Record<'watermarks' | 'runs' | 'gates', string>>;
  notifications?: { topic_name?: string; emails?: string[] };
  defaults?: {
    retries?: number;
    timeout?: string;
    spark_submit_parameters?: string;
    /** How long a dependency-gate entry waits for the other upstreams. */
    gate_ttl?: string;
    /** DataSync polling: first wait and cap, in seconds. */
    datasync_poll_seconds?: number;
    datasync_poll_max_seconds?: number;
    /** What a scheduled run's logical date is; dags may override it. */
    logical_date?: 'interval' | 'trigger';
    /** KMS key of the sources' secrets, for sources without their own. */
    secrets_kms_key_arn?: string;
  };
  /** false: every schedule is deployed disabled. */
  schedules_enabled?: boolean;
  tags?: Record<string, string>;
  databases?: Record<string, { owner: string; description?: string }>;
  governance?: 'iam' | 'lake_formation';
  /** One role per state machine, or one per use-case stack. */
  state_machine_roles?: 'per_workflow' | 'per_use_case';
  quality?: { failed_branch_retention?: string; publish_attempts?: number };
  /** S3 prefixes outside the platform buckets, and the use cases that may use them. */
  external_locations?: { prefix: string; use_cases: string[]; access?: 'read' | 'write' }[];
  /** Secrets several use cases read. */
  shared_secrets?: { arn: string; use_cases: string[] }[];
  /** DataSync tasks several use cases migrate through. */
  shared_datasync_tasks?: { name: string; task_arn: string; source_path: string; landing_prefix: string; use_cases: string[] }[];
}

export interface ColumnSpec {
  name: string;
  type: string;
  nullable?: boolean;
  /** Personal data: values are masked wherever lakestep shows them (check samples). */
  pii?: boolean;
  comment?: string;
}

/** A DataSync task (`task_arn`, with `source_path` when it serves several tables) or a location infra creates one for. */
export interface DataSyncSpec {
  /** Name of a platform.yaml `shared_datasync_tasks` entry. */
  shared_task?: string;
  task_arn?: string;
  /** HDFS directory the shared task reads from; tables transfer their folder below it. */
  source_path?: string;
  location?: {
    hostname: string;
    port?: number;
    agent_arns: string[];
    subdirectory?: string;
    /** HDFS user DataSync reads as (simple authentication); default `hdfs`. */
    simple_user?: string;
  };
}

/** One data quality check (`checks:` items): exactly one kind, plus name, severity and where. */
export interface CheckSpec {
  name?: string;
  not_null?: string[];
  unique?: string[];
  accepted_values?: { column: string; values: (string | number | boolean)[] };
  row_count?: { min?: number; max?: number; of?: 'table' | 'batch' };
  expression?: string;
  /** SQL file (relative to the use case folder) returning the failing rows. */
  sql?: string;
  severity?: 'error' | 'warn';
  where?: string;
}

/** Freshness SLA of a table: durations since its last publish. */
export interface FreshnessSpec {
  warn_after?: string;
  error_after?: string;
}

export interface MigrationTableSpec {
  name: string;
  source: { hdfs_path: string; format: 'parquet' | 'orc' | 'avro' | 'csv' | 'json'; options?: Record<string, string> };
  /** Default: the migration's `datasync`. */
  datasync?: DataSyncSpec;
  layer?: Layer;
  columns: ColumnSpec[];
  partition_by?: string[];
  sort_by?: string[];
  watermark_column?: string;
  properties?: Record<string, string | number | boolean>;
  spark_submit_parameters?: string;
  checks?: CheckSpec[];
  freshness?: FreshnessSpec;
  enabled?: boolean;
}

export interface MigrationSpec {
  database: string;
  landing?: string;
  max_concurrency?: number;
  /** The task (or location) shared by every table without its own. */
  datasync?: DataSyncSpec;
  tables: MigrationTableSpec[];
}

export interface BatchSourceSpec {
  name: string;
  source: {
    engine: 'postgresql' | 'oracle';
    secret_arn: string;
    kms_key_arn?: string;
    table?: string;
    query?: string;
    fetch_size?: number;
  };
  target: string;
  mode: 'append' | 'merge' | 'overwrite';
  keys?: string[];
  incremental_column?: string;
  lookback?: string;
  columns?: ColumnSpec[];
  partitioning?: { column: string; lower: number; upper: number; partitions: number };
  spark_submit_parameters?: string;
  checks?: CheckSpec[];
  freshness?: FreshnessSpec;
  enabled?: boolean;
}

export interface KafkaSourceSpec {
  name: string;
  source: {
    bootstrap_servers_secret_arn: string;
    kms_key_arn?: string;
    topics: string[];
    starting_offsets?: 'earliest' | 'latest';
    format?: 'json' | 'avro' | 'raw';
  };
  target: string;
  trigger?: 'available_now';
  mode?: 'micro_batch' | 'streaming';
  start_from_watermark?: string;
  columns?: ColumnSpec[];
  spark_submit_parameters?: string;
  checks?: CheckSpec[];
  freshness?: FreshnessSpec;
  enabled?: boolean;
}

export interface IngestionSpec {
  batch?: BatchSourceSpec[];
  micro_batch?: KafkaSourceSpec[];
}

export interface MergeSpec {
  /** Step name; defaults to the target table name. */
  name?: string;
  target: string;
  source: string;
  keys: string[];
  order_by?: string;
  delete_when?: string;
  incremental_column?: string;
  late_arrival?: string;
  columns?: string[];
  checks?: CheckSpec[];
  freshness?: FreshnessSpec;
  enabled?: boolean;
}

export interface ProcessingSpec {
  merges?: MergeSpec[];
  sql?: {
    file: string;
    name?: string;
    reads?: string[];
    writes?: string[];
    /** Checks of the tables the file writes, by `database.table`. */
    checks?: Record<string, CheckSpec[]>;
    freshness?: Record<string, FreshnessSpec>;
  }[];
}

export interface MaintenanceTableSpec {
  table: string;
  /** Glue Data Catalog table optimizers compact, expire snapshots and delete orphan files. */
  managed?: boolean;
  expire_snapshots?: { schedule?: string; older_than?: string; retain_last?: number };
  remove_old_metadata?: { previous_versions_max?: number };
  rewrite_data_files?: {
    schedule?: string;
    strategy?: 'binpack' | 'sort';
    sort_order?: string[];
    target_file_size?: string;
    where?: string;
  };
  rewrite_manifests?: { schedule?: string };
  remove_orphan_files?: { schedule?: string; older_than?: string };
  hard_delete?: { schedule?: string; column: string; older_than: string };
}

export interface MaintenanceSpec {
  /** Schedule used by tasks that name none. */
  schedule?: string;
  tables: MaintenanceTableSpec[];
}

/** The file kinds lakestep reads, keyed by their schema name. */
export interface SpecKinds {
  platform: PlatformSpec;
  orchestration: OrchestrationSpec;
  migration: MigrationSpec;
  ingestion: IngestionSpec;
  processing: ProcessingSpec;
  maintenance: MaintenanceSpec;
}
export type SpecKind = keyof SpecKinds;
export const SPEC_KINDS: readonly SpecKind[] = ['platform', 'orchestration', 'migration', 'ingestion', 'processing', 'maintenance'];
