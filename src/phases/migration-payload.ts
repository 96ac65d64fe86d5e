/**
 * Worst-case state payload of a migration, from what its state carries at the
 * largest point: every table failed, the run about to end in `Failed`. The state
 * then holds the run context, each table's outcome (`$.summary.tables`; the Map's
 * outcomes replace the table items, so the two are never in state together) and
 * the failure cause that quotes them all as one JSON
 * string (`$.error.Cause`, escaped once more when the state is serialized); the
 * run record written just before (`Record failure`) sends the cause and the
 * summary again as strings. Both sizes are computed by serializing models of
 * those values, so JSON escaping is counted exactly.
 *
 * A kept failure cause (small migrations only) is the largest of what the item's
 * states can fail with: a failed Spark job run (`.sync` fails with the job run's
 * description, whose job driver is the item's own), a failed transfer (the
 * DataSync execution description) or an SDK error message.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/API_DescribeTaskExecution.html
 */
import { jsonBytes } from '../asl/limits.ts';
import type { EncodedItems } from './migration-items.ts';
import { FAILURES_KEPT } from './migration-outcomes.ts';
import type { Platform, Workflow } from '../ir/types.ts';
import { RUNTIME_ENTRYPOINT } from './runtime.ts';

/** What a Map item carries per table (the `List tables` result). */
export interface MigrationItem {
  name: string;
  datasync_task: string;
  /** `Includes` filter of a table whose task serves several tables. */
  datasync_includes?: string;
  job: string;
  submit: string;
  /** Whether the conversion reports a watermark. */
  watermark: boolean;
  /** The conversion audits the table (checks): its result says whether they passed. */
  checks?: true;
  /** `database.table` of a table with a freshness SLA: its publish is recorded. */
  fqn?: string;
}

export interface MigrationPayloadInput {
  workflow: Workflow;
  platform: Platform;
  items: readonly MigrationItem[];
  /** What the definition carries (full or compact items). */
  encoded?: EncodedItems;
  /** The Spark configuration every conversion shares (an ItemSelector literal). */
  sharedConf: string;
  /** Items carry their whole submit string (then `sharedConf` is not prepended). */
  ownJars: boolean;
  /** Whether each failed table's outcome keeps its cause. */
  keepCauses: boolean;
}

/** Execution input and run context (`$.run`, trigger fields): a generous allowance. */
export const FRAME_BYTES = 4096;
/** Step Functions error names are at most 256 characters; the ones the items can raise are under 64. */
const ERROR_NAME_BYTES = 64;
/** An SDK integration's error message (`… (Service: DataSync, Status Code: 400, Request ID: …)`): an allowance. */
const SDK_MESSAGE_BYTES = 1024;
/** Execution names are at most 80 characters. */
const EXECUTION_NAME = 'n'.repeat(80);
const TIMESTAMP = '2026-01-01T00:00:00.000+00:00';
const LOGICAL_DATE = '2026-01-01T00:00:00.000Z';

