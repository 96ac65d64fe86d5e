/**
 * State names are at most 80 characters. Names built from spec values (a
 * maintenance cron group, a Kafka source, a job) can be longer: such a name
 * keeps its first characters and ends with 8 hex characters of the SHA-256 of
 * the whole name, so two long names that share their start stay distinct.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { createHash } from 'node:crypto';
import type { State, StateMachineDefinition } from './types.ts';

export const STATE_NAME_MAX = 80;

/** Length in both UTF-16 units and code points, whichever is larger. */
function length(name: string): number {
  return Math.max(name.length, [...name].length);
}

/** `name` when it fits, else its start, `…` and a hash of all of it, 80 characters in all. */
export function boundedStateName(name: string): string {
  if (length(name) <= STATE_NAME_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let head = '';
  for (const ch of name) {
    if (head.length + ch.length > STATE_NAME_MAX - hash.length - 2) break;
    head += ch;
  }
  return `${head.trimEnd()}… ${hash}`;
}

interface Graph {
  StartAt: string;
  States: Record<string, State>;
}

/** Renames every state of `g` (and of its Map and Parallel graphs) to a bounded name, with every transition to it. */
function boundGraph<G extends Graph>(g: G): G {
  const name = (n: string) => boundedStateName(n);
  const states: Record<string, State> = {};
  for (const [n, s] of Object.entries(g.States)) {
    const st = { ...s } as Record<string, unknown>;
    if (typeof st.Next === 'string') st.Next = name(st.Next);
    if (typeof st.Default === 'string') st.Default = name(st.Default);
    if (Array.isArray(st.Choices)) st.Choices = st.Choices.map((c: { Next?: string }) => (c.Next === undefined ? c : { ...c, Next: name(c.Next) }));
    if (Array.isArray(st.Catch)) st.Catch = st.Catch.map((c: { Next?: string }) => (c.Next === undefined ? c : { ...c, Next: name(c.Next) }));
    for (const k of ['ItemProcessor', 'Iterator'] as const) if (st[k]) st[k] = boundGraph(st[k] as Graph);
    if (Array.isArray(st.Branches)) st.Branches = st.Branches.map((b: Graph) => boundGraph(b));
    states[name(n)] = st as unknown as State;
  }
  return { ...g, StartAt: name(g.StartAt), States: states };
}

/** The definition with every state name bounded to {@link STATE_NAME_MAX}; unchanged when all fit. */
export function boundStateNames(def: StateMachineDefinition): StateMachineDefinition {
  const fits = (g: Graph): boolean =>
    Object.entries(g.States).every(([n, s]) => {
      const st = s as unknown as Record<string, unknown>;
      const nested = [st.ItemProcessor, st.Iterator, ...(Array.isArray(st.Branches) ? st.Branches : [])].filter(Boolean) as Graph[];
      return length(n) <= STATE_NAME_MAX && nested.every(fits);
    });
  return fits(def as Graph) ? def : (boundGraph(def as Graph) as StateMachineDefinition);
}
