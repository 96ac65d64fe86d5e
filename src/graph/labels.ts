/** What a node and a group say, whatever the output format: lines of plain text. */
import type { GraphGroup, GraphNode } from './types.ts';

export function nodeLines(n: GraphNode): string[] {
  return [n.name, ...n.schedules, ...(n.enabled ? [] : ['disabled']), ...(n.missing ? ['not in the build'] : [])];
}

export function groupLabel(g: GraphGroup): string {
  return g.quarantined ? `${g.useCase} (quarantined: ${g.errors} error${g.errors === 1 ? '' : 's'})` : g.useCase;
}
