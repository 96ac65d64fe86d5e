/**
 * The states after a job that audits tables (src/phases/quality.ts): the job's result
 * says whether its checks passed. Its summary goes into the run record; a failed
 * `error` check notifies the platform topic with the failing checks, their failing row
 * counts and sample keys (masked where the columns are personal data) and fails the run
 * with `Lakestep.QualityCheckFailed` before any watermark moves; a publish conflict that
 * outlasted its attempts fails it with `Lakestep.PublishConflict`; warnings notify and go on.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
 */
import { retryFor } from '../asl/policy.ts';
import type { State } from '../asl/types.ts';
import type { Workflow } from '../ir/types.ts';
import { watermarkAdvance, type Fragment } from './watermarks.ts';

export const QUALITY_CHECK_FAILED = 'Lakestep.QualityCheckFailed';
export const PUBLISH_CONFLICT = 'Lakestep.PublishConflict';
const Q = '$.job.result.quality';

export interface GateNames {
  /** Prefix of the state names (`''`, or e.g. `'Table '` inside a Map item). */
  label?: string;
  /**
   * The error's cause names the checks without their sample keys (the summary's checks): a
   * migration's table outcomes, causes included, go into the run record, which keeps no sample key.
   */
  causeWithoutSamples?: boolean;
}

/** SNS subjects are at most 100 ASCII characters. */
function subject(w: Workflow, what: string): string {
  const s = `lakestep ${w.useCase}/${w.name}: ${what}`;
  return s.length <= 100 ? s : `${s.slice(0, 99)}…`.replace(/[^\x20-\x7e]/g, '');
}

/**
 * Entry `Checks passed?`: on to `next` when the checks passed (or the result has none),
 * through a warning notification when only `warn` checks failed; to `failure` with `$.error`
 * set otherwise. Expects the result at `$.job.result`.
 *
 * `partly` (a job that may publish some tables before a check or a conflict stops it: an
 * ingestion publishes its JDBC targets, then each Kafka batch on its own): when the result's
 * `summary.published` is not empty, the notification and the error name the published tables
 * and the run goes through `partly` (their watermarks and publish records: {@link partlyPublished},
 * which ends at `failure`) before it fails.
 */
