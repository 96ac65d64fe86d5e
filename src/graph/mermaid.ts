/**
 * Mermaid `flowchart LR` of a graph: a `subgraph` per use case, workflows as
 * rounded boxes, tables as cylinders (`[(…)]`), `-->` for dependencies and data
 * flow, `-.->` for dependencies involving a quarantined use case.
 *
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
import { groupLabel, nodeLines } from './labels.ts';
import type { DependencyGraph, GraphNode } from './types.ts';

/** Mermaid entity codes (`#35;` is `#`): quotes, markup and the entity marker itself cannot break a label. */
const ENTITY: Record<string, string> = { '#': '#35;', '"': '#34;', '<': '#60;', '>': '#62;', '&': '#38;', '`': '#96;' };

/** Text safe inside a double-quoted Mermaid label. */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>&`]/g, (c) => ENTITY[c] ?? c).replace(/\s+/g, ' ');
}

const CLASSES = [
  'classDef disabled fill:#f4f4f4,stroke:#999999,color:#888888,stroke-dasharray: 4 3',
  'classDef quarantined fill:#fdecea,stroke:#c62828,color:#8e0000,stroke-dasharray: 4 3',
  'classDef missing fill:#ffffff,stroke:#c62828,color:#8e0000,stroke-dasharray: 2 2',
];

const TABLE_CLASS = 'classDef table fill:#eef4fb,stroke:#4a78b0,color:#1d3f66';

export function renderMermaid(graph: DependencyGraph): string {
  const lines = ['flowchart LR'];
  const node = (n: GraphNode, indent: string) => {
    const text = `"${nodeLines(n).map(mermaidText).join('<br/>')}"`;
    return `${indent}${n.id}${n.kind === 'table' ? `[(${text})]` : `[${text}]`}`;
  };
  for (const g of graph.groups) {
    lines.push(`  subgraph ${g.id}["${mermaidText(groupLabel(g))}"]`, ...g.nodes.map((n) => node(n, '    ')), '  end');
  }
  lines.push(...graph.loose.map((n) => node(n, '  ')));
  for (const e of graph.edges) lines.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'}${e.label ? `|${e.label}|` : ''} ${e.to}`);
  const all = [...graph.groups.flatMap((g) => g.nodes), ...graph.loose];
  const classed = (name: string, ids: string[]) => (ids.length ? [`  class ${ids.join(',')} ${name}`] : []);
  const tables = all.filter((n) => n.kind === 'table').map((n) => n.id);
  lines.push(
    ...CLASSES.map((c) => `  ${c}`),
    ...(tables.length ? [`  ${TABLE_CLASS}`, `  class ${tables.join(',')} table`] : []),
    ...classed('missing', all.filter((n) => n.missing).map((n) => n.id)),
    ...classed('quarantined', all.filter((n) => n.quarantined && !n.missing).map((n) => n.id)),
    ...classed('disabled', all.filter((n) => !n.enabled && !n.quarantined && !n.missing).map((n) => n.id)),
    ...graph.groups.filter((g) => g.quarantined).map((g) => `  style ${g.id} fill:#fff5f5,stroke:#c62828,stroke-dasharray: 6 4`),
  );
  return lines.join('\n') + '\n';
}
