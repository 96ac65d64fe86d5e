/**
 * What `lakestep graph` draws, independent of the output format: the
 * cross-workflow dependency graph, or (`--tables`) the table graph, where
 * tables sit between the workflows that write and read them.
 */

/** A quarantined use case, with its dags when its orchestration file could be read. */
export interface QuarantinedUseCase {
  useCase: string;
  /** Error count, shown on the group. */
  errors: number;
  /** Absent when the dags are unknown (unreadable specs, or only a build to go on): drawn as one node. */
  dags?: QuarantinedDag[];
}

export interface QuarantinedDag {
  name: string;
  schedule?: string;
  /** As written: `<dag>` or `<use-case>/<dag>`. */
  dependsOn: string[];
  enabled: boolean;
}

export interface GraphNode {
  /** Made of `[A-Za-z0-9_]` only, unique in the graph. */
  id: string;
  /** Drawn as a box (workflow) or a cylinder (table). */
  kind: 'workflow' | 'table';
  /** `<use-case>/<dag>`, `<use-case>` for a quarantined use case of unknown dags, `<database>.<table>` for a table. */
  ref: string;
  /** Display name (the dag, the use case, or `<database>.<table>`). */
  name: string;
  /** Schedule expressions (several for maintenance groups). */
  schedules: string[];
  enabled: boolean;
  quarantined: boolean;
  /** Referenced by a dependency but in neither the build nor the quarantine list. */
  missing?: boolean;
}

export interface GraphGroup {
  /** Made of `[A-Za-z0-9_]` only. */
  id: string;
  useCase: string;
  quarantined: boolean;
  errors: number;
  nodes: GraphNode[];
}

/** From upstream to downstream; in the table graph, from a table to its reader and from a writer to its table. */
export interface GraphEdge {
  from: string;
  to: string;
  /** `join` when the downstream waits for 2+ upstreams. */
  label?: 'join';
  /** Either end is quarantined or missing: the edge is known from the specs only. */
  dashed: boolean;
}

export interface DependencyGraph {
  groups: GraphGroup[];
  /** Nodes outside any use case (missing upstreams, tables of no drawn owner). */
  loose: GraphNode[];
  edges: GraphEdge[];
}
