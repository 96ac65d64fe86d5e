/** The graphs of a build — cross-workflow dependencies, or tables between their writers and readers — as Mermaid or DOT; table lineage. */
import type { Manifest } from '../build/types.ts';
import { renderDot } from './dot.ts';
import { renderMermaid } from './mermaid.ts';
import { buildGraph } from './model.ts';
import { buildTableGraph } from './tables.ts';
import type { DependencyGraph, QuarantinedUseCase } from './types.ts';

export { buildGraph } from './model.ts';
export { buildTableGraph } from './tables.ts';
export { lineageGraph, lineageOf, type Lineage, type LineageGraph, type LineageSide, type LineageTable, type LineageWorkflow } from './lineage.ts';
export { renderLineageText } from './lineage-text.ts';
export { dagsOfOrchestration } from './quarantine.ts';
export { renderMermaid, mermaidText } from './mermaid.ts';
export { renderDot, dotString } from './dot.ts';
export type { DependencyGraph, GraphEdge, GraphGroup, GraphNode, QuarantinedDag, QuarantinedUseCase } from './types.ts';

export type GraphFormat = 'mermaid' | 'dot';

/** What the graph shows: workflows and their `depends_on`, or tables between the workflows that write and read them. */
export type GraphView = 'dependencies' | 'tables';

const RENDER: Record<GraphFormat, (g: DependencyGraph) => string> = { mermaid: renderMermaid, dot: renderDot };

const BUILD: Record<GraphView, (m: Manifest, q: readonly QuarantinedUseCase[]) => DependencyGraph> = { dependencies: buildGraph, tables: buildTableGraph };

export function isGraphFormat(value: string): value is GraphFormat {
  return Object.hasOwn(RENDER, value);
}

/** The graph of a manifest and its quarantined use cases, rendered. */
export function renderGraph(manifest: Manifest, quarantined: readonly QuarantinedUseCase[], format: GraphFormat, view: GraphView = 'dependencies'): string {
  return RENDER[format](BUILD[view](manifest, quarantined));
}
