/** The cross-workflow dependency graph of a build, as Mermaid or DOT. */
import type { Manifest } from '../build/types.ts';
import { renderDot } from './dot.ts';
import { renderMermaid } from './mermaid.ts';
import { buildGraph } from './model.ts';
import type { DependencyGraph, QuarantinedUseCase } from './types.ts';

export { buildGraph } from './model.ts';
export { dagsOfOrchestration } from './quarantine.ts';
export { renderMermaid, mermaidText } from './mermaid.ts';
export { renderDot, dotString } from './dot.ts';
export type { DependencyGraph, GraphEdge, GraphGroup, GraphNode, QuarantinedDag, QuarantinedUseCase } from './types.ts';

export type GraphFormat = 'mermaid' | 'dot';

const RENDER: Record<GraphFormat, (g: DependencyGraph) => string> = { mermaid: renderMermaid, dot: renderDot };

export function isGraphFormat(value: string): value is GraphFormat {
  return Object.hasOwn(RENDER, value);
}

/** The graph of a manifest and its quarantined use cases, rendered. */
export function renderGraph(manifest: Manifest, quarantined: readonly QuarantinedUseCase[], format: GraphFormat): string {
  return RENDER[format](buildGraph(manifest, quarantined));
}
