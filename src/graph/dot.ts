/**
 * Graphviz DOT of a graph: a `cluster` per use case, dashed edges and outlines
 * for quarantined use cases, grey dashed nodes for disabled dags, tables as
 * cylinders.
 *
 * @see https://graphviz.org/doc/info/lang.html
 */
import { groupLabel, nodeLines } from './labels.ts';
import type { DependencyGraph, GraphNode } from './types.ts';

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n')}"`;
}

const RED = '"#c62828"';

function nodeAttrs(n: GraphNode): string {
  const attrs = [`label=${dotString(nodeLines(n).join('\n'))}`];
  if (n.kind === 'table') attrs.push('shape=cylinder', 'style=filled', 'fillcolor="#eef4fb"', 'color="#4a78b0"', 'fontcolor="#1d3f66"');
  if (n.missing) attrs.push('style="rounded,dotted"', `color=${RED}`, `fontcolor=${RED}`);
  else if (n.quarantined) attrs.push('style="rounded,dashed,filled"', 'fillcolor="#fdecea"', `color=${RED}`, 'fontcolor="#8e0000"');
  else if (!n.enabled) attrs.push('style="rounded,dashed,filled"', 'fillcolor="#f4f4f4"', 'color="#999999"', 'fontcolor="#888888"');
  return attrs.join(', ');
}

export function renderDot(graph: DependencyGraph): string {
  const lines = ['digraph lakestep {', '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const g of graph.groups) {
    lines.push(`  subgraph cluster_${g.id} {`, `    label=${dotString(groupLabel(g))};`);
    if (g.quarantined) lines.push(`    style=dashed;`, `    color=${RED};`, `    fontcolor=${RED};`);
    lines.push(...g.nodes.map((n) => `    ${n.id} [${nodeAttrs(n)}];`), '  }');
  }
  lines.push(...graph.loose.map((n) => `  ${n.id} [${nodeAttrs(n)}];`));
  for (const e of graph.edges) {
    const attrs = [...(e.label ? [`label=${dotString(e.label)}`] : []), ...(e.dashed ? ['style=dashed'] : [])];
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
