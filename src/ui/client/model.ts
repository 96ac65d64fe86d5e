/** The page's data indexed for drawing, and the filters (use case, name, status) every panel follows. */
import type { RunState, UiDag, UiData, UiRun, UiTable } from '../types.ts';

export interface Filter {
  /** A use case name, or '' for all. */
  useCase: string;
  /** Part of a dag or table name, any case; '' for all. */
  name: string;
  /** Dags with at least one run in this state; '' for all. */
  status: RunState | '';
}

export class Model {
  readonly runsByDag = new Map<string, UiRun[]>();
  readonly dagByRef: Map<string, UiDag>;

  constructor(readonly data: UiData) {
    this.dagByRef = new Map(data.dags.map((d) => [d.ref, d]));
    for (const r of data.runs) {
      const list = this.runsByDag.get(r.dag);
      if (list) list.push(r);
      else this.runsByDag.set(r.dag, [r]);
    }
    for (const list of this.runsByDag.values()) list.sort((a, b) => a.logicalDate.localeCompare(b.logicalDate) || a.start.localeCompare(b.start));
  }

  /** The newest run of a dag by logical date (the last attempt of that date). */
  latest(dag: string): UiRun | undefined {
    const list = this.runsByDag.get(dag);
    return list?.[list.length - 1];
  }

  visibleDags(f: Filter): UiDag[] {
    const name = f.name.trim().toLowerCase();
    return this.data.dags.filter(
      (d) =>
        (!f.useCase || d.useCase === f.useCase) &&
        (!name || d.ref.toLowerCase().includes(name)) &&
        (!f.status || (this.runsByDag.get(d.ref) ?? []).some((r) => r.state === f.status)),
    );
  }

  /** Tables of the use case (owned, written or read by it) whose name, owner or dags match the name. */
  visibleTables(f: Filter): UiTable[] {
    const name = f.name.trim().toLowerCase();
    const inUseCase = (ref: string) => ref.startsWith(`${f.useCase}/`);
    return this.data.tables.filter(
      (t) =>
        (!f.useCase || t.owner === f.useCase || t.writers.some(inUseCase) || t.readers.some(inUseCase)) &&
        (!name || t.name.includes(name) || [...t.writers, ...t.readers].some((r) => r.toLowerCase().includes(name))),
    );
  }
}
