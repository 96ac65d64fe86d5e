/**
 * The dispatcher runs as an Express workflow (src/asl/dispatch.ts): what Express allows — no `.sync`
 * or task-token integration, no Wait, at most five minutes — and a retry budget with which a run
 * refused at every attempt of every call of its longest path still ends inside the five minutes, and
 * so is notified (a timed-out run cannot notify itself). moto's Express analyser accepts the
 * definition (test/aws-local/express-dispatcher.moto.ts).
 */
import { describe, expect, it } from 'vitest';
import { readSpecs } from '../../src/cli/io.ts';
import { compile } from '../../src/compile.ts';
import { DISPATCHER_TYPE, EXPRESS_MAX_SECONDS } from '../../src/asl/dispatch.ts';
import { allStates } from '../../src/asl/analysis.ts';
import { successors } from '../../src/asl/limits.ts';
import { EXPRESS_TRANSIENT_RETRY, retryDelaySeconds, TRANSIENT_RETRY } from '../../src/asl/policy.ts';
import type { Retrier, State, StateMachineDefinition } from '../../src/asl/types.ts';

/** Seconds one attempt of a call takes when the service refuses it (a throttled call answers at once; room for a slow one). */
const REFUSED_CALL_SECONDS = 2;

type Graph = { StartAt: string; States: Record<string, State> };

/** The longest path's seconds when every attempt of every call is refused and every retry waits its longest. */
function refusedEverywhereSeconds(g: Graph, retry: (r: Retrier) => Retrier = (r) => r): { seconds: number; calls: number } {
  const memo = new Map<string, { seconds: number; calls: number }>();
  const longest = (name: string, seen: Set<string>): { seconds: number; calls: number } => {
    const s = g.States[name];
    if (!s || seen.has(name)) return { seconds: 0, calls: 0 };
    if (memo.has(name)) return memo.get(name)!;
    let own = { seconds: 0, calls: 0 };
    if (s.Type === 'Task') {
      const rs = (s.Retry ?? []).map(retry);
      const attempts = 1 + Math.max(0, ...rs.map((r) => r.MaxAttempts ?? 3));
      own = { seconds: Math.max(0, ...rs.map(retryDelaySeconds)) + attempts * REFUSED_CALL_SECONDS, calls: 1 };
    } else if (s.Type === 'Map') own = refusedEverywhereSeconds(s.ItemProcessor, retry);
    const next = new Set(seen).add(name);
    const rest = successors(s)
      .map((n) => longest(n, next))
      .reduce((a, b) => (b.seconds > a.seconds ? b : a), { seconds: 0, calls: 0 });
    const total = { seconds: own.seconds + rest.seconds, calls: own.calls + rest.calls };
    memo.set(name, total);
    return total;
  };
  return longest(g.StartAt, new Set());
}

describe('the dispatcher as an Express workflow', () => {
  const result = compile(readSpecs('specs'), { lakestepVersion: '0.0.0-test' });
  const machine = result.manifest.machines!.dispatcher!;
  const d = { type: machine.type, definition: JSON.parse(result.files.get(machine.definition)!) as StateMachineDefinition };

  it('is an Express workflow that waits for nothing and times out at the Express limit', () => {
    expect(d.type).toBe(DISPATCHER_TYPE);
    expect(DISPATCHER_TYPE).toBe('EXPRESS');
    expect(d.definition.TimeoutSeconds).toBe(EXPRESS_MAX_SECONDS);
    const states = allStates(d.definition);
    expect(states.length).toBeGreaterThan(30);
    for (const [, s] of states) {
      expect(s.Type).not.toBe('Wait');
      if (s.Type === 'Task') expect(s.Resource).not.toMatch(/\.(sync(:\d)?|waitForTaskToken)$/);
      if (s.Type === 'Map') expect(s.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    }
  });

  it('retries every call with the short backoff, and ends inside five minutes when every call is refused', () => {
    const tasks = allStates(d.definition).filter(([, s]) => s.Type === 'Task');
    for (const [name, s] of tasks) {
      if (s.Type !== 'Task') continue;
      expect(s.Retry, name).toHaveLength(1);
      expect(s.Retry![0]).toMatchObject(EXPRESS_TRANSIENT_RETRY);
    }
    const worst = refusedEverywhereSeconds(d.definition);
    // Its longest path: the execution and tags read, the notified entry, two notifications, the routes, then one route's join
    // (a page of routes is joined at once: MaxConcurrency 10 = the page size).
    expect(worst.calls).toBeGreaterThanOrEqual(14);
    expect(worst.seconds).toBeLessThanOrEqual(EXPRESS_MAX_SECONDS);
    // The Standard workflows' backoff would not fit: it would time the run out before its Catch notified.
    const standard = refusedEverywhereSeconds(d.definition, (r) => ({ ...r, ...TRANSIENT_RETRY }));
    expect(standard.seconds).toBeGreaterThan(EXPRESS_MAX_SECONDS);
  });

  it('joins a whole page of routes at once, so that the longest path holds one join', () => {
    const map = allStates(d.definition).find(([n]) => n === 'Start downstreams')![1];
    expect(map.Type).toBe('Map');
    const find = allStates(d.definition).find(([n]) => n === 'Find downstreams')![1];
    expect(map.Type === 'Map' && map.MaxConcurrency).toBe((find as unknown as { Parameters: { MaxResults: number } }).Parameters.MaxResults);
  });
});
