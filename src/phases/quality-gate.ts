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
import type { Fragment } from './watermarks.ts';

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
 */
export function qualityGate(w: Workflow, next: string, failure: string, names: GateNames = {}): Fragment {
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
        Choices: [status('failed', n('Notify failed checks')), status('conflict', n('Publish conflict')), status('warned', n('Notify check warnings'))],
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
        Next: failure,
      },
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
export function recordPublishes(w: Workflow, prefix: string, tables: readonly string[] | { path: string }, next: string, names: GateNames = {}): Fragment {
  const n = (s: string) => `${names.label ?? ''}${s}`;
  if (isList(tables) && tables.length === 0) return { startAt: next, states: {} };
  const item = (tablePath: string, after: string | undefined): Record<string, State> => {
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
            pk: { 'S.$': `States.Format('published/{}', ${tablePath})` },
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
            { MetricName: 'TablePublished', Dimensions: [{ Name: 'Platform', Value: prefix }, { Name: 'Table', 'Value.$': tablePath }], Value: 1, Unit: 'Count' },
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
  if (!isList(tables)) return { startAt: n('Record publish time'), states: item(tables.path, next) };
  return {
    startAt: n('Published tables'),
    states: {
      [n('Published tables')]: { Type: 'Pass', Comment: 'Tables with a freshness SLA that this run published.', Result: tables.map((table) => ({ table })), ResultPath: '$.published', Next: n('Record publishes') },
      [n('Record publishes')]: {
        Type: 'Map',
        ItemsPath: '$.published',
        ItemSelector: { 'table.$': '$$.Map.Item.Value.table' },
        MaxConcurrency: 1,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: n('Record publish time'), States: item('$.table', undefined) },
        ResultPath: null,
        Next: next,
      },
    },
  };
}

function isList(t: readonly string[] | { path: string }): t is readonly string[] {
  return Array.isArray(t);
}
