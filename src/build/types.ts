/**
 * The build artifacts: the contract between the compiler, `infra/` and the
 * simulator (DESIGN §6). Nothing outside `src/` may import other `src/` modules;
 * they read these files from `build/`.
 *
 * build/manifest.json                         {@link ManifestIndex}: the index of the {@link Manifest}
 * build/<use-case>/manifest.json              {@link ManifestUseCase}: one part per compiled use case
 * build/report.json                           {@link BuildReport}
 * build/<use-case>/<workflow>.asl.json        ASL with ${Placeholders}
 * build/<use-case>/jobs/<workflow>/<job>.json {@link JobDocument}, uploaded to the artifacts bucket
 */
import type { Diagnostic } from '../diagnostics.ts';

/** 2: the manifest is an index plus one part per use case; 1: one whole `manifest.json`. */
export const MANIFEST_VERSION = 2;

/**
 * Placeholders that appear as `${Name}` in ASL and rules; infra fills them with
 * `definitionSubstitutions`. State machine ARNs are built from the deterministic
 * name plus `${Partition}`, `${Region}`, `${Account}`, so no stack needs another's outputs.
 *
 * All are platform-wide except `SparkJobRoleArn` (the `ExecutionRoleArn` of every
 * EMR Serverless job run): it is the Spark job role *of the workflow's use case*,
 * named `sparkJobRoleName(prefix, useCase)` (src/naming.ts) and created in the
 * use case's own stack, scoped to that use case's secrets, Glue databases and
 * {@link WorkflowStorage} (DESIGN §7).
 */
export const PLATFORM_PLACEHOLDERS = [
  'Partition',
  'Region',
  'Account',
  'EmrApplicationId',
  'SparkJobRoleArn',
  'ArtifactsBucket',
  'RunsTable',
  'WatermarksTable',
  'GatesTable',
  'NotificationTopicArn',
  'EventsRoleArn',
  'ScheduleStarterArn',
  'SchedulerRoleArn',
  'ScheduleGroupName',
  'SchedulerDeadLetterArn',
] as const;
export type PlatformPlaceholder = (typeof PLATFORM_PLACEHOLDERS)[number];

export interface Manifest {
  version: number;
  lakestepVersion: string;
  platform: ManifestPlatform;
  useCases: ManifestUseCase[];
  /**
   * Every table a compiled workflow reads or writes, by `database.table` (lower case):
   * its owner, where its files live and who writes and reads it (the table-access model).
   */
  tables: Record<string, ManifestTable>;
  quarantined: { useCase: string; diagnostics: Diagnostic[] }[];
  /**
   * State machines of the platform itself, with any use case compiled (absent in older
   * builds): the backfill machine of `lakestep backfill --detach`, and the dispatcher
   * with the one EventBridge rule that feeds it (dependencies and notifications), an Express
   * workflow (`type` absent in older builds, whose dispatcher was a Standard one).
   */
  machines?: {
    backfill: { stateMachineName: string; definition: string };
    dispatcher?: { stateMachineName: string; type?: 'EXPRESS'; definition: string; rule: RuleDefinition };
  };
}

/**
 * `build/manifest.json`: the {@link Manifest} with each use case reduced to what names it
 * and where its part is, `<use-case>/manifest.json` (a {@link ManifestUseCase}).
 */
export interface ManifestIndex extends Omit<Manifest, 'useCases'> {
  useCases: { name: string; owner: string; specHash: string; manifest: string }[];
}

/** Environment settings shared by the IR's platform and the manifest. */
export interface PlatformSettings {
  prefix: string;
  region: string;
  /** AWS account the stacks are bound to; absent: the account of the deploying credentials. */
  account?: string;
  /** The environment compiled (`--env`), whose overlay `platform.<env>.yaml` applied; absent: the base settings. */
  environment?: string;
  catalog: string;
  buckets: Record<'landing' | 'raw' | 'process' | 'analytics' | 'artifacts', string>;
  emr: {
    releaseLabel: string;
    maxVcpu: number;
    maxMemoryGb: number;
    idleTimeoutMinutes: number;
    /** VPC placement of the application; required when a JDBC or Kafka source exists. */
    network?: { subnetIds: string[]; securityGroupIds: string[] };
  };
  /** S3 lifecycle of the versioned platform buckets (absent in older builds: 7 days). */
  lifecycle?: { noncurrentVersionDays: number };
  dynamodb: Record<'watermarks' | 'runs' | 'gates', string>;
  notifications: { topicName: string; emails: string[] };
  tags: Record<string, string>;
  /** Declared owner (and description) of Glue databases, by name (`databases:` of platform.yaml). */
  databaseOwners: Record<string, { owner: string; description?: string }>;
  /** How table access is enforced: IAM grants, or Lake Formation permissions . */
  governance: 'iam' | 'lake_formation';
  /** `state_machine_roles: per_use_case`: the state machines of a use-case stack share one role; absent: one role per machine. */
  stateMachineRoles?: 'per_use_case';
}

