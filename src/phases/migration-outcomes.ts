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

/**
 * The two last states of an item: its outcome, `{table, status[, error, cause]}`, or compact:
 * `{}`, `{f: [table, error]}` when it failed. With `checks` (the migration checks a table), the
 * end is a Choice on the item's check summary (`$.summary.quality`, when its checks ran) and the
 * outcome carries it in fields one level deep — `s` (status), `c` (check results), `pub` (the table
 * when published) or `kept` (its kept branch) — beside `o` (the outcome; and `status` again for
 * `Any table failed?`); compact outcomes carry it for failed tables only, so they stay small. One
 * level: `$.tables[*].pub` is a list whatever the number of matches on every interpreter (moto
 * unwraps a single match of a deeper path, and fails on no match of `[*]` after a deeper one).
 */
export function itemEnds(compact: boolean, keepCauses: boolean, checks = false): Record<string, State> {
  const migrated: Record<string, unknown> = compact ? {} : { 'table.$': '$.table.name', status: 'SUCCEEDED' };
  const failed: Record<string, unknown> = compact
    ? { 'f.$': 'States.Array($.table.name, $.error.Error)' }
    : { 'table.$': '$.table.name', status: 'FAILED', 'error.$': '$.error.Error', ...(keepCauses ? { 'cause.$': '$.error.Cause' } : {}) };
  if (!checks) {
    return {
      [TABLE_MIGRATED]: { Type: 'Pass', Parameters: migrated, End: true },
      [TABLE_FAILED]: { Type: 'Pass', Parameters: failed, End: true },
    };
  }
  const Q = '$.summary.quality';
  const withChecks = (name: string, outcome: Record<string, unknown>): Record<string, State> => {
    const base = compact ? outcome : { o: outcome, status: outcome.status };
    const ran = { ...base, 's.$': `${Q}.status`, 'c.$': `${Q}.checks` };
    return {
      [name]: {
        Type: 'Choice',
        Comment: 'The outcome carries the check summary of the table, when its checks ran: the run record merges them.',
        Choices: [
          { Variable: `${Q}.published[0]`, IsPresent: true, Next: `${name}, published` },
          { Variable: `${Q}.kept[0]`, IsPresent: true, Next: `${name}, branch kept` },
          { Variable: `${Q}.status`, IsPresent: true, Next: `${name}, checked` },
        ],
        Default: `${name}, not checked`,
      },
      [`${name}, published`]: { Type: 'Pass', Parameters: { ...ran, 'pub.$': `${Q}.published[0]` }, End: true },
      [`${name}, branch kept`]: { Type: 'Pass', Parameters: { ...ran, 'kept.$': `${Q}.kept[0]` }, End: true },
      [`${name}, checked`]: { Type: 'Pass', Parameters: ran, End: true },
      [`${name}, not checked`]: { Type: 'Pass', Parameters: base, End: true },
    };
  };
  return {
    ...(compact ? { [TABLE_MIGRATED]: { Type: 'Pass', Parameters: migrated, End: true } as State } : withChecks(TABLE_MIGRATED, migrated)),
    ...withChecks(TABLE_FAILED, failed),
  };
}

const MERGE_CHECKS = 'Merge check results';
const QUALITY_STATUS = 'Overall check status';
const CHECK_OUTCOMES_WITH_CHECKS = 'Check table outcomes and checks';

/**
 * Before the outcomes go into the summary: `$.quality`, the tables' check summaries merged — the
 * published tables, the kept branches, every check result — with the worst status of the tables:
 * failed, conflict, warned, passed. Then the outcome state that keeps it as `summary.quality`; when
 * no table's checks ran (all failed before them), the one without.
 */
