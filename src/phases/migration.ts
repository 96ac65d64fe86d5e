/**
 * Migration: create the Iceberg tables (one DDL job), then per table, up to
 * `max_concurrency` at a time: DataSync transfer HDFS → landing, conversion job
 * (appended only while the table is empty), the watermark advanced after the commit,
 * never backwards, and the table marked migrated: ingestion and merges that touch it
 * wait for that mark (src/phases/migration-guard.ts). A failing table does not stop
 * the others; the run record lists each table's outcome, and the run fails if any
 * table failed.
 *
 * Size limits (src/asl/limits.ts): the items in state carry only what differs per
 * table (the shared Spark configuration is a literal of the ItemSelector), and when
 * an inline Map's worst case — every table polling DataSync until the workflow
 * timeout — would pass 80% of the 25,000-event history, the Map becomes a
 * Distributed Map whose tables run as child executions with their own history.
 * Per-table failure causes stay in the summary only for a few tables; the worst-case
 * payload is computed in migration-payload.ts.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { createHash } from 'node:crypto';
import { mergeSubmitParameters, ownsListSetting } from '../spec/submit-parameters.ts';
import { ON_FAILURE, ON_SUCCESS, specComment } from '../asl/frame.ts';
import { HISTORY_EVENTS_MAX, pollIterations, worstCaseEvents } from '../asl/limits.ts';
import { retryFor } from '../asl/policy.ts';
import { template } from '../asl/templates.ts';
import type { State } from '../asl/types.ts';
import type { DataSyncResource, JobDocument } from '../build/types.ts';
import type { Migration, MigrationTable, Platform, Workflow } from '../ir/types.ts';
import { conversionSql, landingViewSql, STATIC_OVERWRITE_CONF, watermarkSql } from '../sql/conversion.ts';
import { createNamespaceSql, tableDdl } from '../sql/ddl.ts';
import { migrationPayloadBytes, type MigrationItem } from './migration-payload.ts';
import { runtimeConf, resultKeyExpr, runtimeJobTask } from './runtime.ts';
import { watermarkAdvance } from './watermarks.ts';
import { gatedSteps } from './quality.ts';
import { qualityGate, recordPublishes } from './quality-gate.ts';
import type { PhaseCompiler } from './types.ts';

const DDL = 'Create Iceberg tables';
const LIST = 'List tables';
const MAP = 'Migrate tables';
const TABLE_FAILED = 'Table failed';
const CONVERT = 'Convert landing files';
const WATERMARK_KEY = 'watermark';
/** Share of the history quota past which the tables run as child executions. */
const DISTRIBUTED_AT = 0.8 * HISTORY_EVENTS_MAX;
/** Up to this many tables, the summary keeps each failed table's cause. */
const CAUSES_KEPT_UP_TO = 4;

/** Key of a migrated table's watermark item: `migration/<database>.<table>`. */
export function migrationWatermarkKey(t: { database: string; table: string }): string {
  return `migration/${t.database}.${t.table}`;
}

/**
 * Attribute of that item set once the table is converted: the mark writers of the
 * table wait for (src/phases/migration-guard.ts).
 */
export const MIGRATED_AT = 'migrated_at';
const MARK = 'Mark table migrated';