/**
 * The platform's settings as the environment gives them. Nothing in it derives from the use cases: its
 * JSON is part of every stack's inputs hash (infra/inputs-hash.ts), so a use case added or removed would
 * otherwise redeploy every stack.
 */
export type ManifestPlatform = PlatformSettings;

/** What a job does to a table (src/ir/types.ts `TableAccessKind`). */
export type TableAccessKind = 'read' | 'create' | 'write' | 'update' | 'maintain' | 'alter' | 'drop';

/** One table of the platform, as the table-access model knows it. */
export interface ManifestTable {
  /** Use case that owns it; absent when no use case creates it or its owner is unknown. */
  owner?: string;
  /** S3 prefix of its files, ending in `/`: its migration's location, else the catalog warehouse's `<raw>/<database>.db/<table>/`. */
  location: string;
  /** Workflows that create, write, maintain, alter or drop it, as `<use-case>/<dag>`. */
  writers: string[];
  /** Workflows that read it. */
  readers: string[];
}

export interface ManifestUseCase {
  name: string;
  owner: string;
  specHash: string;
  files: string[];
  workflows: ManifestWorkflow[];
  /** Tables of this use case that other use cases may read, write or maintain (`share:`); absent when none. */
  shares?: TableShare[];
  /** One CloudWatch alarm per table with a freshness SLA and level (src/events/freshness.ts); absent when none. */
  freshness?: FreshnessAlarm[];
}

/**
 * A freshness alarm: ALARM when `metric` (one data point per publish of `table`) had no
 * data point for `afterSeconds` — `evaluationPeriods` periods of `period` seconds.
 */
export interface FreshnessAlarm {
  /** Alarm name. */
  name: string;
  /** `database.table`. */
  table: string;
  level: 'warn' | 'error';
  afterSeconds: number;
  /** `<use-case>/<dag>` whose entry declares the SLA. */
  workflow: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  period: number;
  evaluationPeriods: number;
}

/** One `share:` entry of a use case: the table, the use cases granted, and what they may do. */
export interface TableShare {
  table: string;
  with: string[];
  access: ('read' | 'write' | 'maintain' | 'alter' | 'drop')[];
}

