/**
 * How a migration's tables end and what the run keeps of them. Each Map item
 * ends with its table's outcome; the outcomes replace the items in the state,
 * then the run's summary keeps them (every one up to {@link COMPACT_FROM}
 * tables; past it the table count, the failure count and the first
 * {@link FAILURES_KEPT} failures, so the failure cause and the run record stay
 * small whatever the table count).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 */
import { ON_FAILURE, ON_SUCCESS } from '../asl/frame.ts';
import type { State } from '../asl/types.ts';

/** Failures named in the summary and the cause of a large migration. */
export const FAILURES_KEPT = 20;
export const TABLE_FAILED = 'Table failed';
export const TABLE_MIGRATED = 'Table migrated';
export const CHECK_OUTCOMES = 'Check table outcomes';

/** The two last states of an item: its outcome, `{table, status[, error, cause]}`, or compact: `{}`, `{f: [table, error]}` when it failed. */
export function itemEnds(compact: boolean, keepCauses: boolean): Record<string, State> {
  if (compact) {
    return {
      [TABLE_MIGRATED]: { Type: 'Pass', Parameters: {}, End: true },
      [TABLE_FAILED]: { Type: 'Pass', Parameters: { 'f.$': 'States.Array($.table.name, $.error.Error)' }, End: true },
    };
  }
  return {
    [TABLE_MIGRATED]: { Type: 'Pass', Parameters: { 'table.$': '$.table.name', status: 'SUCCEEDED' }, End: true },
    [TABLE_FAILED]: {
      Type: 'Pass',
      Parameters: { 'table.$': '$.table.name', status: 'FAILED', 'error.$': '$.error.Error', ...(keepCauses ? { 'cause.$': '$.error.Cause' } : {}) },
      End: true,
    },
  };
}

/** After the Map (its outcomes in `$.tables`): the summary, and `Lakestep.TablesFailed` when any table failed. */
export function outcomeStates(compact: boolean): Record<string, State> {
  if (!compact) {
    return {
      [CHECK_OUTCOMES]: {
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
  }
  return {
    [CHECK_OUTCOMES]: {
      Type: 'Pass',
      Comment: 'Keeps the run context, the table count and the failed tables (the outcomes that have one); the rest of the state is no longer needed.',
      Parameters: { 'run.$': '$.run', summary: { 'tables.$': 'States.ArrayLength($.tables)', 'failed.$': '$.tables[*].f' } },
      Next: 'Any table failed?',
    },
    'Any table failed?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.summary.failed[0]', IsPresent: true, Next: 'Keep the first failures' }],
      Default: ON_SUCCESS,
    },
    'Keep the first failures': {
      Type: 'Pass',
      Comment: `The run record keeps the table count, the failure count and the first ${FAILURES_KEPT} failures.`,
      Parameters: {
        'tables.$': '$.summary.tables',
        'failed_count.$': 'States.ArrayLength($.summary.failed)',
        'failed.$': `States.ArrayGetItem(States.ArrayPartition($.summary.failed, ${FAILURES_KEPT}), 0)`,
      },
      ResultPath: '$.summary',
      Next: 'Report failed tables',
    },
    'Report failed tables': {
      Type: 'Pass',
      Parameters: {
        Error: 'Lakestep.TablesFailed',
        'Cause.$': "States.Format('{} of {} tables failed; the others migrated. The first ones: {}', $.summary.failed_count, $.summary.tables, States.JsonToString($.summary.failed))",
      },
      ResultPath: '$.error',
      Next: ON_FAILURE,
    },
  };
}
