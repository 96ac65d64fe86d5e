/**
 * The table graph (`lakestep graph --tables`): table → workflow → table, from
 * the lineage of a manifest (lineage.ts). One group per use case holds its
 * workflows and the tables it owns; tables of no drawn owner stand outside.
 * Only workflows and tables with a read or a write are drawn: maintenance,
 * `alter` and `drop` change no rows a reader consumes (lineage.ts).
 * Quarantined use cases are drawn dashed with their dags, without edges: what
 * they read and write is unknown until they compile.
 */
import type { Manifest } from '../build/types.ts';
import { GraphBuilder } from './builder.ts';
import { lineageGraph } from './lineage.ts';
import type { DependencyGraph, GraphGroup, QuarantinedUseCase } from './types.ts';

export function buildTableGraph(manifest: Manifest, quarantined: readonly QuarantinedUseCase[]): DependencyGraph {
  const lineage = lineageGraph(manifest);
  const b = new GraphBuilder();
  const drawn = [...lineage.workflows.values()].filter((w) => w.reads.length > 0 || w.writes.length > 0);
  const tables = [...lineage.tables.values()].filter((t) => t.writers.length > 0 || t.readers.length > 0);
  const groups = new Map<string, GraphGroup>();
  const present = new Set([...drawn.map((w) => w.useCase), ...tables.flatMap((t) => (t.owner === undefined ? [] : [t.owner]))]);
  for (const uc of manifest.useCases) if (present.has(uc.name)) groups.set(uc.name, b.group(uc.name));
  b.quarantined(quarantined);
  const schedules = new Map<string, string | undefined>(manifest.useCases.flatMap((u) => u.workflows.map((m) => [`${u.name}/${m.name}`, m.schedule] as const)));
  for (const w of drawn) {
    const schedule = schedules.get(w.ref);
    b.node(groups.get(w.useCase), { kind: 'workflow', ref: w.ref, name: w.name, schedules: schedule ? [schedule] : [], enabled: w.enabled, quarantined: false });
  }
  for (const t of tables) {
    const owner = t.owner === undefined ? undefined : b.groupOf.get(t.owner);
    b.node(owner, { kind: 'table', ref: t.table, name: t.table, schedules: [], enabled: true, quarantined: false });
  }
  for (const w of drawn) {
    const node = b.byRef.get(w.ref)!;
    for (const t of w.reads) b.edge({ from: b.byTable.get(t)!.id, to: node.id, dashed: false });
    for (const t of w.writes) b.edge({ from: node.id, to: b.byTable.get(t)!.id, dashed: false });
  }
  return b.build();
}
