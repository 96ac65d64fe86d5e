/**
 * A workflow's `TimeoutSeconds`, derived from its states: the longest path
 * through the definition when every job attempt runs to its own limit and every
 * retry is used. The dag's `timeout` bounds one Spark job attempt
 * (`ExecutionTimeoutMinutes`); the workflow gets room for all its jobs, their
 * retries and backoff, the start-up of a stopped EMR Serverless application, and
 * the DataSync polling, so Step Functions never times a workflow out before its
 * last configured retry. Capped at a Standard workflow's maximum of one year.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_StartJobRun.html
 */
import { retryDelaySeconds } from './policy.ts';
import type { Retrier, State } from './types.ts';

/** A Standard workflow runs at most one year. */
export const WORKFLOW_SECONDS_MAX = 365 * 86_400;
/** Per job attempt beyond its `ExecutionTimeoutMinutes`: a stopped application's start, queueing, `.sync` polling. */
export const JOB_ATTEMPT_OVERHEAD_SECONDS = 600;
/** One call of any other integration (DynamoDB, S3, DataSync, Step Functions), with room. */
export const CALL_SECONDS = 60;

type Graph = { StartAt: string; States: Record<string, State> };

export interface DurationOptions {
  /** Seconds charged once for each cycle (a poll loop bounded by its own counter). */
  loopSeconds?: number;
  /** Items of each Map state, by state name (default 1). */
  mapItems?: Record<string, number>;
}

const EMR_SYNC = /:emr-serverless:startJobRun\.sync$/;

/** `ExecutionTimeoutMinutes` of one attempt of a job limited to `seconds` (at least one minute). */
export function executionTimeoutMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

function retriersSeconds(retry: readonly Retrier[] | undefined, attempt: (r: Retrier) => number): number {
  return (retry ?? []).reduce((n, r) => n + retryDelaySeconds(r) + (r.MaxAttempts ?? 3) * attempt(r), 0);
}

function taskSeconds(s: Extract<State, { Type: 'Task' }>): number {
  const params = (s.Parameters ?? {}) as Record<string, unknown>;
  const minutes = params.ExecutionTimeoutMinutes;
  if (EMR_SYNC.test(s.Resource) && typeof minutes === 'number') {
    // A failed run (States.TaskFailed) costs a whole attempt; a refused submission (a transient error) a call.
    const attempt = minutes * 60 + JOB_ATTEMPT_OVERHEAD_SECONDS;
    return attempt + retriersSeconds(s.Retry, (r) => (r.ErrorEquals.includes('States.TaskFailed') || r.ErrorEquals.includes('States.ALL') ? attempt : CALL_SECONDS));
  }
  const call = s.TimeoutSeconds ?? CALL_SECONDS;
  return call + retriersSeconds(s.Retry, () => call);
}

function ownSeconds(s: State, name: string, o: DurationOptions): number {
  switch (s.Type) {
    case 'Task':
      return taskSeconds(s);
    case 'Wait':
      return s.Seconds ?? 0;
    case 'Map': {
      const items = o.mapItems?.[name] ?? 1;
      const batches = s.MaxConcurrency ? Math.ceil(items / s.MaxConcurrency) : 1;
      return batches * worstCaseSeconds(s.ItemProcessor, o);
    }
    case 'Parallel':
      return Math.max(0, ...s.Branches.map((b) => worstCaseSeconds(b, o)));
    default:
      return 0;
  }
}

function successors(s: State): string[] {
  const next: string[] = [];
  if (s.Type === 'Choice') next.push(...s.Choices.map((c) => c.Next!).filter(Boolean), ...(s.Default ? [s.Default] : []));
  else if ('Next' in s && s.Next) next.push(s.Next);
  if ('Catch' in s && s.Catch) next.push(...s.Catch.map((c) => c.Next));
  return next;
}

/** Worst-case seconds of one execution of `def` (nested states included, cycles charged `loopSeconds`). */
export function worstCaseSeconds(def: Graph, o: DurationOptions = {}): number {
  const memo = new Map<string, number>();
  const onStack = new Set<string>();
  let cycles = 0;
  const longest = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    if (!def.States[name]) return 0;
    if (onStack.has(name)) {
      cycles++;
      return 0;
    }
    onStack.add(name);
    const rest = Math.max(0, ...successors(def.States[name]!).map(longest));
    onStack.delete(name);
    const total = ownSeconds(def.States[name]!, name, o) + rest;
    memo.set(name, total);
    return total;
  };
  const acyclic = longest(def.StartAt);
  return acyclic + (cycles > 0 ? (o.loopSeconds ?? 0) : 0);
}

/** The `TimeoutSeconds` of a workflow: its worst case, in whole minutes, at most one year. */
export function workflowTimeoutSeconds(def: Graph, o: DurationOptions = {}): number {
  return Math.min(WORKFLOW_SECONDS_MAX, Math.ceil(worstCaseSeconds(def, o) / 60) * 60);
}

/** Seconds a poll loop of `polls` waits (from `first`, doubling up to `cap`), each poll a call. */
export function pollLoopSeconds(polls: number, first: number, cap: number): number {
  let total = 0;
  for (let i = 0, interval = first; i < polls; i++, interval = Math.min(interval * 2, cap)) total += interval + CALL_SECONDS;
  return total;
}
