/**
 * Worst-case size of one execution against the Step Functions quotas that no
 * Catch can rescue: 25,000 history events per execution (the execution fails)
 * and 256 KiB of state payload (`States.DataLimitExceeded`, not catchable).
 *
 * Events are counted per state on the longest path: 2 for Pass/Choice/Wait
 * (entered, exited), 5 for a Task (entered, scheduled, started, result, exited)
 * plus 3 per retry attempt; an inline Map adds its body once per item, a
 * Distributed Map only its own few events (items run as child executions with
 * their own history). A cycle (the DataSync poll loop) costs its events once per
 * iteration, `loopIterations` times (its retries once).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
import type { State } from './types.ts';

export const HISTORY_EVENTS_MAX = 25_000;
export const PAYLOAD_BYTES_MAX = 256 * 1024;
/** Share of a quota past which a workflow's worst case is warned about (src/build/limits.ts). */
export const LIMIT_WARN_AT = 0.8;

type Graph = { StartAt: string; States: Record<string, State> };

export interface WorstCaseOptions {
  /** Iterations charged to each cycle (poll loops). */
  loopIterations: number;
  /** Items of each Map state, by state name (default 1). */
  mapItems?: Record<string, number>;
}

/** The states a state can go to next: its `Next`, a Choice's targets and its Catch handlers. */
export function successors(s: State): string[] {
  const next: string[] = [];
  if (s.Type === 'Choice') next.push(...s.Choices.map((c) => c.Next!).filter(Boolean), ...(s.Default ? [s.Default] : []));
  else if ('Next' in s && s.Next) next.push(s.Next);
  if ('Catch' in s && s.Catch) next.push(...s.Catch.map((c) => c.Next));
  return next;
}

function ownEvents(s: State, o: WorstCaseOptions, name: string): number {
  if (s.Type === 'Task') return 5 + 3 * (s.Retry ?? []).reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
  if (s.Type === 'Map') {
    const distributed = s.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED';
    if (distributed) return 8;
    const items = o.mapItems?.[name] ?? 1;
    return 4 + items * (2 + worstCaseEvents(s.ItemProcessor, o));
  }
  if (s.Type === 'Parallel') return 4 + s.Branches.reduce((n, b) => n + worstCaseEvents(b, o), 0);
  return 2;
}

/** Worst-case history events of one execution of `def` (nested states included). */
export function worstCaseEvents(def: Graph, o: WorstCaseOptions): number {
  const memo = new Map<string, number>();
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const longest = (name: string): number => {
    if (memo.has(name)) return memo.get(name)!;
    // A target outside this graph (a fragment's failure exit) ends the count there.
    if (!def.States[name]) return 0;
    if (onStack.has(name)) {
      cycles.push(stack.slice(stack.indexOf(name)));
      return 0;
    }
    const s = def.States[name]!;
    onStack.add(name);
    stack.push(name);
    const rest = Math.max(0, ...successors(s).map(longest));
    stack.pop();
    onStack.delete(name);
    const total = ownEvents(s, o, name) + rest;
    memo.set(name, total);
    return total;
  };
  const acyclic = longest(def.StartAt);
  // Overlapping cycles (a poll loop with an optional step) are one loop: charge the
  // costliest path around it. Retries inside a loop are counted once (in the acyclic
  // path above), not on every iteration.
  const base = (name: string) => ownEvents({ ...def.States[name]!, ...('Retry' in def.States[name]! ? { Retry: [] } : {}) } as State, o, name);
  const loop = Math.max(0, ...cycles.map((c) => c.reduce((n, name) => n + base(name), 0)));
  return acyclic + Math.max(0, o.loopIterations - 1) * loop;
}

/**
 * Polls a DataSync transfer of up to `seconds` can take: the interval starts at
 * `first` and doubles up to `cap` (the compiled poll loop).
 */
export function pollIterations(seconds: number, first: number, cap: number): number {
  let n = 0;
  let waited = 0;
  for (let interval = first; waited < seconds; interval = Math.min(interval * 2, cap)) {
    waited += interval;
    n++;
  }
  return n;
}

/** UTF-8 size of a JSON value. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