export function qualityGate(w: Workflow, next: string, failure: string, names: GateNames = {}, partly?: Fragment): Fragment {
  const n = (s: string) => `${names.label ?? ''}${s}`;
  const status = (value: string, target: string) => ({ And: [{ Variable: `${Q}.status`, IsPresent: true }, { Variable: `${Q}.status`, StringEquals: value }], Next: target });
  const publish = (what: string, message: string, after: string): State => ({
    Type: 'Task',
    Comment: 'The checks and their sample keys, to the platform topic (the run record keeps the summary).',
    Resource: 'arn:aws:states:::sns:publish',
    Parameters: { TopicArn: '${NotificationTopicArn}', Subject: subject(w, what), 'Message.$': message },
    ResultPath: null,
    Retry: retryFor('sns'),
    // A notification that cannot be sent must not change the outcome of the run.
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: after }],
    Next: after,
  });
  const failedText = `States.JsonToString(${Q}.failed)`;
  const keptText = `States.JsonToString(${Q}.summary.kept)`;
  const publishedText = `States.JsonToString(${Q}.summary.published)`;
  const anyPublished = (yes: string, no: string): State => ({
    Type: 'Choice',
    Comment: 'Tables this run published before the checks or the conflict that stopped it (main moved): reported as published, their watermarks and publish times recorded.',
    Choices: [{ Variable: `${Q}.summary.published[0]`, IsPresent: true, Next: yes }],
    Default: no,
  });
  const partlyStates: Record<string, State> = partly
    ? {
        [n('Published before the failed checks?')]: anyPublished(n('Notify failed checks, partly published'), n('Notify failed checks')),
        [n('Notify failed checks, partly published')]: publish(
          'quality checks failed',
          `States.Format('lakestep ${w.useCase}/${w.name}: quality checks failed in execution {}. Published before the failing checks (main moved; their watermarks and publish times are recorded): {}. Not published (main is as it was before the run; the audit branches are kept for inspection, read a table as of its branch name): {}. Failing checks, failing rows and sample keys: {}', $$.Execution.Name, ${publishedText}, ${keptText}, ${failedText})`,
          n('Checks failed, partly published'),
        ),
        [n('Checks failed, partly published')]: {
          Type: 'Pass',
          Parameters: {
            Error: QUALITY_CHECK_FAILED,
            'Cause.$': `States.Format('{} error check(s) failed; published before them: {}; not published, audit branches kept: {}. Failing checks, failing rows and sample keys: {}', States.ArrayLength(${Q}.failed), ${publishedText}, ${keptText}, ${failedText})`,
          },
          ResultPath: '$.error',
          Next: partly.startAt,
        },
        [n('Published before the conflict?')]: anyPublished(partly.startAt, failure),
        ...partly.states,
      }
    : {};
  return {
    startAt: n('Record check results'),
    states: {
      [n('Record check results')]: {
        Type: 'Choice',
        Choices: [{ Variable: `${Q}.summary`, IsPresent: true, Next: n('Keep check summary') }],
        Default: next,
      },
      [n('Keep check summary')]: {
        Type: 'Pass',
        Comment: 'Every check with its outcome, for the run record (sample keys stay in the .checks.json file and the notification).',
        InputPath: `${Q}.summary`,
        ResultPath: '$.summary.quality',
        Next: n('Checks passed?'),
      },
      [n('Checks passed?')]: {
        Type: 'Choice',
        Choices: [status('failed', partly ? n('Published before the failed checks?') : n('Notify failed checks')), status('conflict', n('Publish conflict')), status('warned', n('Notify check warnings'))],
        Default: next,
      },
      [n('Notify failed checks')]: publish(
        'quality checks failed',
        `States.Format('lakestep ${w.useCase}/${w.name}: quality checks failed in execution {}. Nothing was published: main is as it was before the run, and the audit branches are kept for inspection (read a table as of its branch name): {}. Failing checks, failing rows and sample keys: {}', $$.Execution.Name, ${keptText}, ${failedText})`,
        n('Checks failed'),
      ),
      [n('Checks failed')]: {
        Type: 'Pass',
        Parameters: {
          Error: QUALITY_CHECK_FAILED,
          'Cause.$': names.causeWithoutSamples
            ? `States.Format('{} error check(s) failed; nothing was published, audit branches kept: {}. Checks (the notification names failing rows): {}', States.ArrayLength(${Q}.failed), ${keptText}, States.JsonToString(${Q}.summary.checks))`
            : `States.Format('{} error check(s) failed; nothing was published, audit branches kept: {}. Failing checks, failing rows and sample keys: {}', States.ArrayLength(${Q}.failed), ${keptText}, ${failedText})`,
        },
        ResultPath: '$.error',
        Next: failure,
      },
      [n('Publish conflict')]: {
        Type: 'Pass',
        Parameters: { Error: PUBLISH_CONFLICT, 'Cause.$': `${Q}.conflict` },
        ResultPath: '$.error',
        Next: partly ? n('Published before the conflict?') : failure,
      },
      ...partlyStates,
      [n('Notify check warnings')]: publish(
        'quality warnings',
        `States.Format('lakestep ${w.useCase}/${w.name}: warn checks failed in execution {}; the run published. Checks, failing rows and sample keys: {}', $$.Execution.Name, States.JsonToString(${Q}.warned))`,
        next,
      ),
    },
  };
}

/**
 * After a run published `tables` (or, in a migration Map item, the item's table at
 * `tablePath`): the time in the watermarks table (`published/<database.table>`, read by
 * `lakestep status`) and one `TablePublished` data point per table, the metric the
 * freshness alarms watch (src/events/freshness.ts). A failure to record is not a failure
 * of the run: the alarm then reports the table late, which is the safe side.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export function recordPublishes(w: Workflow, prefix: string, tables: readonly string[] | { path: string } | { table: string }, next: string, names: GateNames = {}): Fragment {
  const n = (s: string) => `${names.label ?? ''}${s}`;
  if (isList(tables) && tables.length === 0) return { startAt: next, states: {} };
  const item = (table: { path: string } | { table: string }, after: string | undefined): Record<string, State> => {
    // A table named in the definition is written under a static key (the role grants the key: infra/).
    const pk = 'table' in table ? { S: `published/${table.table}` } : { 'S.$': `States.Format('published/{}', ${table.path})` };
    const dimension = 'table' in table ? { Value: table.table } : { 'Value.$': table.path };
    const end = after === undefined ? { End: true as const } : { Next: after };
    const skip = after === undefined ? n('Publish not recorded') : after;
    return {
      [n('Record publish time')]: {
        Type: 'Task',
        Comment: 'When the table was last published: `lakestep status` shows its age against its freshness SLA.',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Parameters: {
          TableName: '${WatermarksTable}',
          Item: {
            pk,
            published_at: { 'S.$': '$$.State.EnteredTime' },
            workflow: { S: `${w.useCase}/${w.name}` },
            execution_arn: { 'S.$': '$$.Execution.Id' },
          },
        },
        ResultPath: null,
        Retry: retryFor('dynamodb'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: n('Publish freshness metric') }],
        Next: n('Publish freshness metric'),
      },
      [n('Publish freshness metric')]: {
        Type: 'Task',
        Comment: 'One data point per publish: the freshness alarms fire when none came for warn_after / error_after.',
        Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData',
        Parameters: {
          Namespace: 'Lakestep',
          MetricData: [
            { MetricName: 'TablePublished', Dimensions: [{ Name: 'Platform', Value: prefix }, { Name: 'Table', ...dimension }], Value: 1, Unit: 'Count' },
          ],
        },
        ResultPath: null,
        Retry: retryFor('cloudwatch'),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, ...(after === undefined ? { Next: skip } : { Next: after }) }],
        ...end,
      },
      ...(after === undefined ? { [skip]: { Type: 'Pass', End: true } as State } : {}),
    };
  };
  if (!isList(tables)) return { startAt: n('Record publish time'), states: item(tables, next) };
  return {
    startAt: n('Published tables'),
    states: {
      [n('Published tables')]: { Type: 'Pass', Comment: 'Tables with a freshness SLA that this run published.', Result: tables.map((table) => ({ table })), ResultPath: '$.published', Next: n('Record publishes') },
      [n('Record publishes')]: {
        Type: 'Map',
        ItemsPath: '$.published',
        ItemSelector: { 'table.$': '$$.Map.Item.Value.table' },
        MaxConcurrency: 1,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: n('Record publish time'), States: item({ path: '$.table' }, undefined) },
        ResultPath: null,
        Next: next,
      },
    },
  };
}

/** A watermark the job's result advances, with the table whose publish it belongs to. */
export interface PublishedWatermark {
  /** State name label. */
  label: string;
  /** Item key in the watermarks table. */
  key: string;
  /** Name of the new value in the result's `watermarks`. */
  resultKey: string;
  /** `database.table` it is the watermark of: advanced only when that table was published. */
  table: string;
}

