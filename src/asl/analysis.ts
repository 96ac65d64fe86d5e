/**
 * Static facts about a definition: states (nested included), placeholders,
 * and the transitions of the shortest successful path (Map bodies counted once).
 */
import type { State, StateMachineDefinition } from './types.ts';

type Graph = { StartAt: string; States: Record<string, State> };

/** Every state, nested Map and Parallel states included. */
export function allStates(def: Graph): [string, State][] {
  const out: [string, State][] = [];
  for (const [name, s] of Object.entries(def.States)) {
    out.push([name, s]);
    if (s.Type === 'Map') out.push(...allStates(s.ItemProcessor));
    if (s.Type === 'Parallel') for (const b of s.Branches) out.push(...allStates(b));
  }
  return out;
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/y;

/** `${Name}` placeholders used in JSON texts or values, sorted. */
export function placeholdersIn(...parts: unknown[]): string[] {
  const found = new Set<string>();
  for (const p of parts) {
    const text = typeof p === 'string' ? p : JSON.stringify(p);
    // indexOf, not a global regex: this runs over every compiled definition.
    for (let i = text.indexOf('${'); i !== -1; i = text.indexOf('${', i + 2)) {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(text);
      if (m) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

function successors(s: State): string[] {
  if (s.Type === 'Choice') return [...s.Choices.map((c) => c.Next!).filter(Boolean), ...(s.Default ? [s.Default] : [])];
  if (s.Type === 'Succeed' || s.Type === 'Fail') return [];
  return s.Next ? [s.Next] : [];
}

/**
 * States entered on the shortest path from StartAt to a successful end that does the
 * work: states `avoid` names (a run that skips, src/phases/migration-guard.ts) are off it.
 */
export function successPathLength(def: Graph, avoid: (s: State) => boolean = () => false): number {
  const cost = (name: string): number => {
    const s = def.States[name]!;
    if (s.Type === 'Map') return 1 + successPathLength(s.ItemProcessor, avoid);
    if (s.Type === 'Parallel') return 1 + s.Branches.reduce((n, b) => n + successPathLength(b, avoid), 0);
    return 1;
  };
  // Dijkstra over small graphs: weights are the nested path lengths.
  const dist = new Map<string, number>([[def.StartAt, cost(def.StartAt)]]);
  const queue = [def.StartAt];
  let best = Infinity;
  while (queue.length) {
    queue.sort((a, b) => dist.get(a)! - dist.get(b)!);
    const name = queue.shift()!;
    const s = def.States[name]!;
    const d = dist.get(name)!;
    if (s.Type === 'Succeed' || ('End' in s && s.End)) best = Math.min(best, d);
    for (const next of successors(s)) {
      const nd = d + cost(next);
      const to = def.States[next];
      if (to && to.Type !== 'Fail' && !avoid(to) && nd < (dist.get(next) ?? Infinity)) {
        dist.set(next, nd);
        queue.push(next);
      }
    }
  }
  return best === Infinity ? 0 : best;
}

export function stateCount(def: StateMachineDefinition): number {
  return allStates(def).length;
}
