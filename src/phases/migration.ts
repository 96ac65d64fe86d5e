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
import { pollLoopSeconds } from '../asl/durations.ts';
import { mergeSubmitParameters, ownsListSetting } from '../spec/submit-parameters.ts';
import { ON_FAILURE, specComment } from '../asl/frame.ts';
import { HISTORY_EVENTS_MAX, pollIterations, worstCaseEvents } from '../asl/limits.ts';
import { retryFor } from '../asl/policy.ts';
import { template } from '../asl/templates.ts';
import type { State, TaskState } from '../asl/types.ts';
import type { CheckStep, DataSyncResource, JobDocument } from '../build/types.ts';
import type { Migration, Platform, Workflow } from '../ir/types.ts';
import { conversionSql, HIVE_DATETIME_CONFS, landingViewSql, STATIC_OVERWRITE_CONF, watermarkSql } from '../sql/conversion.ts';
import { createNamespaceSql, tableDdl } from '../sql/ddl.ts';
import { convertJob, encodeItems, migrationWatermarkKeyExpr } from './migration-items.ts';
import { afterMap, itemEnds, outcomeStates, TABLE_FAILED, TABLE_MIGRATED } from './migration-outcomes.ts';
import { migrationPayloadBytes, type MigrationItem } from './migration-payload.ts';
import { runtimeConf, resultKeyExpr, runtimeJobTask } from './runtime.ts';
import { watermarkAdvance } from './watermarks.ts';
import { gatedSteps } from './quality.ts';
import { qualityGate, recordPublishes } from './quality-gate.ts';
import type { PhaseCompiler } from './types.ts';

const DDL = 'Create Iceberg tables';
const LIST = 'List tables';
const MAP = 'Migrate tables';
const CONVERT = 'Convert landing files';
const TRANSFER = 'Start DataSync transfer';
const WHOLE_TRANSFER = 'Start DataSync transfer of its own task';
const ITEM_START = 'Shared DataSync task?';
const WATERMARK_KEY = 'watermark';
/** Share of the history quota past which the tables run as child executions. */
const DISTRIBUTED_AT = 0.8 * HISTORY_EVENTS_MAX;
/** Up to this many tables, the summary keeps each failed table's cause. */
const CAUSES_KEPT_UP_TO = 4;

export { migrationWatermarkKey } from './migration-items.ts';

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
  const sharedConf = mergeSubmitParameters([conf, ...[STATIC_OVERWRITE_CONF, ...HIVE_DATETIME_CONFS].map((c) => `--conf ${c}`)].join(' '));
  // Only a table's own list-valued settings (jars, packages, extensions, pyFiles…) must be merged with the shared ones.
  const ownLists = m.tables.some((t) => ownsListSetting(t.sparkSubmitParameters ?? ''));
  const full: MigrationItem[] = m.tables.map((t) => ({
    name: t.name,
    datasync_task: t.datasyncTaskArn,
    ...(t.datasyncIncludes === undefined ? {} : { datasync_includes: t.datasyncIncludes }),
    job: convertJob(t),
    // Then the item carries the whole string.
    submit: ownLists ? mergeSubmitParameters([sharedConf, t.sparkSubmitParameters].join(' ')) : (t.sparkSubmitParameters ?? ''),
    watermark: t.watermarkColumn !== undefined,
    ...(t.quality?.checks.length ? { checks: true } : {}),
    ...(t.quality?.freshness ? { fqn: `${t.target.database}.${t.target.table}` } : {}),
  }));
  const encoded = encodeItems(m, full, sharedConf);
  // Some table is checked: the run record keeps every table's check summary, merged (migration-outcomes.ts).
  const checks = m.tables.some((t) => (t.quality?.checks.length ?? 0) > 0);
  const keepCauses = m.tables.length <= CAUSES_KEPT_UP_TO;
  // The dag's timeout bounds each table's transfer as it bounds each job attempt: the poll loop counts its polls.
  // A run of a shared task may first queue behind the runs of the other tables in flight.
  const { datasyncPollSeconds: first, datasyncPollMaxSeconds: cap } = platform.defaults;
  const polls = pollIterations(w.timeoutSeconds * Math.min(m.maxConcurrency, largestSharedTask(m)), first, cap);
  const item = itemStates(w, platform, m, keepCauses, ownLists, polls, encoded.compact, checks);
  const itemGraph = { StartAt: itemStart(m), States: item };
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
    [LIST]: { Type: 'Pass', Result: encoded.items, ResultPath: '$.tables', Next: MAP },
    [MAP]: {
      Type: 'Map',
      Comment: `Per table: DataSync transfer, conversion, watermark, migrated mark — ${m.maxConcurrency} at a time${distributed ? '; each table is a child execution (Distributed Map): the inline history would exceed the quota' : ''}`,
      ItemsPath: '$.tables',
      ItemSelector: encoded.itemSelector,
      MaxConcurrency: m.maxConcurrency,
      ItemProcessor: {
        ProcessorConfig: distributed ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
        StartAt: itemStart(m),
        States: item,
      },
      // The outcomes replace the table list: the state never holds both (payload quota).
      ResultPath: '$.tables',
      Next: afterMap(checks),
    },
    ...outcomeStates(encoded.compact, checks),
  };
  const datasync: DataSyncResource[] = m.tables.map((t) => {
    const includes = t.datasyncIncludes === undefined ? {} : { includes: t.datasyncIncludes };
    const table = `${t.target.database}.${t.target.table}`;
    // A task shared by the migration writes below its landing; a table's own task into the table's landing path.
    if (t.datasyncLocation) return { table, placeholder: t.datasyncTaskArn.slice(2, -1), location: t.datasyncLocation, destination: t.datasyncIncludes === undefined ? t.landingPath : m.landing, ...includes };
    return { table, taskArn: t.datasyncTaskArn, ...includes };
  });
  // Each checked table's checks as its conversion runs them: the outcomes and the run record carry their results.
  const docs = new Map(jobs.map((d) => [d.job, d]));
  const tableChecks = new Map(
    m.tables.flatMap((t) => {
      const steps = docs.get(convertJob(t))!.steps.filter((s): s is CheckStep => s.kind === 'check');
      return steps.length ? [[t.name, steps] as const] : [];
    }),
  );
  const payloadBytes = migrationPayloadBytes({ workflow: w, platform, items: full, encoded, sharedConf, ownJars: ownLists, keepCauses, checks: tableChecks });
  const frameEvents = worstCaseEvents({ StartAt: DDL, States: states }, { loopIterations: polls, mapItems: { [MAP]: m.tables.length } });
  return {
    startAt: DDL,
    states,
    timing: { mapItems: { [MAP]: m.tables.length }, loopSeconds: pollLoopSeconds(polls, first, cap) },
    jobs,
    limits: { historyEvents: frameEvents + 40, payloadBytes },
    resources: { emr: true, datasync, secrets: [] },
    sparkJobs: 1 + m.tables.length,
  };
};