export const compileMigration: PhaseCompiler<Migration> = (m, { workflow, platform }) => {
  const w = workflow;
  const doc = (job: string, steps: JobDocument['steps']): JobDocument => ({ version: 1, useCase: w.useCase, workflow: w.name, job, catalog: platform.catalog, steps });
  const jobs: JobDocument[] = [
    doc('ddl', [
      { kind: 'sql', name: `namespace ${m.database}`, sql: createNamespaceSql(platform.catalog, m.database) },
      ...m.tables.flatMap((t) => tableDdl(platform.catalog, t).map((sql, i) => ({ kind: 'sql' as const, name: `${t.name} ddl ${i + 1}`, sql }))),
    ]),
    ...m.tables.map((t) =>
      doc(
        convertJob(t),
        gatedSteps(
          platform,
          [
            { step: { kind: 'sql', name: `${t.name} landing view`, sql: landingViewSql(t) }, writes: [] },
            { step: { kind: 'sql', name: `${t.name} convert`, sql: conversionSql(platform.catalog, t) }, writes: [t.target] },
            // Read from main once published: the watermark of what readers see.
            ...(t.watermarkColumn ? [{ step: { kind: 'watermark' as const, name: `${t.name} watermark`, key: WATERMARK_KEY, sql: watermarkSql(platform.catalog, t.target, t.watermarkColumn) }, writes: [] }] : []),
          ],
          t.quality ? [t.quality] : [],
        ),
      ),
    ),
  ];
  const conf = runtimeConf(platform);
  const sharedConf = mergeSubmitParameters([conf, `--conf ${STATIC_OVERWRITE_CONF}`].join(' '));
  // Only a table's own list-valued settings (jars, packages, extensions, pyFiles…) must be merged with the shared ones.
  const ownLists = m.tables.some((t) => ownsListSetting(t.sparkSubmitParameters ?? ''));
  const items: MigrationItem[] = m.tables.map((t) => ({
    name: t.name,
    datasync_task: t.datasyncTaskArn,
    job: convertJob(t),
    // Then the item carries the whole string.
    submit: ownLists ? mergeSubmitParameters([sharedConf, t.sparkSubmitParameters].join(' ')) : (t.sparkSubmitParameters ?? ''),
    key: migrationWatermarkKey(t.target),
    watermark: t.watermarkColumn !== undefined,
    ...(t.quality?.checks.length ? { checks: true } : {}),
    ...(t.quality?.freshness ? { fqn: `${t.target.database}.${t.target.table}` } : {}),
  }));
  const keepCauses = m.tables.length <= CAUSES_KEPT_UP_TO;
  const item = itemStates(w, platform, m, keepCauses, ownLists);
  const itemGraph = { StartAt: 'Start DataSync transfer', States: item };
  const polls = pollIterations(w.timeoutSeconds, platform.defaults.datasyncPollSeconds, platform.defaults.datasyncPollMaxSeconds);
  const itemEvents = worstCaseEvents(itemGraph, { loopIterations: polls });
  const distributed = 2 + m.tables.length * (2 + itemEvents) > DISTRIBUTED_AT;
  const states: Record<string, State> = {
    [DDL]: runtimeJobTask({
      workflow: w,
      platform,
      job: 'ddl',
      sparkSubmitParameters: [conf, platform.defaults.sparkSubmitParameters].filter(Boolean).join(' '),
      comment: specComment(m.origin, `CREATE TABLE IF NOT EXISTS for ${m.tables.length} table(s)`),
      next: LIST,
      failure: ON_FAILURE,
    }),
    [LIST]: { Type: 'Pass', Result: items, ResultPath: '$.tables', Next: MAP },
    [MAP]: {
      Type: 'Map',
      Comment: `Per table: DataSync transfer, conversion, watermark, migrated mark — ${m.maxConcurrency} at a time${distributed ? '; each table is a child execution (Distributed Map): the inline history would exceed the quota' : ''}`,
      ItemsPath: '$.tables',
      ItemSelector: { 'table.$': '$$.Map.Item.Value', 'run.$': '$.run', spark_conf: sharedConf },
      MaxConcurrency: m.maxConcurrency,
      ItemProcessor: {
        ProcessorConfig: distributed ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
        StartAt: 'Start DataSync transfer',
        States: item,
      },
      // The outcomes replace the table list: the state never holds both (payload quota).
      ResultPath: '$.tables',
      Next: 'Check table outcomes',
    },
    'Check table outcomes': {
      Type: 'Pass',
      Comment: 'Keeps the run context and moves the outcomes into the summary; the rest of the state is no longer needed.',
      Parameters: {
        'run.$': '$.run',
        summary: { 'tables.$': '$.tables' },
        outcome: { 'any_failed.$': "States.ArrayContains($.tables[*].status, 'FAILED')" },
      },
      Next: 'Any table failed?',
    },
    'Any table failed?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.outcome.any_failed', BooleanEquals: true, Next: 'Report failed tables' }],
      Default: ON_SUCCESS,
    },
    'Report failed tables': {
      Type: 'Pass',
      Parameters: {
        Error: 'Lakestep.TablesFailed',
        'Cause.$': "States.Format('Some tables failed; the others migrated. Per table: {}', States.JsonToString($.summary.tables))",
      },
      ResultPath: '$.error',
      Next: ON_FAILURE,
    },
  };
  const datasync: DataSyncResource[] = m.tables.map((t) =>
    t.datasyncLocation
      ? { table: `${t.target.database}.${t.target.table}`, placeholder: t.datasyncTaskArn.slice(2, -1), location: t.datasyncLocation, destination: t.landingPath }
      : { table: `${t.target.database}.${t.target.table}`, taskArn: t.datasyncTaskArn },
  );
  const payloadBytes = migrationPayloadBytes({ workflow: w, platform, items, sharedConf, ownJars: ownLists, keepCauses });
  const frameEvents = worstCaseEvents({ StartAt: DDL, States: states }, { loopIterations: polls, mapItems: { [MAP]: m.tables.length } });
  return {
    startAt: DDL,
    states,
    jobs,
    limits: { historyEvents: frameEvents + 40, payloadBytes },
    resources: { emr: true, datasync, secrets: [] },
    sparkJobs: 1 + m.tables.length,
  };
};