function mergeStates(): Record<string, State> {
  const statuses = '$.tables[*].s';
  const keep = (status: string): State => ({
    Type: 'Pass',
    Comment: `Every table's check results, for the run record (lakestep checks, status): ${status}.`,
    // Some table's checks ran (its `c` holds at least one result), so `c[*]` matches.
    Parameters: { status, 'published.$': '$.quality.published', 'kept.$': '$.quality.kept', 'checks.$': '$.tables[*].c[*]' },
    ResultPath: '$.quality',
    Next: CHECK_OUTCOMES_WITH_CHECKS,
  });
  const has = (status: string) => ({ Variable: `$.quality.${status}`, BooleanEquals: true });
  return {
    [MERGE_CHECKS]: {
      Type: 'Pass',
      Comment: 'The check summaries of the tables (their outcomes\' s, pub and kept fields).',
      Parameters: {
        'statuses.$': statuses,
        'published.$': '$.tables[*].pub',
        'kept.$': '$.tables[*].kept',
        ...Object.fromEntries(['failed', 'conflict', 'warned'].map((st) => [`${st}.$`, `States.ArrayContains(${statuses}, '${st}')`])),
      },
      ResultPath: '$.quality',
      Next: QUALITY_STATUS,
    },
    [QUALITY_STATUS]: {
      Type: 'Choice',
      Choices: [
        { Not: { Variable: '$.quality.statuses[0]', IsPresent: true }, Next: CHECK_OUTCOMES },
        { ...has('failed'), Next: 'Keep checks: failed' },
        { ...has('conflict'), Next: 'Keep checks: conflict' },
        { ...has('warned'), Next: 'Keep checks: warned' },
      ],
      Default: 'Keep checks: passed',
    },
    'Keep checks: failed': keep('failed'),
    'Keep checks: conflict': keep('conflict'),
    'Keep checks: warned': keep('warned'),
    'Keep checks: passed': keep('passed'),
  };
}

/**
 * After the Map (its outcomes in `$.tables`): the summary, and `Lakestep.TablesFailed` when any
 * table failed. With `checks`, the entry is {@link MERGE_CHECKS}: the summary then keeps the
 * tables' check summaries merged (`summary.quality`; compact: of the failed tables).
 */
export function outcomeStates(compact: boolean, checks = false): Record<string, State> {
  if (!compact) {
    const outcomes = (quality: boolean): State => ({
      Type: 'Pass',
      Comment: 'Keeps the run context and moves the outcomes into the summary; the rest of the state is no longer needed.',
      Parameters: {
        'run.$': '$.run',
        summary: { 'tables.$': checks ? '$.tables[*].o' : '$.tables', ...(quality ? { 'quality.$': '$.quality' } : {}) },
        outcome: { 'any_failed.$': "States.ArrayContains($.tables[*].status, 'FAILED')" },
      },
      Next: 'Any table failed?',
    });
    return {
      ...(checks ? { ...mergeStates(), [CHECK_OUTCOMES_WITH_CHECKS]: outcomes(true) } : {}),
      [CHECK_OUTCOMES]: outcomes(false),
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
  const outcomes = (quality: boolean): State => ({
    Type: 'Pass',
    Comment: 'Keeps the run context, the table count and the failed tables (the outcomes that have one); the rest of the state is no longer needed.',
    Parameters: { 'run.$': '$.run', summary: { 'tables.$': 'States.ArrayLength($.tables)', 'failed.$': '$.tables[*].f', ...(quality ? { 'quality.$': '$.quality' } : {}) } },
    Next: 'Any table failed?',
  });
  const keepFirst = (quality: boolean): State => ({
    Type: 'Pass',
    Comment: `The run record keeps the table count, the failure count and the first ${FAILURES_KEPT} failures${quality ? ', and the checks of the failed tables' : ''}.`,
    Parameters: {
      'tables.$': '$.summary.tables',
      'failed_count.$': 'States.ArrayLength($.summary.failed)',
      'failed.$': `States.ArrayGetItem(States.ArrayPartition($.summary.failed, ${FAILURES_KEPT}), 0)`,
      ...(quality ? { 'quality.$': '$.summary.quality' } : {}),
    },
    ResultPath: '$.summary',
    Next: 'Report failed tables',
  });
  const failures = { Variable: '$.summary.failed[0]', IsPresent: true };
  return {
    ...(checks ? { ...mergeStates(), [CHECK_OUTCOMES_WITH_CHECKS]: outcomes(true) } : {}),
    [CHECK_OUTCOMES]: outcomes(false),
    'Any table failed?': {
      Type: 'Choice',
      Choices: [
        ...(checks ? [{ And: [failures, { Variable: '$.summary.quality', IsPresent: true }], Next: 'Keep the first failures and their checks' }] : []),
        { ...failures, Next: 'Keep the first failures' },
      ],
      Default: ON_SUCCESS,
    },
    ...(checks ? { 'Keep the first failures and their checks': keepFirst(true) } : {}),
    'Keep the first failures': keepFirst(false),
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

/** The state after the Map: the merge of the tables' checks when the migration has any. */
export function afterMap(checks: boolean): string {
  return checks ? MERGE_CHECKS : CHECK_OUTCOMES;
}
