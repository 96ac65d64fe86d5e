/**
 * What the normalizers share: the platform, the report, and an index of every
 * use case's dags and migrated tables (built before any use case is
 * normalized, so cross-use-case references resolve whatever the order).
 */
import type { Origin, Report } from '../diagnostics.ts';
import { locate, locateInString, type SpecFile } from '../spec/files.ts';
import type { DagType } from '../spec/types.ts';
import type { Platform } from './types.ts';

export interface IndexedTable {
  /** `database.table`. */
  fqn: string;
  columns: string[];
  /** Columns declared `nullable: false` and `pii: true` (quality-check samples). */
  required?: string[];
  pii?: string[];
  watermarkColumn?: string;
  /** Where its files live, when lakestep creates it at a known place (`s3://…/`). */
  location?: string;
}

export interface UseCaseIndexEntry {
  /** False when orchestration.yaml has syntax errors, no `dags` list or a dag without a name: the dag list may be incomplete. */
  readable: boolean;
  dags: Map<string, DagType>;
  /** Schedule expressions of the dags that have one. */
  schedules: Map<string, string>;
  /** Time zones of the schedules not in UTC. */
  timezones: Map<string, string>;
  /** The `logical_date` convention of the dags that set one. */
  conventions: Map<string, 'interval' | 'trigger'>;
  /** Upstreams of each dag, as `<use-case>/<dag>`, as written (not yet checked). */
  dependsOn: Map<string, string[]>;
  /** Migrated tables by their name in migration files. */
  migrationTables: Map<string, IndexedTable>;
  /** Every table the use case creates or writes with known columns (migration, Kafka ingestion), by `database.table`. */
  tables: Map<string, IndexedTable>;
  /** Secret ARNs its ingestion sources read, as written. */
  secrets: Set<string>;
  /** DataSync task ARNs its migrations name (`task_arn`), as written. */
  datasyncTasks: Set<string>;
}

export type PlatformIndex = Map<string, UseCaseIndexEntry>;

/**
 * An index that notes what a use case's normalization reads of it while `log` is set: `uc:<name>`
 * for an entry, `names` for the list of use cases, `*` for a walk over all entries, and the keys of
 * the lookups that note their own keys (`table:`, `created:`, `databases` here, `datasync:` in datasync.ts, `secret:` in shared-secrets.ts). The incremental
 * compile (src/compile/reads.ts) reuses a cached result only while every key it read still gives
 * the same answer.
 */
export class RecordingIndex extends Map<string, UseCaseIndexEntry> {
  log: Set<string> | undefined;

  override get(key: string): UseCaseIndexEntry | undefined {
    this.log?.add(`uc:${key}`);
    return super.get(key);
  }

  override has(key: string): boolean {
    this.log?.add(`uc:${key}`);
    return super.has(key);
  }

  override keys(): MapIterator<string> {
    this.log?.add('names');
    return super.keys();
  }

  override entries(): MapIterator<[string, UseCaseIndexEntry]> {
    this.log?.add('*');
    return super.entries();
  }

  override values(): MapIterator<UseCaseIndexEntry> {
    this.log?.add('*');
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, UseCaseIndexEntry]> {
    return this.entries();
  }

  override forEach(fn: (value: UseCaseIndexEntry, key: string, map: Map<string, UseCaseIndexEntry>) => void, thisArg?: unknown): void {
    this.log?.add('*');
    super.forEach(fn, thisArg);
  }
}

/** Notes a read of `key` when the index records (see {@link RecordingIndex}). */
export function noteRead(index: PlatformIndex, key: string): void {
  if (index instanceof RecordingIndex) index.log?.add(key);
}

/** Every entry, without noting a walk over all of them (the caller notes what it answers). */
export function allEntries(index: PlatformIndex): IterableIterator<[string, UseCaseIndexEntry]> {
  return Map.prototype.entries.call(index) as IterableIterator<[string, UseCaseIndexEntry]>;
}