/** Tables of the most shared task (1 when every table has its own). */
function largestSharedTask(m: Migration): number {
  const counts = new Map<string, number>();
  for (const t of m.tables) if (t.datasyncIncludes !== undefined) counts.set(t.datasyncTaskArn, (counts.get(t.datasyncTaskArn) ?? 0) + 1);
  return Math.max(1, ...counts.values());
}

/** The first state of a table's item: the Choice between filtered and whole transfers when the migration has both. */
function itemStart(m: Migration): string {
  const filtered = m.tables.filter((t) => t.datasyncIncludes !== undefined).length;
  return filtered > 0 && filtered < m.tables.length ? ITEM_START : TRANSFER;
}

/** The states of one Map item: transfer, convert, checks, watermark; any error ends the item as FAILED. */
function itemStates(w: Workflow, platform: Platform, m: Migration, keepCauses: boolean, ownLists: boolean, maxPolls: number, compact: boolean, checks: boolean): Record<string, State> {
  const filtered = m.tables.filter((t) => t.datasyncIncludes !== undefined).length;
  const plain = { 'TaskArn.$': '$.table.datasync_task' };
  const withIncludes = { ...plain, Includes: [{ FilterType: 'SIMPLE_PATTERN', 'Value.$': '$.table.datasync_includes' }] };
  const transfer = template<Record<string, State>>('datasync-transfer', {
    startParameters: filtered > 0 ? withIncludes : plain,
    pollSeconds: platform.defaults.datasyncPollSeconds,
    pollMaxSeconds: platform.defaults.datasyncPollMaxSeconds,
    maxPolls,
    // Another execution of the same task with the same filter still running is refused; wait for it.
    startRetry: [...retryFor('datasync'), { ErrorEquals: ['DataSync.InvalidRequestException'], IntervalSeconds: 60, MaxAttempts: 5, BackoffRate: 2, JitterStrategy: 'FULL' }],
    pollRetry: retryFor('datasync'),
    next: CONVERT,
    failure: TABLE_FAILED,
  });
  // Tables with their own task and tables of a shared one in one migration: a Choice picks the start without filter.
  const mixed = filtered > 0 && filtered < m.tables.length;
  const start = transfer[TRANSFER] as TaskState;
  // The table's outcome, its cause included, goes into the run record: no sample keys in it.
  const gate = qualityGate(w, 'New watermark?', TABLE_FAILED, { causeWithoutSamples: true });
  const publishes = recordPublishes(w, platform.prefix, { path: '$.table.fqn' }, TABLE_MIGRATED);
  return {
    ...(mixed
      ? {
          // Tables of their own task carry the filter "".
          [ITEM_START]: { Type: 'Choice', Choices: [{ Variable: '$.table.datasync_includes', StringEquals: '', Next: WHOLE_TRANSFER }], Default: TRANSFER },
          [WHOLE_TRANSFER]: { ...start, Parameters: plain },
        }
      : {}),
    ...transfer,
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
      keyObject: { pk: { 'S.$': migrationWatermarkKeyExpr(m.database) } },
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
        Key: { pk: { 'S.$': migrationWatermarkKeyExpr(m.database) } },
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
      Default: TABLE_MIGRATED,
    },
    ...publishes.states,
    ...itemEnds(compact, keepCauses, checks),
  };
}
