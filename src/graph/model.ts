/**
 * Builds the dependency graph from a manifest and the quarantined use cases:
 * one group per use case, one node per workflow, one edge per `depends_on`
 * entry, from upstream to downstream.
 */
import type { Manifest } from '../build/types.ts';
import type { DependencyGraph, GraphEdge, GraphGroup, GraphNode, QuarantinedUseCase } from './types.ts';

/** `[A-Za-z0-9_]` ids, unique: characters outside the set become `_`, clashes get `_2`, `_3`, … */
class Ids {
  private readonly used = new Set<string>();
  take(prefix: string, ...parts: string[]): string {
    const base = `${prefix}_${parts.map((p) => p.replace(/[^A-Za-z0-9]/g, '_')).join('__')}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    return id;
  }
}

export function buildGraph(manifest: Manifest, quarantined: readonly QuarantinedUseCase[]): DependencyGraph {
  const ids = new Ids();
  const byRef = new Map<string, GraphNode>();
  const groups: GraphGroup[] = [];
  const groupOf = new Map<string, GraphGroup>();
  const loose: GraphNode[] = [];
  const addNode = (group: GraphGroup | undefined, node: Omit<GraphNode, 'id'>): GraphNode => {
    const n: GraphNode = { id: ids.take('n', ...node.ref.split('/')), ...node };
    (group ? group.nodes : loose).push(n);
    byRef.set(n.ref, n);
    return n;
  };

  for (const uc of manifest.useCases) {
    const group: GraphGroup = { id: ids.take('uc', uc.name), useCase: uc.name, quarantined: false, errors: 0, nodes: [] };
    groups.push(group);
    groupOf.set(uc.name, group);
    for (const w of uc.workflows) {
      const schedules = w.schedule ? [w.schedule] : [...new Set((w.scheduleGroups ?? []).map((g) => g.schedule))];
      addNode(group, { ref: `${uc.name}/${w.name}`, name: w.name, schedules, enabled: w.enabled, quarantined: false });
    }
  }
  for (const q of quarantined) {
    if (groupOf.has(q.useCase)) continue;
    const group: GraphGroup = { id: ids.take('uc', q.useCase), useCase: q.useCase, quarantined: true, errors: q.errors, nodes: [] };
    groups.push(group);
    groupOf.set(q.useCase, group);
    if (!q.dags) addNode(group, { ref: q.useCase, name: `${q.useCase} (dags unknown)`, schedules: [], enabled: true, quarantined: true });
    for (const d of q.dags ?? []) {
      addNode(group, { ref: `${q.useCase}/${d.name}`, name: d.name, schedules: d.schedule ? [d.schedule] : [], enabled: d.enabled, quarantined: true });
    }
  }

  /** The node of an upstream ref, created (missing) when nothing declares it. */
  const upstream = (ref: string): GraphNode => {
    const found = byRef.get(ref);
    if (found) return found;
    const [uc = ref, dag = ''] = ref.split('/');
    const group = groupOf.get(uc);
    const whole = byRef.get(uc);
    if (group?.quarantined && whole) return whole;
    return addNode(group, { ref, name: dag || ref, schedules: [], enabled: true, quarantined: group?.quarantined ?? false, missing: true });
  };

  const edges = new Map<string, GraphEdge>();
  const connect = (downstream: GraphNode, dependsOn: readonly string[]): void => {
    for (const ref of dependsOn) {
      const from = upstream(ref);
      const dashed = [from, downstream].some((n) => n.quarantined || n.missing === true);
      const edge: GraphEdge = { from: from.id, to: downstream.id, dashed, ...(dependsOn.length >= 2 ? { label: 'join' as const } : {}) };
      edges.set(`${edge.from} ${edge.to}`, edge);
    }
  };
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) connect(byRef.get(`${uc.name}/${w.name}`)!, w.dependsOn);
  }
  for (const q of quarantined) {
    for (const d of q.dags ?? []) {
      const node = byRef.get(`${q.useCase}/${d.name}`);
      if (node?.quarantined) connect(node, d.dependsOn.map((r) => (r.includes('/') ? r : `${q.useCase}/${r}`)));
    }
  }
  return { groups, loose, edges: [...edges.values()] };
}