/** A failed conversion's cause: its job run as GetJobRun describes it, every field filled. */
function failedJobRun(p: MigrationPayloadInput, item: MigrationItem): unknown {
  const { workflow: w, platform } = p;
  const bucket = platform.buckets.artifacts;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${platform.region}:123456789012:${resource}`;
  const id = 'i'.repeat(16);
  return {
    ApplicationId: id,
    JobRunId: id,
    Arn: arn('emr-serverless', `/applications/${id}/jobruns/${id}`),
    Name: `${w.useCase}-${w.name}-${EXECUTION_NAME}`,
    Mode: 'BATCH',
    State: 'FAILED',
    // Documented maximum: 256 characters.
    StateDetails: 'd'.repeat(256),
    CreatedBy: arn('sts', `assumed-role/${'r'.repeat(64)}/${'s'.repeat(64)}`),
    ExecutionRole: arn('iam', `role/${'r'.repeat(64)}`),
    ReleaseLabel: platform.emr.releaseLabel,
    CreatedAt: TIMESTAMP,
    UpdatedAt: TIMESTAMP,
    StartedAt: TIMESTAMP,
    EndedAt: TIMESTAMP,
    AttemptCreatedAt: TIMESTAMP,
    AttemptUpdatedAt: TIMESTAMP,
    Attempt: 10,
    ExecutionTimeoutMinutes: Math.ceil(w.timeoutSeconds / 60),
    TotalExecutionDurationSeconds: w.timeoutSeconds,
    QueuedDurationMilliseconds: 1_000_000_000,
    RetryPolicy: { MaxAttempts: 10, MaxFailedAttemptsPerHour: 10 },
    TotalResourceUtilization: { VCpuHour: 12345.678, MemoryGBHour: 12345.678, StorageGBHour: 12345.678 },
    BilledResourceUtilization: { VCpuHour: 12345.678, MemoryGBHour: 12345.678, StorageGBHour: 12345.678, VCpuHourUnit: 'x', MemoryGBHourUnit: 'x' },
    NetworkConfiguration: { SubnetIds: platform.emr.network?.subnetIds ?? [], SecurityGroupIds: platform.emr.network?.securityGroupIds ?? [] },
    ConfigurationOverrides: {},
    Tags: {},
    JobDriver: {
      SparkSubmit: {
        EntryPoint: RUNTIME_ENTRYPOINT.replace('${ArtifactsBucket}', bucket),
        EntryPointArguments: [
          '--job',
          `s3://${bucket}/lakestep/${w.useCase}/jobs/${w.name}/${item.job}.json`,
          '--result',
          `s3://${bucket}/lakestep/results/${w.useCase}/${w.name}/${EXECUTION_NAME}/${item.job}.json`,
          '--param',
          'ds=2026-01-01',
          '--param',
          `ts=${LOGICAL_DATE}`,
          '--param',
          `run_id=${EXECUTION_NAME}`,
        ],
        SparkSubmitParameters: p.ownJars ? item.submit : `${p.sharedConf} ${item.submit}`,
      },
    },
  };
}

/** A failed transfer's cause: the DataSync task execution as DescribeTaskExecution returns it. */
function failedTransfer(item: MigrationItem): unknown {
  const options = Object.fromEntries(
    ['VerifyMode', 'OverwriteMode', 'Atime', 'Mtime', 'Uid', 'Gid', 'PreserveDeletedFiles', 'PreserveDevices', 'PosixPermissions', 'TaskQueueing', 'LogLevel', 'TransferMode', 'SecurityDescriptorCopyFlags', 'ObjectTags'].map((k) => [k, 'ONLY_FILES_TRANSFERRED']),
  );
  const counters = Object.fromEntries(
    ['EstimatedFilesToTransfer', 'EstimatedBytesToTransfer', 'FilesTransferred', 'BytesWritten', 'BytesTransferred', 'BytesCompressed', 'FilesDeleted', 'FilesSkipped', 'FilesVerified', 'EstimatedFilesToDelete', 'FilesPrepared', 'FilesListed', 'FilesFailed'].map((k) => [k, 1_000_000_000_000]),
  );
  return {
    TaskExecutionArn: `${item.datasync_task}/execution/exec-${'e'.repeat(17)}`,
    Status: 'ERROR',
    Options: { ...options, BytesPerSecond: -1 },
    Excludes: [],
    Includes: [],
    StartTime: TIMESTAMP,
    ...counters,
    TaskMode: 'ENHANCED',
    Result: {
      PrepareDuration: 1_000_000_000,
      PrepareStatus: 'ERROR',
      TotalDuration: 1_000_000_000,
      TransferDuration: 1_000_000_000,
      TransferStatus: 'ERROR',
      VerifyDuration: 1_000_000_000,
      VerifyStatus: 'ERROR',
      ErrorCode: 'e'.repeat(64),
      ErrorDetail: 'd'.repeat(SDK_MESSAGE_BYTES),
    },
  };
}

/** The largest cause a table's item can end with, as the string Step Functions carries. */
function largestCause(p: MigrationPayloadInput, item: MigrationItem): string {
  const causes = [JSON.stringify(failedJobRun(p, item)), JSON.stringify(failedTransfer(item)), 'm'.repeat(SDK_MESSAGE_BYTES)];
  return causes.reduce((a, b) => (jsonBytes(b) > jsonBytes(a) ? b : a));
}

