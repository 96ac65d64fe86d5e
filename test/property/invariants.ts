/** Structural invariants every compiled state machine must satisfy. */
import { PLATFORM_PLACEHOLDERS } from '../../src/build/types.ts';

interface Graph {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
}

/** Transition targets of a state: Next, Default, every Choice rule and Catch. */
function targets(s: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof s.Next === 'string') out.push(s.Next);
  if (typeof s.Default === 'string') out.push(s.Default);
  for (const c of (s.Choices as { Next?: string }[] | undefined) ?? []) if (c.Next) out.push(c.Next);
  for (const c of (s.Catch as { Next?: string }[] | undefined) ?? []) if (c.Next) out.push(c.Next);
  return out;
}

/** Problems with the graph (and nested Map/Parallel graphs): dangling targets, unreachable states. */
export function graphProblems(g: Graph, where = ''): string[] {
  const problems: string[] = [];
  if (!(g.StartAt in g.States)) problems.push(`${where}StartAt '${g.StartAt}' does not exist`);
  for (const [name, s] of Object.entries(g.States)) {
    for (const t of targets(s)) if (!(t in g.States)) problems.push(`${where}'${name}' goes to missing '${t}'`);
    const nested = s.Type === 'Map' ? [(s.ItemProcessor ?? s.Iterator) as Graph] : s.Type === 'Parallel' ? (s.Branches as Graph[]) : [];
    nested.forEach((n, i) => problems.push(...graphProblems(n, `${where}${name}[${i}] `)));
  }
  const seen = new Set<string>();
  const queue = [g.StartAt];
  while (queue.length) {
    const n = queue.pop()!;
    if (seen.has(n) || !(n in g.States)) continue;
    seen.add(n);
    queue.push(...targets(g.States[n]!));
  }
  for (const name of Object.keys(g.States)) if (!seen.has(name)) problems.push(`${where}'${name}' is unreachable from StartAt`);
  return problems;
}

/** `${Name}` occurrences (as infra reads them) whose name is not a platform placeholder. */
export function danglingPlaceholders(text: string): string[] {
  const known = new Set<string>(PLATFORM_PLACEHOLDERS);
  return [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!).filter((n) => !known.has(n));
}

/**
 * Names that break Step Functions' rules: longer than 80 characters (UTF-16
 * units or code points), or used twice anywhere in the machine, nested Map and
 * Parallel graphs included (ASL: unique within the whole state machine).
 * @see https://states-language.net/spec.html#states-fields
 */
export function stateNameProblems(g: Graph): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const walk = (graph: Graph, where: string) => {
    for (const [name, s] of Object.entries(graph.States)) {
      if (Math.max(name.length, [...name].length) > 80) problems.push(`${where}'${name}' is ${[...name].length} characters (at most 80)`);
      if (seen.has(name)) problems.push(`${where}'${name}' is used twice`);
      seen.add(name);
      const nested = s.Type === 'Map' ? [(s.ItemProcessor ?? s.Iterator) as Graph] : s.Type === 'Parallel' ? (s.Branches as Graph[]) : [];
      nested.forEach((n, i) => walk(n, `${where}${name}[${i}] `));
    }
  };
  walk(g, '');
  return problems;
}