/**
 * Job names become a file name (`<job>.json`, at most 255 bytes) and part of the
 * EMR Serverless job run name (`<use-case>-<dag>-<job>-<execution>`, at most 256
 * characters): a table name longer than {@link JOB_TABLE_MAX} keeps its start and
 * ends with 8 hex characters of its SHA-256, so two long names stay distinct.
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html
 */
function convertJob(t: MigrationTable): string {
  if (t.name.length <= JOB_TABLE_MAX) return `convert-${t.name}`;
  const hash = createHash('sha256').update(t.name).digest('hex').slice(0, 8);
  return `convert-${t.name.slice(0, JOB_TABLE_MAX - hash.length - 1)}-${hash}`;
}

/** Longest table name kept whole in a job name (`convert-<table>`: 64 characters). */
const JOB_TABLE_MAX = 56;

/** The states of one Map item: transfer, convert, checks, watermark; any error ends the item as FAILED. */
function itemStates(w: Workflow, platform: Platform, m: Migration, keepCauses: boolean, ownLists: boolean): Record<string, State> {
  const gate = qualityGate(w, 'New watermark?', TABLE_FAILED);
  const publishes = recordPublishes(w, platform.prefix, { path: '$.table.fqn' }, 'Table migrated');
  return {
    ...template<Record<string, State>>('datasync-transfer', {
      pollSeconds: platform.defaults.datasyncPollSeconds,
      pollMaxSeconds: platform.defaults.datasyncPollMaxSeconds,
      // Another execution of the same task still running is refused; wait for it.
      startRetry: [...retryFor('datasync'), { ErrorEquals: ['DataSync.InvalidRequestException'], IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL' }],
      pollRetry: retryFor('datasync'),
      next: CONVERT,
      failure: TABLE_FAILED,
    }),
    [CONVERT]: runtimeJobTask({
      workflow: w,
      platform,
      job: { path: '$.table.job' },
      sparkSubmitParameters: { path: ownLists ? '$.table.submit' : "States.Format('{} {}', $.spark_conf, $.table.submit)" },
      comment: specComment(m.origin, 'Append the landing files to the still empty table: a retry or re-run never duplicates nor destroys rows'),
      next: 'Read conversion result?',
      failure: TABLE_FAILED,
    }),
    'Read conversion result?': {
      Type: 'Choice',
      Comment: 'Its result holds the watermark and, for a table with checks, their outcome.',
      Choices: [{ Or: [{ Variable: '$.table.watermark', BooleanEquals: true }, { And: [{ Variable: '$.table.checks', IsPresent: true }, { Variable: '$.table.checks', BooleanEquals: true }] }], Next: 'Read conversion result' }],
      Default: MARK,
    },
    'Read conversion result': template<State>('job-result', {
      key: resultKeyExpr(w, { path: '$.table.job' }),
      resultPath: '$.job',
      retry: [...retryFor('s3'), { ErrorEquals: ['S3.NoSuchKeyException'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      failure: TABLE_FAILED,
      next: gate.startAt,
    }),
    ...gate.states,
    'New watermark?': {
      Type: 'Choice',
      Choices: [{ Variable: `$.job.result.watermarks.${WATERMARK_KEY}`, IsPresent: true, Next: 'Advance table watermark' }],
      Default: MARK,
    },
    ...watermarkAdvance({
      name: 'Advance table watermark',
      comment: 'After the commit, and never backwards: an older value fails the condition and is ignored.',
      keyObject: { pk: { 'S.$': '$.table.key' } },
      valuePath: `$.job.result.watermarks.${WATERMARK_KEY}`,
      next: MARK,
      failure: TABLE_FAILED,
    }),
    [MARK]: {
      Type: 'Task',
      Comment: 'Converted (and its watermark advanced): ingestion and merges of this table may now write it.',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: '${WatermarksTable}',
        Key: { pk: { 'S.$': '$.table.key' } },
        UpdateExpression: `SET ${MIGRATED_AT} = :now, migrated_by = :exec`,
        ExpressionAttributeValues: { ':now': { 'S.$': '$$.State.EnteredTime' }, ':exec': { 'S.$': '$$.Execution.Id' } },
      },
      ResultPath: null,
      Retry: retryFor('dynamodb'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: TABLE_FAILED }],
      Next: 'Freshness SLA?',
    },
    'Freshness SLA?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.table.fqn', IsPresent: true, Next: publishes.startAt }],
      Default: 'Table migrated',
    },
    ...publishes.states,
    'Table migrated': { Type: 'Pass', Parameters: { 'table.$': '$.table.name', status: 'SUCCEEDED' }, End: true },
    [TABLE_FAILED]: {
      Type: 'Pass',
      Parameters: { 'table.$': '$.table.name', status: 'FAILED', 'error.$': '$.error.Error', ...(keepCauses ? { 'cause.$': '$.error.Cause' } : {}) },
      End: true,
    },
  };
}
