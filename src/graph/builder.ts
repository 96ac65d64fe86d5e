/**
 * Assembles a {@link DependencyGraph}: safe unique ids, one group per use case,
 * nodes found by ref, edges kept once. Shared by the dependency graph
 * (model.ts) and the table graph (tables.ts), so both draw quarantined use
 * cases the same way.
 */
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

export class GraphBuilder {
  private readonly ids = new Ids();
  /** Workflow nodes by `<use-case>/<dag>` (or `<use-case>`). */
  readonly byRef = new Map<string, GraphNode>();
  /** Table nodes by `<database>.<table>`: their own map, so no use-case name can pass for a table. */
  readonly byTable = new Map<string, GraphNode>();
  readonly groupOf = new Map<string, GraphGroup>();
  private readonly groups: GraphGroup[] = [];
  private readonly loose: GraphNode[] = [];
  private readonly edges = new Map<string, GraphEdge>();

  /** The group of a use case, created on first use. */
  group(useCase: string, quarantined = false, errors = 0): GraphGroup {
    let g = this.groupOf.get(useCase);
    if (!g) {
      g = { id: this.ids.take('uc', useCase), useCase, quarantined, errors, nodes: [] };
      this.groups.push(g);
      this.groupOf.set(useCase, g);
    }
    return g;
  }

  /** A node in `group` (or outside any), with an id from its ref: `n_<use case>__<dag>` for workflows, `t_<database>__<table>` for tables. */
  node(group: GraphGroup | undefined, node: Omit<GraphNode, 'id'>): GraphNode {
    const n: GraphNode = { id: node.kind === 'table' ? this.ids.take('t', ...node.ref.split('.')) : this.ids.take('n', ...node.ref.split('/')), ...node };
    (group ? group.nodes : this.loose).push(n);
    (n.kind === 'table' ? this.byTable : this.byRef).set(n.ref, n);
    return n;
  }

  edge(edge: GraphEdge): void {
    this.edges.set(`${edge.from} ${edge.to}`, edge);
  }

  /**
   * A dashed group per quarantined use case not drawn yet, with the dags its
   * orchestration file names, or one node when they are unknown.
   */
  quarantined(useCases: readonly QuarantinedUseCase[]): void {
    for (const q of useCases) {
      if (this.groupOf.has(q.useCase)) continue;
      const group = this.group(q.useCase, true, q.errors);
      if (!q.dags) this.node(group, { kind: 'workflow', ref: q.useCase, name: `${q.useCase} (dags unknown)`, schedules: [], enabled: true, quarantined: true });
      for (const d of q.dags ?? []) {
        this.node(group, { kind: 'workflow', ref: `${q.useCase}/${d.name}`, name: d.name, schedules: d.schedule ? [d.schedule] : [], enabled: d.enabled, quarantined: true });
      }
    }
  }

  build(): DependencyGraph {
    return { groups: this.groups, loose: this.loose, edges: [...this.edges.values()] };
  }
}
