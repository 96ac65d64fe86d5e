/**
 * Watermarks around a runtime job: read before it (the value, or '' on a first
 * run, becomes a job parameter), advanced after it committed, from the job's
 * result file — conditionally, so a watermark never moves backwards.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
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
      resultPath: `$.watermarks.${u.param}`,
      retry: retryFor('dynamodb'),
      failure: ON_FAILURE,
      next: uses[i + 1] ? readName(uses[i + 1]!) : next,
    });
  });
  return { startAt: uses[0] ? readName(uses[0]) : next, states };
}

/** After job `job`: read its result file, then advance each watermark it reports. */
export function chainWatermarkAdvances(w: Workflow, job: string, uses: readonly WatermarkUse[], next: string): Fragment {
  if (uses.length === 0) return { startAt: next, states: {} };
  const resultState = `Read ${job} result`;
  const states: Record<string, State> = {
    [resultState]: template<State>('job-result', {
      key: resultKeyExpr(w, job),
      resultPath: '$.job',
      retry: [...retryFor('s3'), { ErrorEquals: ['S3.NoSuchKeyException'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
      failure: ON_FAILURE,
      next: checkName(uses[0]!),
    }),
  };
  uses.forEach((u, i) => {
    const after = uses[i + 1] ? checkName(uses[i + 1]!) : next;
    states[checkName(u)] = {
      Type: 'Choice',
      Choices: [{ Variable: `$.job.result.watermarks.${u.resultKey ?? u.param}`, IsPresent: true, Next: advanceName(u) }],
      Default: after,
    };
    states[advanceName(u)] = template<State>('watermark-advance', {
      comment: `After the commit, never backwards: ${u.key}`,
      keyObject: { pk: { S: u.key } },
      valuePath: `$.job.result.watermarks.${u.resultKey ?? u.param}`,
      retry: retryFor('dynamodb'),
      next: after,
      failure: ON_FAILURE,
    });
  });
  return { startAt: resultState, states };
}

const readName = (u: WatermarkUse) => `Read watermark ${u.label}`;
const checkName = (u: WatermarkUse) => `New watermark for ${u.label}?`;
const advanceName = (u: WatermarkUse) => `Advance watermark ${u.label}`;
