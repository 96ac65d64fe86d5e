/**
 * The cross-use-case index and dependency-cycle detection. Both read the parsed
 * (not yet validated) orchestration files, so a reference into a broken use
 * case still resolves by name and a cycle through it is still found.
 */
import type { Origin, Report } from '../diagnostics.ts';
import { joinPointer, locate, type SpecFile } from '../spec/files.ts';
import type { DagType } from '../spec/types.ts';
import type { IndexedTable, UseCaseIndexEntry } from './context.ts';
import { rawSchedule } from '../spec/schedule-object.ts';
import type { Platform } from './types.ts';

interface RawDag {
  name?: unknown;
  schedule?: unknown;
  type?: unknown;
  depends_on?: unknown;
  config?: unknown;
  spark?: unknown;
  logical_date?: unknown;
}

function rawDags(file: SpecFile | undefined): RawDag[] {
  const v = file?.partial as { dags?: unknown } | undefined;
  return Array.isArray(v?.dags) ? (v.dags.filter((d) => d && typeof d === 'object') as RawDag[]) : [];
}

/**
 * Whether the dag names of an orchestration file can be trusted to be all of
 * them: it parses, `dags` is a list (not misspelt, not a mapping), and every entry
 * has a name. Otherwise a reference to one of its dags cannot be checked.
 */
function dagListComplete(file: SpecFile | undefined): boolean {
  const dags = (file?.value as { dags?: unknown } | null | undefined)?.dags;
  return Array.isArray(dags) && dags.every((d) => d !== null && typeof d === 'object' && typeof (d as RawDag).name === 'string');
}

/** One use case's entry of the platform index, from its parsed files. */
export function indexUseCase(name: string, files: ReadonlyMap<string, SpecFile>, platform: Pick<Platform, 'buckets'>): UseCaseIndexEntry {
  const orch = files.get('orchestration.yaml');
  const entry: UseCaseIndexEntry = { readable: dagListComplete(orch), dags: new Map(), schedules: new Map(), timezones: new Map(), conventions: new Map(), dependsOn: new Map(), migrationTables: new Map(), tables: new Map(), secrets: new Set(), datasyncTasks: new Set() };
  for (const d of rawDags(orch)) {
    if (typeof d.name !== 'string') continue;
    entry.dags.set(d.name, d.type as DagType);
    const schedule = rawSchedule(d.schedule);
    if (schedule) {
      entry.schedules.set(d.name, schedule.expression);
      if (schedule.timezone !== 'UTC') entry.timezones.set(d.name, schedule.timezone);
    }
    if (d.logical_date === 'interval' || d.logical_date === 'trigger') entry.conventions.set(d.name, d.logical_date);
    if (Array.isArray(d.depends_on)) {
      entry.dependsOn.set(d.name, d.depends_on.filter((x): x is string => typeof x === 'string').map((x) => (x.includes('/') ? x : `${name}/${x}`)));
    }
    if (d.spark) continue;
    if (d.type === 'migration') indexMigration(entry, platform, files.get(typeof d.config === 'string' ? d.config : 'migration.yaml'));
    if (d.type === 'ingestion') indexIngestion(entry, platform, files.get(typeof d.config === 'string' ? d.config : 'ingestion.yaml'));
    if (d.type === 'transformation') indexProcessing(entry, files.get(typeof d.config === 'string' ? d.config : 'processing.yaml'));
  }
  return entry;
}

function columnNames(columns: unknown, only: (c: { nullable?: unknown; pii?: unknown }) => boolean = () => true): string[] {
  return Array.isArray(columns) ? columns.flatMap((c: { name?: unknown; nullable?: unknown; pii?: unknown }) => (c && typeof c.name === 'string' && only(c) ? [c.name] : [])) : [];
}

/** `required` (non-nullable) and `pii` columns of a column list, when any. */
function columnMarks(columns: unknown): Pick<IndexedTable, 'required' | 'pii'> {
  const required = columnNames(columns, (c) => c.nullable === false);
  const pii = columnNames(columns, (c) => c.pii === true);
  return { ...(required.length ? { required } : {}), ...(pii.length ? { pii } : {}) };
}

const LAYERS = ['raw', 'process', 'analytics'] as const;

function indexMigration(entry: UseCaseIndexEntry, platform: Pick<Platform, 'buckets'>, file: SpecFile | undefined): void {
  const v = file?.partial as { database?: unknown; tables?: unknown; datasync?: { task_arn?: unknown } } | undefined;
  if (typeof v?.datasync?.task_arn === 'string') entry.datasyncTasks.add(v.datasync.task_arn);
  if (!Array.isArray(v?.tables)) return;
  for (const t of v.tables as { name?: unknown; columns?: unknown; watermark_column?: unknown; layer?: unknown; datasync?: { task_arn?: unknown } }[]) {
    if (typeof t?.datasync?.task_arn === 'string') entry.datasyncTasks.add(t.datasync.task_arn);
    if (!t || typeof t.name !== 'string') continue;
    const layer = LAYERS.find((l) => l === t.layer) ?? 'raw';
    const table: IndexedTable = {
      fqn: `${String(v.database)}.${t.name}`,
      columns: columnNames(t.columns),
      ...columnMarks(t.columns),
      location: tableLocation(platform, layer, String(v.database), t.name),
      ...(typeof t.watermark_column === 'string' ? { watermarkColumn: t.watermark_column } : {}),
    };
    entry.migrationTables.set(t.name, table);
    entry.tables.set(table.fqn, table);
  }
}

/**
 * Adds a table written by a step whose columns may be unknown ([]: not checked); a table already known keeps its entry.
 * `location`: where the step creates it, when it does.
 */
