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
 * DataSync execution description), an SDK error message or, for a checked table,
 * its failed checks (quality-gate.ts, without samples).
 *
 * When the migration checks tables (migration-outcomes.ts), each checked table's
 * outcome also carries its check summary (`s`, `c`, `pub` or `kept`), the state
 * then holds them merged as `$.quality` beside the outcomes, and the summary and
 * the run record keep that merge as `summary.quality`. The worst case is every
 * check of every checked table failing, with the longest values each field can
 * take: a count of 19 digits (a Spark long), the longest status, the kept audit
 * branch at its longest name (an 80-character execution name, the last publish
 * attempt). The checks are the tables' own (count, rendered name, kind, severity),
 * from their conversion's job documents.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_JobRun.html
 * @see https://docs.aws.amazon.com/datasync/latest/userguide/API_DescribeTaskExecution.html
 */
import { jsonBytes } from '../asl/limits.ts';
import type { CheckStep } from '../build/types.ts';
import { auditBranchName } from '../naming.ts';
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
  /**
   * The checks of each checked table (by item name), as its conversion's job document runs them.
   * A migration with none carries no check summary.
   */
  checks?: ReadonlyMap<string, readonly PayloadCheck[]>;
}

/** What a table's check result repeats of its check (src/build/types.ts `CheckStep`). */
export type PayloadCheck = Pick<CheckStep, 'table' | 'check' | 'checkKind' | 'severity'>;

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
/**
 * A check's failing row count, or a row_count check's rows (a batch's may be negative): Spark
 * longs, 19 digits and a sign at most (serialized as 9223372036854776000, the same length).
 */
const MAX_COUNT = 9223372036854775807;
const MIN_COUNT = -9223372036854775807;
/** The longest status of a job's quality (`failed`, `conflict`, `warned`, `passed`). */
const QUALITY_STATUS = 'conflict';

/** A table's check summary at its largest: every check failed, its branch kept. */
interface TableChecks {
  results: Record<string, unknown>[];
  kept: { table: string; branch: string };
  /** Its error checks, counted in its failure cause. */
  errors: number;
}

/**
 * The check summaries of the checked items, in item order: the result of each check as the
 * runtime writes it into the summary (infra/spark/lakestep/quality.py `to_result`: table, check,
 * kind, severity, status, failing, and rows for row_count), and the audit branch kept.
 */
function tableChecks(p: MigrationPayloadInput): Map<string, TableChecks> {
  const out = new Map<string, TableChecks>();
  if (!p.checks) return out;
  const { workflow: w, platform } = p;
  const attempt = Math.max(1, platform.quality.publishAttempts);
  for (const item of p.items) {
    const checks = p.checks.get(item.name);
    if (!checks?.length) continue;
    const results = checks.map((c) => ({
      table: c.table,
      check: c.check,
      kind: c.checkKind,
      severity: c.severity,
      status: 'failed',
      ...(c.checkKind === 'row_count' ? { failing: 1, rows: MIN_COUNT } : { failing: MAX_COUNT }),
    }));
    // The runtime's name for the branch: the dag's name, the execution name and the attempt (src/naming.ts).
    const branch = auditBranchName({ useCase: w.useCase, workflow: w.name, job: item.job }, EXECUTION_NAME, attempt);
    out.set(item.name, { results, kept: { table: checks[0]!.table, branch }, errors: checks.filter((c) => c.severity === 'error').length });
  }
  return out;
}

/** The fields a checked table's outcome carries beside its outcome (migration-outcomes.ts `itemEnds`). */
function checkFields(t: TableChecks): Record<string, unknown> {
  // `pub` (the table's name) when published, `kept` when not: the kept branch is the larger.
  return { s: QUALITY_STATUS, c: t.results, kept: t.kept };
}

/**
 * `$.quality` after the Map: first the merge of the check fields (`Merge check results`), then what
 * the summary keeps (`Keep checks: …`). Published tables and kept branches: each table one or the other.
 */
function mergedQuality(checked: readonly TableChecks[]): { merging: unknown; kept: unknown } {
  const kept = checked.map((t) => t.kept);
  return {
    merging: { statuses: checked.map(() => QUALITY_STATUS), published: [], kept, failed: false, conflict: false, warned: false },
    kept: { status: QUALITY_STATUS, published: [], kept, checks: checked.flatMap((t) => t.results) },
  };
}