export interface PhaseContext {
  platform: Platform;
  report: Report;
  useCase: string;
  dag: string;
  index: PlatformIndex;
  file: SpecFile;
  /** Files of the use case other than YAML (SQL), by path relative to its folder. */
  otherFiles: ReadonlyMap<string, { path: string; text: string }>;
  /**
   * Pointers of the list items (`/tables/2`) that failed schema validation:
   * the normalizer passes over them and checks the others, then fails.
   */
  skip?: ReadonlySet<string>;
}

/** True (and the phase fails) when the item at `pointer` had schema errors, already reported. */
export function skipped(ctx: PhaseContext, pointer: string): boolean {
  return ctx.skip?.has(pointer) ?? false;
}

const byFqn = new WeakMap<PlatformIndex, Map<string, IndexedTable>>();
const owners = new WeakMap<PlatformIndex, ReadonlyMap<string, string>>();
const created = new WeakMap<PlatformIndex, ReadonlySet<string>>();

/**
 * Records the owner of each table (by lower-cased `database.table`, see ownership.ts) for {@link findTable},
 * and the tables some use case creates (migration, an ingestion or SQL statement that creates it, a custom job
 * that writes it) for {@link isCreated}.
 */
export function setTableOwners(index: PlatformIndex, tableOwners: ReadonlyMap<string, string>, createdTables: ReadonlySet<string> = new Set()): void {
  owners.set(index, tableOwners);
  created.set(index, createdTables);
  byFqn.delete(index);
}

/** True when some use case of the platform (quarantined ones included) creates the table. */
export function isCreated(index: PlatformIndex, fqn: string): boolean {
  noteRead(index, `created:${fqn.toLowerCase()}`);
  return created.get(index)?.has(fqn.toLowerCase()) ?? false;
}

/**
 * A table known anywhere in the platform, by `database.table` (any case), as its owner
 * declares it (so another use case naming the same table never changes its
 * columns or location for the owner, even where the owner's own entry does not
 * list it: a table its SQL or custom job creates); one lookup map per index.
 */
export function findTable(index: PlatformIndex, fqn: string): IndexedTable | undefined {
  noteRead(index, `table:${fqn.toLowerCase()}`);
  let all = byFqn.get(index);
  if (!all) {
    all = new Map();
    const tableOwners = owners.get(index);
    for (const [useCase, entry] of allEntries(index)) {
      for (const [k, t] of entry.tables) {
        const key = k.toLowerCase();
        const owner = tableOwners?.get(key);
        if (owner === useCase) all.set(key, t);
        // Another use case's entry says nothing of a table it does not own (where its files live, its columns):
        // only its name, until the owner's own entry, if any, replaces it.
        else if (!all.has(key)) all.set(key, owner === undefined ? t : { fqn: t.fqn, columns: [] });
      }
    }
    byFqn.set(index, all);
  }
  return all.get(fqn.toLowerCase());
}

const databases = new WeakMap<PlatformIndex, ReadonlySet<string>>();

/** Every Glue database a use case of the platform names a table in (one set per index). */
export function platformDatabases(index: PlatformIndex): ReadonlySet<string> {
  noteRead(index, 'databases');
  let all = databases.get(index);
  if (!all) {
    all = new Set([...allEntries(index)].flatMap(([, e]) => [...e.tables.keys()].map((fqn) => fqn.split('.')[0]!)));
    databases.set(index, all);
  }
  return all;
}

/** Position of a pointer in the context's file. */
export function at(ctx: { file: SpecFile }, pointer: string, atKey = false): Origin {
  return locate(ctx.file, pointer, atKey);
}

/** Reports an error at a pointer of the context's file (at character `offset` of a string value, when given). */
export function fail(ctx: PhaseContext, code: string, message: string, pointer: string, atKey = false, offset?: number): void {
  ctx.report.error(code, message, offset === undefined ? at(ctx, pointer, atKey) : locateInString(ctx.file, pointer, offset), ctx.useCase);
}

export function warn(ctx: PhaseContext, code: string, message: string, pointer: string): void {
  ctx.report.warning(code, message, at(ctx, pointer), ctx.useCase);
}
