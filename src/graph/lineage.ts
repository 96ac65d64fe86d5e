/**
 * Table lineage of a build: which workflows make each table and which read it,
 * from the table-access model the manifest carries (per workflow `access`).
 * `lakestep lineage` walks it from one table; `lakestep graph --tables` draws it.
 *
 * A workflow makes a table when it creates, writes or updates it. Maintenance
 * (`maintain`), `alter` and `drop` are left out: they change no rows a reader
 * consumes (the manifest's `tables[].writers` still lists those workflows).
 */
import type { Manifest, TableAccessKind } from '../build/types.ts';

/** Access kinds that make rows of a table. */
const MAKES: ReadonlySet<TableAccessKind> = new Set(['create', 'write', 'update']);

export interface LineageWorkflow {
  /** `<use-case>/<dag>`. */
  ref: string;
  useCase: string;
  name: string;
  /** `spark` for a custom Spark job, else the dag type (`ingestion`, `transformation`, …). */
  kind: string;
  enabled: boolean;
  /** Tables it reads, sorted. */
  reads: string[];
  /** Tables it makes, sorted. */
  writes: string[];
}

export interface LineageTable {
  /** `<database>.<table>`, lower case. */
  table: string;
  owner?: string;
  /** Workflows that make it, sorted. */
  writers: string[];
  /** Workflows that read it, sorted. */
  readers: string[];
}

export interface LineageGraph {
  /** Every compiled workflow, in manifest order. */
  workflows: Map<string, LineageWorkflow>;
  /** Every table the manifest knows, sorted. */
  tables: Map<string, LineageTable>;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The lineage of every table of a manifest (older manifests without access give none). */
export function lineageGraph(manifest: Manifest): LineageGraph {
  const workflows = new Map<string, LineageWorkflow>();
  const writers = new Map<string, string[]>();
  const readers = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const uc of manifest.useCases) {
    for (const w of uc.workflows) {
      const ref = `${uc.name}/${w.name}`;
      const reads: string[] = [];
      const writes: string[] = [];
      for (const [table, kinds] of Object.entries(w.access ?? {})) {
        if (kinds.includes('read')) reads.push(table);
        if (kinds.some((k) => MAKES.has(k))) writes.push(table);
      }
      workflows.set(ref, { ref, useCase: uc.name, name: w.name, kind: w.kind === 'spark' ? 'spark' : w.type, enabled: w.enabled, reads: sorted(reads), writes: sorted(writes) });
      for (const t of reads) push(readers, t, ref);
      for (const t of writes) push(writers, t, ref);
    }
  }
  const names = sorted([...Object.keys(manifest.tables ?? {}), ...writers.keys(), ...readers.keys()]);
  const tables = new Map<string, LineageTable>();
  for (const table of names) {
    const owner = manifest.tables?.[table]?.owner;
    tables.set(table, { table, ...(owner ? { owner } : {}), writers: sorted(writers.get(table) ?? []), readers: sorted(readers.get(table) ?? []) });
  }
  return { workflows, tables };
}

/** One side of a table's lineage: what it is made from (upstream) or what is made from it (downstream). */
export interface LineageSide {
  /** Workflows reached, with the step (1 = next to the table) they were first reached at; by step, then name. */
  workflows: { workflow: string; kind: string; enabled: boolean; step: number }[];
  /** Tables reached, with the step of the workflow that reached them. */
  tables: { table: string; step: number }[];
  /** Every read and write between the nodes above and the table itself. */
  edges: { workflow: string; access: 'read' | 'write'; table: string }[];
  /** Tables at the depth limit that have more beyond it. */
  truncated: string[];
}

export interface Lineage {
  table: string;
  owner?: string;
  /** Steps followed on each side; absent: all. */
  depth?: number;
  upstream: LineageSide;
  downstream: LineageSide;
}

type Direction = 'upstream' | 'downstream';

/**
 * Upstream: the workflows that make the table, the tables they read, the
 * workflows that make those, and so on. Downstream: the workflows that read
 * it, the tables they make, their readers, and so on. Each workflow and table
 * is listed once (at its first step), so loops (a merge that reads what it
 * writes) end. `depth` limits the workflow steps on each side.
 */
export function lineageOf(graph: LineageGraph, table: string, depth?: number): Lineage {
  const t = graph.tables.get(table);
  if (!t) throw new Error(`no table ${table} in the lineage`);
  return {
    table,
    ...(t.owner ? { owner: t.owner } : {}),
    ...(depth === undefined ? {} : { depth }),
    upstream: walk(graph, table, 'upstream', depth),
    downstream: walk(graph, table, 'downstream', depth),
  };
}

function walk(graph: LineageGraph, root: string, direction: Direction, depth: number | undefined): LineageSide {
  const up = direction === 'upstream';
  // Upstream a table leads to its writers and a workflow to what it reads; downstream the other way round.
  const nextWorkflows = (table: string) => (up ? graph.tables.get(table)?.writers : graph.tables.get(table)?.readers) ?? [];
  const nextTables = (wf: string) => (up ? graph.workflows.get(wf)?.reads : graph.workflows.get(wf)?.writes) ?? [];
  const side: LineageSide = { workflows: [], tables: [], edges: [], truncated: [] };
  const seen = new Set<string>([root]);
  const edges = new Set<string>();
  const edge = (workflow: string, access: 'read' | 'write', table: string) => {
    const key = `${workflow}\n${access}\n${table}`;
    if (edges.has(key)) return;
    edges.add(key);
    side.edges.push({ workflow, access, table });
  };
  let frontier = [root];
  for (let step = 1; frontier.length > 0 && (depth === undefined || step <= depth); step++) {
    const reached: string[] = [];
    for (const table of frontier) {
      for (const wf of nextWorkflows(table)) {
        edge(wf, up ? 'write' : 'read', table);
        if (seen.has(wf)) continue;
        seen.add(wf);
        reached.push(wf);
      }
    }
    reached.sort();
    const next: string[] = [];
    for (const wf of reached) {
      const w = graph.workflows.get(wf)!;
      side.workflows.push({ workflow: wf, kind: w.kind, enabled: w.enabled, step });
      for (const table of nextTables(wf)) {
        edge(wf, up ? 'read' : 'write', table);
        if (seen.has(table)) continue;
        seen.add(table);
        next.push(table);
      }
    }
    next.sort();
    side.tables.push(...next.map((table) => ({ table, step })));
    frontier = next;
  }
  // At the depth limit: steps back to workflows already listed are drawn, new ones are cut.
  for (const table of frontier) {
    for (const wf of nextWorkflows(table)) {
      if (seen.has(wf)) edge(wf, up ? 'write' : 'read', table);
      else if (!side.truncated.includes(table)) side.truncated.push(table);
    }
  }
  side.edges.sort((a, b) => cmp(a.workflow, b.workflow) || cmp(a.table, b.table) || cmp(a.access, b.access));
  return side;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