function addTable(entry: UseCaseIndexEntry, target: unknown, columns: unknown, location?: string): void {
  if (typeof target === 'string' && !entry.tables.has(target)) entry.tables.set(target, { fqn: target, columns: columnNames(columns), ...columnMarks(columns), ...(location ? { location } : {}) });
}

/** Where a table created by lakestep (migration DDL, ingestion) keeps its files: `s3://<layer bucket>/<database>/<table>/`. */
export function tableLocation(platform: Pick<Platform, 'buckets'>, layer: 'raw' | 'process' | 'analytics', database: string, table: string): string {
  return `s3://${platform.buckets[layer]}/${database}/${table}/`;
}

/** Where Iceberg's Glue catalog puts a table created without a location (SQL, custom jobs): the warehouse's `<database>.db/<table>/`. */
export function warehouseLocation(platform: Pick<Platform, 'buckets'>, database: string, table: string): string {
  return `s3://${platform.buckets.raw}/${database}.db/${table}/`;
}

const createdColumns = (columns: unknown) => Array.isArray(columns) && columns.length > 0;

/** Merge targets: known tables; their columns are not checked (a merge may write a subset). */
function indexProcessing(entry: UseCaseIndexEntry, file: SpecFile | undefined): void {
  const v = file?.partial as { merges?: unknown } | undefined;
  if (!Array.isArray(v?.merges)) return;
  for (const m of v.merges as { target?: unknown }[]) if (m) addTable(entry, m.target, undefined);
}

function indexIngestion(entry: UseCaseIndexEntry, platform: Pick<Platform, 'buckets'>, file: SpecFile | undefined): void {
  const v = file?.partial as { micro_batch?: unknown; batch?: unknown } | undefined;
  for (const list of [v?.batch, v?.micro_batch]) {
    if (!Array.isArray(list)) continue;
    // A disabled source is deployed nowhere and reads nothing: it shares no secret with another use case.
    for (const item of list as { enabled?: unknown; source?: { secret_arn?: unknown; bootstrap_servers_secret_arn?: unknown } }[]) {
      if (item?.enabled === false) continue;
      for (const arn of [item?.source?.secret_arn, item?.source?.bootstrap_servers_secret_arn]) if (typeof arn === 'string') entry.secrets.add(arn);
    }
  }
  const at = (target: unknown) => {
    const [db, t] = typeof target === 'string' ? target.split('.') : [];
    return db && t ? tableLocation(platform, 'raw', db, t) : undefined;
  };
  // JDBC targets: known tables; their columns are checked only where the source declares them (and the job creates them).
  if (Array.isArray(v?.batch)) for (const b of v.batch as { target?: unknown; columns?: unknown }[]) if (b) addTable(entry, b.target, b.columns, createdColumns(b.columns) ? at(b.target) : undefined);
  if (!Array.isArray(v?.micro_batch)) return;
  // Raw payloads have no declared columns: the table is known, its columns are not checked.
  for (const s of v.micro_batch as { target?: unknown; columns?: unknown; source?: { format?: unknown } }[]) {
    if (!s) continue;
    addTable(entry, s.target, s.columns, at(s.target));
    const dead = deadLetterOf(s);
    if (dead) addTable(entry, dead, undefined, at(dead));
  }
}

/** The dead-letter table a Kafka source writes (JSON payloads: `<target>_dead_letter`), from its parsed spec. */
export function deadLetterOf(s: { target?: unknown; columns?: unknown; source?: { format?: unknown } }): string | undefined {
  const format = s.source?.format ?? (createdColumns(s.columns) ? 'json' : 'raw');
  return format === 'json' && typeof s.target === 'string' ? `${s.target}_dead_letter` : undefined;
}

/** A `depends_on` entry, resolved to `<use-case>/<dag>`, with its position. */
export interface DependencyEdge {
  from: string;
  to: string;
  origin: Origin;
}

/** The `depends_on` edges of one use case's orchestration file (parsed, not validated). */
export function dependencyEdges(name: string, orch: SpecFile | undefined): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  for (const [i, d] of rawDags(orch).entries()) {
    if (typeof d.name !== 'string' || !Array.isArray(d.depends_on)) continue;
    const from = `${name}/${d.name}`;
    for (const [j, dep] of d.depends_on.entries()) {
      if (typeof dep !== 'string') continue;
      edges.push({ from, to: dep.includes('/') ? dep : `${name}/${dep}`, origin: locate(orch!, joinPointer(`/dags/${i}`, 'depends_on', j)) });
    }
  }
  return edges;
}

/**
 * Reports every dependency cycle once, at each `depends_on` entry on it, naming
 * the whole cycle (`orders/a → orders/b → orders/a`).
 */
export function checkCycles(byUseCase: ReadonlyMap<string, readonly DependencyEdge[]>, report: Report): void {
  const edges = new Map<string, (DependencyEdge & { useCase: string })[]>();
  for (const [useCase, list] of byUseCase) {
    for (const e of list) edges.set(e.from, [...(edges.get(e.from) ?? []), { ...e, useCase }]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const e of edges.get(node) ?? []) {
      if (e.to === node) continue; // self-dependency has its own diagnostic
      if (state.get(e.to) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(e.to)), e.to];
        const key = [...cycle.slice(0, -1)].sort().join('|');
        if (!reported.has(key)) {
          reported.add(key);
          for (let k = 0; k < cycle.length - 1; k++) {
            const edge = edges.get(cycle[k]!)!.find((x) => x.to === cycle[k + 1]);
            if (edge) report.error('DAG_DEPENDENCY_CYCLE', `dependency cycle: ${cycle.join(' → ')}`, edge.origin, edge.useCase);
          }
        }
      } else if (!state.has(e.to) && edges.has(e.to)) visit(e.to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
}
