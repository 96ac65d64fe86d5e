/**
 * The build artifacts: the contract between the compiler, `infra/` and the
 * simulator (DESIGN §6). Nothing outside `src/` may import other `src/` modules;
 * they read these files from `build/`.
 *
 * build/manifest.json                         {@link Manifest}
 * build/report.json                           {@link BuildReport}
 * build/<use-case>/<workflow>.asl.json        ASL with ${Placeholders}
 * build/<use-case>/jobs/<workflow>/<job>.json {@link JobDocument}, uploaded to the artifacts bucket
 */
import type { Diagnostic } from '../diagnostics.ts';

export const MANIFEST_VERSION = 1;

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
  quarantined: { useCase: string; diagnostics: Diagnostic[] }[];
  /**
   * State machines of the platform itself, with any use case compiled (absent in older
   * builds): the backfill machine of `lakestep backfill --detach`, and the dispatcher
   * with the one EventBridge rule that feeds it (dependencies and notifications).
   */
  machines?: {
    backfill: { stateMachineName: string; definition: string };
    dispatcher?: { stateMachineName: string; definition: string; rule: RuleDefinition };
  };
}

/** Environment settings shared by the IR's platform and the manifest. */
export interface PlatformSettings {
  prefix: string;
  region: string;
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
}

export interface ManifestPlatform extends PlatformSettings {
  /** Glue databases the specs use (the Spark job role is scoped to them). */
  databases: string[];
}

export interface ManifestUseCase {
  name: string;
  owner: string;
  specHash: string;
  files: string[];
  workflows: ManifestWorkflow[];
  /** Tables of this use case that other use cases may read, write or maintain (`share:`); absent when none. */
  shares?: TableShare[];
}

/** One `share:` entry of a use case: the table, the use cases granted, and what they may do. */
export interface TableShare {
  table: string;
  with: string[];
  access: ('read' | 'write' | 'maintain')[];
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
  /** Job documents (relative to build/), uploaded under `s3://${ArtifactsBucket}/lakestep/`. */
  jobs: string[];
  resources: {
    emr: boolean;
    datasync: DataSyncResource[];
    tables: string[];
    /** Secrets the Spark job reads (JDBC and Kafka credentials). */
    secrets: string[];
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
 * `s3://bucket/prefix` URIs a workflow's Spark jobs use, beyond
 * `s3://<raw|process|analytics>/<database>/` of the Glue databases in
 * `resources.tables` and the use case's own keys under `lakestep/` of the
 * artifacts bucket. A URI ending in `/` is a prefix; any other names an object
 * or a key prefix (an argument cut at its first run template).
 */
export interface WorkflowStorage {
  /** Landing paths of migrated tables; entry points and files a custom Spark job loads. */
  read: string[];
  /** Table locations of migrated tables, Kafka checkpoints, `s3://` prefixes in custom Spark arguments. */
  readWrite: string[];
}

export type DataSyncResource =
  | { table: string; taskArn: string }
  | {
      table: string;
      /** Placeholder name infra fills with the task it creates. */
      placeholder: string;
      location: { hostname: string; port: number; agentArns: string[]; subdirectory: string; simpleUser: string };
      destination: string;
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
    };

export interface BuildReport {
  version: number;
  summary: { useCases: number; compiled: number; quarantined: number; errors: number; warnings: number };
  diagnostics: Diagnostic[];
}