export interface ManifestWorkflow {
  name: string;
  type: 'migration' | 'ingestion' | 'transformation' | 'maintenance';
  /** What the body compiled from: `spark`, `migration`, `ingestion`, `processing`, `maintenance`. */
  kind: string;
  stateMachineName: string;
  /** Path of the ASL file relative to build/. */
  definition: string;
  /** Spec file and line the dag is declared at. */
  specFile: string;
  specLine: number;
  enabled: boolean;
  tags: string[];
  schedule?: string;
  /** IANA time zone of `schedule`, when not UTC. */
  scheduleTimezone?: string;
  /**
   * Where its runs' logical dates come from: its own schedule, or the one it inherits
   * from an upstream (`from`). The operator commands name runs by it. Absent: nothing
   * schedules it (a day is one run at midnight UTC).
   */
  timetable?: { schedule: string; timezone: string; logicalDate: 'interval' | 'trigger'; from?: string };
  dependsOn: string[];
  /** Tables the workflow reads, as `database.table` (lower case), sorted. */
  reads: string[];
  /** Tables it creates, writes, updates, maintains, alters or drops. */
  writes: string[];
  /** Per table, what the workflow does to it (the union over its steps); infra derives its grants from this. */
  access: Record<string, TableAccessKind[]>;
  /** Watch machine of a dag with `max_duration` (src/asl/watch.ts): notifies once when a run takes longer. */
  watch?: { stateMachineName: string; definition: string; afterSeconds: number };
  /** `max_active_runs`: at most this many runs work at once, later ones wait (src/asl/gate.ts); `backfill` keeps no more in flight. */
  maxActiveRuns?: number;
  /** Its EventBridge Scheduler schedules (absent in older builds: schedules were rules). */
  schedules?: ScheduleDefinition[];
  /**
   * Routes the dispatcher reads after an upstream succeeds: one SSM parameter per
   * distinct upstream (absent without `dependsOn` or when disabled).
   */
  routes?: RouteDefinition[];
  /** Tags of its state machine: the platform, and what the dispatcher notifies (`lakestep:notify-<STATUS>`). */
  stateMachineTags: Record<string, string>;
  /** Maintenance only: tasks grouped by schedule. */
  scheduleGroups?: { schedule: string; group: string; tasks: { table: string; kind: string }[] }[];
  /** Maintenance only: `database.table` of the `managed: true` tables, whose Glue table optimizers the workflow creates with `${TableOptimizerRoleArn}`. */
  managedTables?: string[];
  /** Job documents (relative to build/), uploaded under `s3://${ArtifactsBucket}/lakestep/`. */
  jobs: string[];
  resources: {
    emr: boolean;
    datasync: DataSyncResource[];
    /** Secrets the Spark job reads (JDBC and Kafka credentials). */
    secrets: string[];
    /** Customer managed KMS keys of those secrets (`kms_key_arn`); absent when none. */
    secretKeys?: string[];
    /** S3 locations the Spark jobs use besides their databases' table prefixes (absent in older builds). */
    storage?: WorkflowStorage;
  };
  /** Dag-specific notification recipients (`notification.emails`), on top of the platform's (absent in older builds). */
  notificationEmails?: string[];
  /** Placeholders this workflow's ASL and schedules use. */
  placeholders: string[];
  stats: {
    sparkJobs: number;
    states: number;
    successPathTransitions: number;
    /** Worst-case history events of one execution (quota 25,000; src/asl/limits.ts). */
    worstCaseHistoryEvents?: number;
    /** Worst-case state payload in bytes (quota 256 KiB). */
    worstCasePayloadBytes?: number;
  };
}

/**
 * `s3://bucket/prefix` URIs a workflow's Spark jobs use, beyond the locations of
 * the tables in `access` and the use case's own keys under `lakestep/` of the
 * artifacts bucket. A URI ending in `/` is a prefix; any other names an object.
 * Every one lies under the use case's own prefixes, the artifacts bucket's
 * `shared/` (read) or an `external_locations` prefix (src/ir/locations.ts).
 */
export interface WorkflowStorage {
  /** Landing paths of migrated tables; files the jobs' Spark parameters load; a custom job's entry point and `spark.reads` prefixes. */
  read: string[];
  /** Table locations of migrated tables, Kafka checkpoints, a custom job's `spark.writes` prefixes. */
  readWrite: string[];
}

/**
 * Up to this many distinct DataSync tasks, a migration's role names each one
 * (`<task ARN>*`: the task and its executions); past it, the role may start the
 * tasks tagged `lakestep:use-case=<use case>` (infra tags the tasks it creates;
 * existing tasks must carry the tag) and describe any execution.
 */
export const DATASYNC_TASKS_LISTED_MAX = 20;

/**
 * The DataSync task of one migrated table. Tables sharing a task list the same
 * `taskArn` (or `placeholder`: infra creates that task once) and each its
 * `includes`, the filter its runs pass to StartTaskExecution.
 */
export type DataSyncResource =
  | { table: string; taskArn: string; includes?: string }
  | {
      table: string;
      /** Placeholder name infra fills with the task it creates. */
      placeholder: string;
      location: { hostname: string; port: number; agentArns: string[]; subdirectory: string; simpleUser: string };
      /** Where the task writes: the table's landing path, or for a shared task the migration's landing. */
      destination: string;
      includes?: string;
    };

