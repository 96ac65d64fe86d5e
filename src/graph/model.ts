/**
 * Builds the dependency graph from a manifest and the quarantined use cases:
 * one group per use case, one node per workflow, one edge per `depends_on`
 * entry, from upstream to downstream.
 */
import type { Manifest } from '../build/types.ts';
import { GraphBuilder } from './builder.ts';
import type { DependencyGraph, GraphEdge, GraphNode, QuarantinedUseCase } from './types.ts';

export function buildGraph(manifest: Manifest, quarantined: readonly QuarantinedUseCase[]): DependencyGraph {
  const b = new GraphBuilder();
  for (const uc of manifest.useCases) {
    const group = b.group(uc.name);
    for (const w of uc.workflows) {
      const schedules = w.schedule ? [w.schedule] : [...new Set((w.scheduleGroups ?? []).map((g) => g.schedule))];
      b.node(group, { kind: 'workflow', ref: `${uc.name}/${w.name}`, name: w.name, schedules, enabled: w.enabled, quarantined: false });
    }
  }
  b.quarantined(quarantined);

  /** The node of an upstream ref, created (missing) when nothing declares it. */
  const upstream = (ref: string): GraphNode => {
    const found = b.byRef.get(ref);
    if (found) return found;
    const [uc = ref, dag = ''] = ref.split('/');
    const group = b.groupOf.get(uc);
    const whole = b.byRef.get(uc);
    if (group?.quarantined && whole) return whole;
    return b.node(group, { kind: 'workflow', ref, name: dag || ref, schedules: [], enabled: true, quarantined: group?.quarantined ?? false, missing: true });
  };

  const connect = (downstream: GraphNode, dependsOn: readonly string[]): void => {
    for (const ref of dependsOn) {
      const from = upstream(ref);
      const dashed = [from, downstream].some((n) => n.quarantined || n.missing === true);
      const edge: GraphEdge = { from: from.id, to: downstream.id, dashed, ...(dependsOn.length >= 2 ? { label: 'join' as const } : {}) };
      b.edge(edge);
    }
  };
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) connect(b.byRef.get(`${uc.name}/${w.name}`)!, w.dependsOn);
  }
  for (const q of quarantined) {
    for (const d of q.dags ?? []) {
      const node = b.byRef.get(`${q.useCase}/${d.name}`);
      if (node?.quarantined) connect(node, d.dependsOn.map((r) => (r.includes('/') ? r : `${q.useCase}/${r}`)));
    }
  }
  return b.build();
}