/**
 * After a job stopped by failed checks or a conflict that had published some tables (its result's
 * `summary.published`): the watermarks of those tables advanced and, for those with a freshness
 * SLA (`freshness`), their publish time and data point recorded, as a successful run does — so a
 * table published every run does not raise a false freshness alarm because another table of the
 * job keeps failing its checks. A table not published moves nothing. Then `next` (the failure).
 */
export function partlyPublished(w: Workflow, prefix: string, watermarks: readonly PublishedWatermark[], freshness: readonly string[], next: string): Fragment {
  const tables = [...new Set([...watermarks.map((m) => m.table), ...freshness])].sort();
  if (tables.length === 0) return { startAt: next, states: {} };
  const flag = (table: string) => `$.partly.t${tables.indexOf(table)}`;
  const steps: { start: string; states: (after: string) => Record<string, State> }[] = [
    ...watermarks.map((m) => ({
      start: `Published ${m.label}: new watermark?`,
      states: (after: string): Record<string, State> => ({
        [`Published ${m.label}: new watermark?`]: {
          Type: 'Choice',
          Choices: [{ And: [{ Variable: flag(m.table), BooleanEquals: true }, { Variable: `$.job.result.watermarks.${m.resultKey}`, IsPresent: true }], Next: `Advance watermark ${m.label} (published)` }],
          Default: after,
        },
        ...watermarkAdvance({
          name: `Advance watermark ${m.label} (published)`,
          comment: `${m.table} was published before the run failed: its watermark moves, never backwards (${m.key})`,
          keyObject: { pk: { S: m.key } },
          valuePath: `$.job.result.watermarks.${m.resultKey}`,
          next: after,
          // As after a successful job, a watermark that cannot be written fails the run with that error (its
          // Catch sets `$.error`); the notification already named the failed checks. The other tables still record.
          failure: after,
        }),
      }),
    })),
    ...freshness.map((table) => ({
      start: `Published ${table}?`,
      states: (after: string): Record<string, State> => {
        const record = recordPublishes(w, prefix, { table }, after, { label: `${table} (published): ` });
        return { [`Published ${table}?`]: { Type: 'Choice', Choices: [{ Variable: flag(table), BooleanEquals: true, Next: record.startAt }], Default: after }, ...record.states };
      },
    })),
  ];
  const states: Record<string, State> = {
    'Which tables were published?': {
      Type: 'Pass',
      Comment: 'Of the tables whose watermark or freshness the run records, those it published before it stopped.',
      Parameters: Object.fromEntries(tables.map((t, i) => [`t${i}.$`, `States.ArrayContains(${Q}.summary.published, '${t}')`])),
      ResultPath: '$.partly',
      Next: steps[0]!.start,
    },
  };
  steps.forEach((st, i) => Object.assign(states, st.states(steps[i + 1]?.start ?? next)));
  return { startAt: 'Which tables were published?', states };
}

function isList(t: readonly string[] | { path: string } | { table: string }): t is readonly string[] {
  return Array.isArray(t);
}