/** One `AWS::Scheduler::Schedule`, with CloudFormation's property names. */
export interface ScheduleDefinition {
  /** Unique in the platform's schedule group: `<prefix>-<use-case>-<dag>[.<maintenance group>]`, at most 64 characters. */
  Name: string;
  GroupName: string;
  Description: string;
  ScheduleExpression: string;
  /** IANA time zone the expression is evaluated in. */
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  State: 'ENABLED' | 'DISABLED';
  Target: {
    Arn: string;
    RoleArn: string;
    /** JSON text for the schedule starter; `<aws.scheduler.scheduled-time>` is filled by Scheduler. */
    Input: string;
    RetryPolicy: { MaximumEventAgeInSeconds: number; MaximumRetryAttempts: number };
    DeadLetterConfig: { Arn: string };
  };
}

/**
 * One `AWS::SSM::Parameter` of a route (src/events/routes.ts): `Name` is
 * `/lakestep/<prefix>/after/<upstream machine>/<downstream machine>`, `Value` the JSON
 * of the downstream's join.
 */
export interface RouteDefinition {
  Name: string;
  Type: 'String';
  Value: string;
  Description: string;
}

/** One `AWS::Events::Rule`, with CloudFormation's property names. */
export interface RuleDefinition {
  Name: string;
  Description: string;
  ScheduleExpression?: string;
  EventPattern?: Record<string, unknown>;
  State: 'ENABLED' | 'DISABLED';
  Targets: RuleTarget[];
}

export interface RuleTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
}

/**
 * What one EMR Serverless job of the lakestep runtime does: an ordered list of
 * steps, run by `infra/spark/lakestep_runtime.py`, which is started as
 *
 *   lakestep_runtime.py --job s3://<artifacts>/lakestep/<job path> --result s3://<artifacts>/lakestep/results/<...>.json
 *                       [--param name=value ...]
 *
 * Parameters always include `ds`, `ts`, `run_id`; watermarks read by the state
 * machine from DynamoDB are passed as more parameters. SQL uses Spark named
 * parameter markers (`:ds`, `:watermark`) bound by the runtime, never
 * string-spliced values. The result file is JSON `{"watermarks": {key: value}, "rows": {step: n}}`;
 * the state machine reads it and advances watermarks in DynamoDB itself, after
 * the job (and so the Iceberg commit) succeeded.
 */
export interface JobDocument {
  version: 1;
  useCase: string;
  workflow: string;
  job: string;
  catalog: string;
  steps: JobStep[];
}

/** A parallel JDBC read: the range [lower, upper] of a numeric column split into `partitions` queries. */
export interface JdbcPartitioning {
  column: string;
  lower: number;
  upper: number;
  partitions: number;
}