/** Worst-case bytes of the largest state or task input of one migration execution. */
export function migrationPayloadBytes(p: MigrationPayloadInput): number {
  if (p.encoded?.compact) return compactPayloadBytes(p, p.encoded);
  const outcomes = p.items.map((item) => ({
    table: item.name,
    status: 'FAILED',
    error: 'e'.repeat(ERROR_NAME_BYTES),
    ...(p.keepCauses ? { cause: largestCause(p, item) } : {}),
  }));
  const cause = `Some tables failed; the others migrated. Per table: ${JSON.stringify(outcomes)}`;
  // Before the Map the state holds the table items; from the Map's output on, the
  // outcomes in their place (the Map's ResultPath), then in the summary only.
  const before = { tables: p.items };
  const state = {
    summary: { tables: outcomes },
    outcome: { any_failed: true },
    error: { Error: 'e'.repeat(ERROR_NAME_BYTES), Cause: cause },
    // Written if the run record itself fails.
    record_error: { Error: 'e'.repeat(ERROR_NAME_BYTES), Cause: 'm'.repeat(SDK_MESSAGE_BYTES) },
  };
  const runRecord = {
    TableName: 't'.repeat(255),
    Item: {
      pk: { S: `${p.workflow.useCase}/${p.workflow.name}` },
      sk: { S: `${LOGICAL_DATE}#${EXECUTION_NAME}` },
      status: { S: 'FAILED' },
      logical_date: { S: LOGICAL_DATE },
      trigger: { S: 'manual' },
      execution_arn: { S: `arn:aws:states:${p.platform.region}:123456789012:execution:${'m'.repeat(80)}:${EXECUTION_NAME}` },
      started_at: { S: TIMESTAMP },
      finished_at: { S: TIMESTAMP },
      error: { S: 'e'.repeat(ERROR_NAME_BYTES) },
      cause: { S: cause },
      summary: { S: JSON.stringify({ tables: outcomes }) },
    },
  };
  return FRAME_BYTES + Math.max(jsonBytes(before), jsonBytes(state), jsonBytes(runRecord));
}

/**
 * The same for compact items and outcomes: the items before the Map, every table's
 * `{f: [table, error]}` after it and `[table, error]` in the summary's failures, then only the first
 * {@link FAILURES_KEPT} failures in the cause and the run record.
 */
function compactPayloadBytes(p: MigrationPayloadInput, encoded: EncodedItems): number {
  const failed = p.items.map((item) => [item.name, 'e'.repeat(ERROR_NAME_BYTES)]);
  const kept = failed.slice(0, FAILURES_KEPT);
  const summary = { tables: failed.length, failed_count: failed.length, failed: kept };
  const cause = `${failed.length} of ${failed.length} tables failed; the others migrated. The first ones: ${JSON.stringify(kept)}`;
  const states = [
    { tables: encoded.items },
    { tables: failed.map((f) => ({ f })) },
    { summary: { tables: failed.length, failed } },
    { summary, error: { Error: 'e'.repeat(ERROR_NAME_BYTES), Cause: cause }, record_error: { Error: 'e'.repeat(ERROR_NAME_BYTES), Cause: 'm'.repeat(SDK_MESSAGE_BYTES) } },
  ];
  const runRecord = {
    TableName: 't'.repeat(255),
    Item: {
      pk: { S: `${p.workflow.useCase}/${p.workflow.name}` },
      sk: { S: `${LOGICAL_DATE}#${EXECUTION_NAME}` },
      execution_arn: { S: `arn:aws:states:${p.platform.region}:123456789012:execution:${'m'.repeat(80)}:${EXECUTION_NAME}` },
      error: { S: 'e'.repeat(ERROR_NAME_BYTES) },
      cause: { S: cause },
      summary: { S: JSON.stringify(summary) },
      other: { S: 'o'.repeat(512) },
    },
  };
  return FRAME_BYTES + Math.max(...states.map(jsonBytes), jsonBytes(runRecord));
}