/** A checked table's failure cause: its failed checks (quality-gate.ts, `causeWithoutSamples`). */
function checksCause(t: TableChecks): string {
  return `${t.errors} error check(s) failed; nothing was published, audit branches kept: ${JSON.stringify([t.kept])}. Checks (the notification names failing rows): ${JSON.stringify(t.results)}`;
}

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
function largestCause(p: MigrationPayloadInput, item: MigrationItem, checks: TableChecks | undefined): string {
  const causes = [JSON.stringify(failedJobRun(p, item)), JSON.stringify(failedTransfer(item)), 'm'.repeat(SDK_MESSAGE_BYTES), ...(checks ? [checksCause(checks)] : [])];
  return causes.reduce((a, b) => (jsonBytes(b) > jsonBytes(a) ? b : a));
}

/** Worst-case bytes of the largest state or task input of one migration execution. */
export function migrationPayloadBytes(p: MigrationPayloadInput): number {
  const checks = tableChecks(p);
  if (p.encoded?.compact) return compactPayloadBytes(p, p.encoded, checks);
  const outcomes = p.items.map((item) => ({
    table: item.name,
    status: 'FAILED',
    error: 'e'.repeat(ERROR_NAME_BYTES),
    ...(p.keepCauses ? { cause: largestCause(p, item, checks.get(item.name)) } : {}),
  }));
  const cause = `Some tables failed; the others migrated. Per table: ${JSON.stringify(outcomes)}`;
  // With checks, each Map outcome is `{o, status}` and, for a checked table, its check fields;
  // the state holds them and their merge (`$.quality`) until the summary keeps `o` and the merge.
  const withChecks = checks.size > 0;
  const quality = mergedQuality([...checks.values()]);
  const mapped = withChecks
    ? p.items.map((item, i) => {
        const t = checks.get(item.name);
        return { o: outcomes[i], status: 'FAILED', ...(t ? checkFields(t) : {}) };
      })
    : outcomes;
  const summary = { tables: outcomes, ...(withChecks ? { quality: quality.kept } : {}) };
  // Before the Map the state holds the table items; from the Map's output on, the
  // outcomes in their place (the Map's ResultPath), then in the summary only.
  const before = { tables: p.items };
  const merging = withChecks ? [{ tables: mapped, quality: quality.merging }, { tables: mapped, quality: quality.kept }] : [];
  const state = {
    summary,
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
      summary: { S: JSON.stringify(summary) },
    },
  };
  return FRAME_BYTES + Math.max(jsonBytes(before), ...merging.map(jsonBytes), jsonBytes(state), jsonBytes(runRecord));
}

/**
 * The same for compact items and outcomes: the items before the Map, every table's
 * `{f: [table, error]}` after it and `[table, error]` in the summary's failures, then only the first
 * {@link FAILURES_KEPT} failures in the cause and the run record. A failed checked table's outcome
 * carries its check fields too, and the summary and the run record keep the checks of every failed
 * table (not only the first ones).
 */
function compactPayloadBytes(p: MigrationPayloadInput, encoded: EncodedItems, checks: ReadonlyMap<string, TableChecks>): number {
  const failed = p.items.map((item) => [item.name, 'e'.repeat(ERROR_NAME_BYTES)]);
  const kept = failed.slice(0, FAILURES_KEPT);
  const withChecks = checks.size > 0;
  const quality = mergedQuality([...checks.values()]);
  const q = withChecks ? { quality: quality.kept } : {};
  const summary = { tables: failed.length, failed_count: failed.length, failed: kept, ...q };
  const cause = `${failed.length} of ${failed.length} tables failed; the others migrated. The first ones: ${JSON.stringify(kept)}`;
  const outcomes = p.items.map((item, i) => {
    const t = checks.get(item.name);
    return { f: failed[i], ...(t ? checkFields(t) : {}) };
  });
  const states = [
    { tables: encoded.items },
    { tables: outcomes },
    ...(withChecks ? [{ tables: outcomes, quality: quality.merging }, { tables: outcomes, quality: quality.kept }] : []),
    { summary: { tables: failed.length, failed, ...q } },
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