export type JobStep =
  | {
      kind: 'sql';
      name: string;
      sql: string;
      /**
       * Timestamp parameters computed by the runtime as run `ts` minus N seconds
       * (`{cutoff_expire: 604800}` binds `:cutoff_expire`). In `CALL` statements, whose
       * arguments Spark does not bind, the runtime inlines these values as
       * `'YYYY-MM-DD HH:MM:SS'` literals — they are never user input.
       */
      cutoffs?: Record<string, number>;
      /**
       * `now`: the cutoffs count back from the moment the step starts (UTC clock of
       * the driver) instead of the run's `ts`, e.g. to expire every snapshot older
       * than the hard delete that precedes it.
       */
      cutoffsFrom?: 'now';
      /**
       * Independent unit of work (maintenance: the table). A failing step skips only
       * the rest of its group; the other groups still run, and the job then fails
       * naming every failed step.
       */
      group?: string;
    }
  | {
      kind: 'jdbc_extract';
      name: string;
      engine: 'postgresql' | 'oracle';
      secretArn: string;
      table?: string;
      query?: string;
      fetchSize: number;
      partitioning?: JdbcPartitioning;
      /**
       * With a non-empty parameter `watermarkParameter`: rows with `incrementalColumn` at or
       * above the watermark (minus `lookbackSeconds` for timestamps) only. The runtime
       * reports the newest value among the rows it wrote under `watermarkParameter`.
       */
      incrementalColumn?: string;
      watermarkParameter?: string;
      lookbackSeconds?: number;
      /** Temp view the extract is registered as; `writeSql` reads it. */
      view: string;
      writeSql: string;
    }
  | {
      kind: 'kafka';
      name: string;
      bootstrapServersSecretArn: string;
      topics: string[];
      startingOffsets: 'earliest' | 'latest';
      /** Parameter holding an ISO timestamp: `startingTimestamp` on the first run (no checkpoint yet). */
      startingTimestampParameter?: string;
      checkpoint: string;
      format: 'json' | 'avro' | 'raw';
      /** Spark DDL schema of the JSON payload (`order_id BIGINT, ...`). */
      schemaDdl?: string;
      /**
       * Each micro-batch is registered as this temp view (payload fields, plus
       * `_lakestep_corrupt` with `format: json`); the rows of `selectSql` are appended
       * to `target` with the batch id in the snapshot summary, so a replayed batch
       * is not written twice.
       */
      view: string;
      target: string;
      selectSql: string;
      /** Messages that do not parse or lack a required field: appended here, never blocking the stream. */
      deadLetter?: { target: string; selectSql: string };
      trigger: 'available_now' | 'continuous';
      /**
       * Checks of the target, per batch. `gated` (micro-batch): each batch is written to its own
       * audit branch, checked and published; a failing `error` check fails the batch, so the
       * checkpoint does not pass it. Not gated (continuous): checks run after each commit, as warnings.
       * The checks read the batch's own rows, registered as the temporary view `rowsView`.
       */
      audit?: { key: string; retainDays: number; attempts: number; gated: boolean; rowsView: string; checks: CheckStep[] };
    }
  | {
      kind: 'watermark';
      name: string;
      /**
       * Name the value gets in the result file's `watermarks`, and the parameter
       * later steps of the same job can bind it as (empty when NULL).
       */
      key: string;
      /** Query returning one row and one column: the new watermark value (NULL: no change). */
      sql: string;
    }
  | AuditStep
  | CheckStep
  | {
      /** Before a snapshot expiry: Kafka commit records of the snapshots → table properties. */
      kind: 'commit_records';
      name: string;
      table: string;
      group?: string;
    }
  | {
      /** Before a hard delete's expiry: drop the audit branches failed checks kept. */
      kind: 'drop_audit_branches';
      name: string;
      table: string;
      group?: string;
    }
  | {
      kind: 'publish';
      name: string;
      /**
       * After the checks of every audited table: when no `error` check failed, fast-forward each
       * table's main to its audit branch and drop the branch; else keep the branches. A commit
       * that reached main since the branch was created re-runs the steps from the first `audit`
       * step on fresh branches, up to `attempts` runs in all.
       */
      attempts: number;
    };

/**
 * Write-audit-publish of one table: from this step on, the job's writes to the table go
 * to its audit branch (`spark.wap.branch`; created from main with `RETAIN retainDays DAYS`,
 * so a branch kept after a failed check is dropped by snapshot expiry). The branch is the
 * job's alone: named after the document's use case, workflow and job, the run id and the
 * publish attempt (`auditBranchName` in src/naming.ts), so no other table the job reads
 * has a branch of that name and no other job's kept branch is replaced.
 * @see https://iceberg.apache.org/docs/latest/branching/#audit-branch
 */
export interface AuditStep {
  kind: 'audit';
  name: string;
  /** `catalog.database.table`, quoted as in SQL. */
  table: string;
  /** `database.table`: how results name it. */
  key: string;
  retainDays: number;
}

/**
 * One quality check of an audited table (src/sql/checks.ts): `sql` returns the failing
 * rows (`_lakestep_failing` = their count, the other columns identify each row), or
 * for `row_count` one row with `_lakestep_rows`.
 */
export interface CheckStep {
  kind: 'check';
  name: string;
  /** `database.table` of an earlier `audit` step (or of the Kafka step it belongs to). */
  table: string;
  check: string;
  checkKind: 'not_null' | 'unique' | 'accepted_values' | 'row_count' | 'expression' | 'sql';
  severity: 'error' | 'warn';
  sql: string;
  /** row_count: bounds, and for `of: batch` the count of main at `:audit_base_snapshot` to subtract. */
  rowCount?: { min?: number; max?: number; baseSql?: string };
  /** Columns that identify a failing row in samples; `sql` checks: taken from the query's columns when present. */
  sampleColumns: string[];
  /** Sample columns shown as `***`. */
  maskedColumns: string[];
}

export interface BuildReport {
  version: number;
  summary: { useCases: number; compiled: number; quarantined: number; errors: number; warnings: number };
  diagnostics: Diagnostic[];
}
