/**
 * Watermarks around a runtime job: read before it (the value, or '' on a first
 * run, becomes a job parameter), advanced after it committed, from the job's
 * result file — conditionally, so a watermark never moves backwards.
 *
 * The runtime reports timestamps in one fixed-width UTC format ending in `Z`, whose
 * string order is time order, and numbers as decimal strings, whose string order is
 * not numeric order (`"999" > "1000"`). A number is therefore also stored as a
 * DynamoDB number (`value_n`, type N) and compared as one; `value` keeps the string
 * every reader uses.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators
 */
import { retryFor } from '../asl/policy.ts';
import { ON_FAILURE } from '../asl/frame.ts';
import { template } from '../asl/templates.ts';
import type { State } from '../asl/types.ts';
import type { Workflow } from '../ir/types.ts';
import { resultKeyExpr } from './runtime.ts';

export interface WatermarkUse {
  /** Job parameter (and result key) name: an identifier. */
  param: string;
  /** Item key in the watermarks table. */
  key: string;
  /** For state names. */
  label: string;
  /** Whether the job's result advances it (false: read only, e.g. a migration watermark). */
  advance: boolean;
  /** Name of the new value in the result file's `watermarks` (default: `param`). */
  resultKey?: string;
  /**
   * `database.table` whose publish the value is the watermark of: a run stopped by failed checks
   * after publishing that table still advances it (src/phases/quality-gate.ts, partlyPublished).
   */
  table?: string;
}

export interface Fragment {
  startAt: string;
  states: Record<string, State>;
}

/** One read per watermark, into `$.watermarks.<param>.value`, then `next`. */
export function watermarkReads(uses: readonly WatermarkUse[], next: string): Fragment {
  const states: Record<string, State> = {};
  uses.forEach((u, i) => {
    states[readName(u)] = template<State>('watermark-read', {
      comment: `Watermark ${u.key}; '' before the first run`,
      keyObject: { pk: { S: u.key } },
      attribute: 'value',
      resultPath: `$.watermarks.${u.param}`,
      retry: retryFor('dynamodb'),
      failure: ON_FAILURE,
      next: uses[i + 1] ? readName(uses[i + 1]!) : next,
    });
  });
  return { startAt: uses[0] ? readName(uses[0]) : next, states };
}

/** `Read <job> result`: the runtime's result file into `$.job`, then `next`. */
export function readResult(w: Workflow, job: string, next: string): Fragment {
  const name = `Read ${job} result`;
  return {
    startAt: name,
    states: {
      [name]: template<State>('job-result', {
        key: resultKeyExpr(w, job),
        resultPath: '$.job',
        retry: [...retryFor('s3'), { ErrorEquals: ['S3.NoSuchKeyException'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
        failure: ON_FAILURE,
        next,
      }),
    },
  };
}

/** After job `job` (its result read into `$.job` unless `read`): advance each watermark it reports. */
export function chainWatermarkAdvances(w: Workflow, job: string, uses: readonly WatermarkUse[], next: string, read = true): Fragment {
  if (uses.length === 0) return { startAt: next, states: {} };
  const result = read ? readResult(w, job, checkName(uses[0]!)) : { startAt: checkName(uses[0]!), states: {} };
  const states: Record<string, State> = { ...result.states };
  uses.forEach((u, i) => {
    const after = uses[i + 1] ? checkName(uses[i + 1]!) : next;
    states[checkName(u)] = {
      Type: 'Choice',
      Choices: [{ Variable: `$.job.result.watermarks.${u.resultKey ?? u.param}`, IsPresent: true, Next: advanceName(u) }],
      Default: after,
    };
    Object.assign(
      states,
      watermarkAdvance({
        name: advanceName(u),
        comment: `After the commit, never backwards: ${u.key}`,
        keyObject: { pk: { S: u.key } },
        valuePath: `$.job.result.watermarks.${u.resultKey ?? u.param}`,
        next: after,
        failure: ON_FAILURE,
      }),
    );
  });
  return { startAt: result.startAt, states };
}

const readName = (u: WatermarkUse) => `Read watermark ${u.label}`;
const checkName = (u: WatermarkUse) => `New watermark for ${u.label}?`;
const advanceName = (u: WatermarkUse) => `Advance watermark ${u.label}`;

export interface WatermarkAdvance {
  /** Name of the entry state (a Choice: timestamp or number). */
  name: string;
  comment: string;
  keyObject: Record<string, unknown>;
  /** JSONPath of the new value (a string). */
  valuePath: string;
  next: string;
  failure: string;
}

/**
 * The conditional "never backwards" update of one watermark: a timestamp (ends in
 * `Z`) is compared as a string, anything else as a DynamoDB number.
 */
export function watermarkAdvance(a: WatermarkAdvance): Record<string, State> {
  const params = { comment: a.comment, keyObject: a.keyObject, valuePath: a.valuePath, retry: retryFor('dynamodb'), next: a.next, failure: a.failure };
  const asTimestamp = `${a.name} (timestamp)`;
  const asNumber = `${a.name} (number)`;
  return {
    [a.name]: {
      Type: 'Choice',
      Comment: "Timestamps end in 'Z' and compare as strings; numbers compare as DynamoDB numbers.",
      Choices: [{ Variable: a.valuePath, StringMatches: '*Z', Next: asTimestamp }],
      Default: asNumber,
    },
    [asTimestamp]: template<State>('watermark-advance', params),
    [asNumber]: template<State>('watermark-advance-number', params),
  };
}
