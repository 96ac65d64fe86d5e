/**
 * The incremental compile's memory: one entry per use case, each holding what
 * every stage produced for it and what that stage read, so the next compile
 * reuses a stage only while its inputs are the same (DESIGN: "Incremental
 * compile" in the README):
 *
 *   key        the lakestep version, the platform and the use case's own files;
 *   scan       reused when `key` is unchanged (src/compile/scan.ts);
 *   normalized reused when `key` is unchanged and every read the use case made
 *              of the platform index answers the same (src/compile/reads.ts; not
 *              asked again while the index prints as when they were verified:
 *              {@link VerifiedReads}): the
 *              facts the whole-platform stages read (src/ir/facts.ts), while
 *              the IR itself is kept apart and read only to assemble again;
 *   assembled  reused when the normalized use case and the migrations it waits
 *              for are the same (src/compile/unit.ts).
 *
 * Beside them, one entry for the platform stage (src/compile/platform.ts).
 *
 * Entries are plain data (on disk as JSON where JSON holds them exactly, else
 * with the V8 serializer: src/cli/compile-cache.ts); a use case's IR is kept apart and read only when the use case is assembled
 * again — also when the build folder lacks one of its files: of the files
 * themselves only the manifest part is kept on disk (the build holds them all), with every file's digest.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Diagnostic } from '../diagnostics.ts';
import type { UseCaseFacts } from '../ir/facts.ts';
import type { LoadedPlatform } from '../ir/load-platform.ts';
import type { UseCase } from '../ir/types.ts';
import type { StackLayout } from '../../infra/usecase/shards.ts';
import type { ManifestTable, ManifestWorkflow } from '../build/types.ts';
import type { MigrationRef } from '../ir/migration-order.ts';
import type { Reads } from './reads.ts';
import type { UseCaseScan } from './scan.ts';

/** Bumped whenever an entry's shape changes: older entries are then never read. */
export const CACHE_FORMAT = 7;

/** What the whole-platform stages and the CLI summary need of a compiled workflow (kept in every cache entry: small). */
export interface WorkflowSummary extends Pick<ManifestWorkflow, 'name' | 'type' | 'kind' | 'enabled' | 'schedule' | 'scheduleTimezone' | 'dependsOn' | 'stats'> {
  /** The schedule of each of its schedule groups (maintenance). */
  scheduleGroups?: { schedule: string }[];
  /** How many EventBridge Scheduler schedules start it. */
  schedules: number;
  /** How many dependency routes lead to it. */
  routes: number;
  /** Its DataSync tasks (`resources.datasync`), for the quota. */
  datasync: ManifestWorkflow['resources']['datasync'];
  /** IAM roles its resources create (build/iam-quota.ts), for the quota. */
  roles: number;
}

export interface UseCaseSummary {
  name: string;
  workflows: WorkflowSummary[];
  /** IAM roles of the use case beside its workflows' (build/iam-quota.ts), in one stack. */
  roles: number;
  /** Kept when the machines of a stack share a role: the roles then grow with the stacks the use case needs. */
  layout?: StackLayout;
}

/** A generated file by its path in the build, with the digest of its content. */
export interface FileDigest {
  path: string;
  digest: string;
}

export interface CacheEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  scan: UseCaseScan;
  normalized?: {
    reads: Reads;
    /**
     * Digest of this result as made (its reads, facts, IR digest and diagnostics): names it in the list of
     * results whose reads answered alike on an index ({@link VerifiedReads}).
     */
    id: string;
    /** What the whole-platform stages read of the IR; undefined when the use case does not compile. */
    facts: UseCaseFacts | undefined;
    /**
     * Digest of {@link facts} but their spec hash (which any edit changes and no whole-platform stage reads):
     * what a use case adds to the key of the whole-platform stages' memo ({@link CrossEntry}).
     */
    factsId: string;
    /** Digest of the IR (kept apart: {@link CompileCache.readUseCase}), for the next stage's key. */
    digest: string;
    diagnostics: Diagnostic[];
  };
  assembled?: {
    /** Digest of the normalized use case and the migrations it waits for. */
    input: string;
    /**
     * Digest of what {@link input} was made from: the normalized result's `id` and the digest of the platform's
     * migrated tables ({@link CrossEntry} `migrated`). While both are the same, so is the input, which is then
     * not made again (it reads every workflow's facts).
     */
    basis?: string;
    summary: UseCaseSummary;
    files: FileDigest[];
    diagnostics: Diagnostic[];
  };
}

/** The platform stage's result (src/compile/platform.ts): the loaded platform without its parsed file, and what it reported. */
export interface PlatformEntry {
  format: typeof CACHE_FORMAT;
  key: string;
  loaded: Omit<LoadedPlatform, 'baseFile'>;
  diagnostics: Diagnostic[];
}

/** What an entry keeps apart from itself, read only when needed. */
export interface CacheParts {
  files?: ReadonlyMap<string, string>;
}

/** A use case's IR with the digest it was stored under. */
export interface StoredUseCase {
  digest: string;
  useCase: UseCase;
}

/**
 * The normalized results whose reads all answer as recorded on the index that prints `print`
 * (src/compile/reads.ts `indexPrint`): made on it, or asked again on it and answered alike. While the index
 * prints the same, such a result is reused without asking its reads again. Kept apart from the entries, so
 * that a change to the index, which asks every use case's reads once, rewrites one small file and no entry.
 */
export interface VerifiedReads {
  print: string;
  /** Use case → the {@link CacheEntry} `normalized.id` verified. */
  ids: Record<string, string>;
}

/**
 * The whole-platform stages' last results, each under the digest of everything it read, so a compile whose
 * change leaves their inputs alone (most edits of one use case) takes them instead of computing them again:
 *
 *   scanned  table ownership, database owners and dependency cycles: from the platform (its files' text,
 *            for the positions of its diagnostics), every use case's index entry, ownership claims and
 *            `depends_on` edges;
 *   facts    missing dependencies and the table catalog: from `scanned`'s inputs and the facts of every
 *            use case that compiles;
 *   migrated every migrated table and its migration: from the facts of every use case that normalizes.
 *
 * Taken from here, the stages read no use case's workflow facts, which the disk cache then never parses
 * for a use case it reuses (src/cli/compile-cache.ts).
 */
export interface CrossEntry {
  format: typeof CACHE_FORMAT;
  scanned?: { key: string; owners: [string, string][]; created: string[]; diagnostics: Diagnostic[] };
  facts?: { key: string; tables: Record<string, ManifestTable>; diagnostics: Diagnostic[] };
  /** `digest`: of `tables`, part of the basis of each use case's assembled input (`assembled.basis`). */
  migrated?: { key: string; digest: string; tables: [string, MigrationRef][] };
}

/** Where entries live between compiles: in memory for tests, on disk for the CLI (src/cli/compile-cache.ts). */
export interface CompileCache {
  read(useCase: string): CacheEntry | undefined;
  /** The IR stored under the normalized digest `digest` (the caller checks it); undefined when gone or another. */
  readUseCase(useCase: string, digest: string): UseCase | undefined;
  /** Stores a use case's IR as soon as it is made; false when it could not be stored (then the caller keeps it). */
  writeUseCase(useCase: string, stored: StoredUseCase): boolean;
  /**
   * The files last written for the use case, by path (the caller checks their digests), when this cache
   * keeps them (in memory); otherwise a file the build lacks is assembled again from the IR.
   */
  readFiles?(useCase: string): Map<string, string> | undefined;
  /** Stores the entry; `parts.files` when the assembled stage ran (otherwise the stored ones stay). */
  write(useCase: string, entry: CacheEntry, parts?: CacheParts): void;
  /** Forgets the use cases not in `keep` (a removed use case). */
  prune(keep: ReadonlySet<string>): void;
  /** The platform stage's last result (the caller checks its key). */
  readPlatform?(): PlatformEntry | undefined;
  writePlatform?(entry: PlatformEntry): void;
  /** The results last verified on an index (the caller compares its print). */
  readVerified?(): VerifiedReads | undefined;
  writeVerified?(verified: VerifiedReads): void;
  /** The whole-platform stages' last results (the caller compares their keys). */
  readCross?(): CrossEntry | undefined;
  writeCross?(entry: CrossEntry): void;
}

/**
 * A text that is equal for equal values, whatever their history: JSON with Maps and Sets written as tagged
 * lists in insertion order. (V8's serializer is not: the same string may be written in one or two bytes per
 * character depending on where it came from.)
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? { '<map>': [...v] } : v instanceof Set ? { '<set>': [...v] } : v === undefined ? null : v));
}

export function digest(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 27);
}

/**
 * Without a cache, the IRs between the normalize and assemble stages: serialized, a fraction of the memory
 * the objects take, so a large platform's IR is never held whole either.
 */
export class SpilledUseCases implements Pick<CompileCache, 'readUseCase' | 'writeUseCase'> {
  private readonly stored = new Map<string, Buffer>();

  readUseCase(useCase: string, digest: string): UseCase | undefined {
    const buf = this.stored.get(useCase);
    const s = buf ? (deserialize(buf) as StoredUseCase) : undefined;
    return s?.digest === digest ? s.useCase : undefined;
  }

  writeUseCase(useCase: string, stored: StoredUseCase): boolean {
    this.stored.set(useCase, serialize(stored));
    return true;
  }
}

/** A cache in memory (tests, and the bench's in-process compiles); entries are cloned in and out, as on disk. */
export class MemoryCache implements CompileCache {
  readonly entries = new Map<string, { entry: CacheEntry; files: Map<string, string> }>();
  readonly irs = new Map<string, StoredUseCase>();
  platform: PlatformEntry | undefined;
  verified: VerifiedReads | undefined;
  cross: CrossEntry | undefined;

  read(useCase: string): CacheEntry | undefined {
    const e = this.entries.get(useCase);
    return e ? structuredClone(e.entry) : undefined;
  }

  readUseCase(useCase: string, digest: string): UseCase | undefined {
    const stored = this.irs.get(useCase);
    return stored?.digest === digest ? structuredClone(stored.useCase) : undefined;
  }

  writeUseCase(useCase: string, stored: StoredUseCase): boolean {
    this.irs.set(useCase, structuredClone(stored));
    return true;
  }

  readFiles(useCase: string): Map<string, string> | undefined {
    const e = this.entries.get(useCase);
    return e ? new Map(e.files) : undefined;
  }

  write(useCase: string, entry: CacheEntry, parts: CacheParts = {}): void {
    const previous = this.entries.get(useCase);
    this.entries.set(useCase, { entry: structuredClone(entry), files: parts.files ? new Map(parts.files) : (previous?.files ?? new Map()) });
  }

  prune(keep: ReadonlySet<string>): void {
    for (const k of this.entries.keys()) if (!keep.has(k)) this.entries.delete(k);
    for (const k of this.irs.keys()) if (!keep.has(k)) this.irs.delete(k);
  }

  readPlatform(): PlatformEntry | undefined {
    return this.platform ? structuredClone(this.platform) : undefined;
  }

  writePlatform(entry: PlatformEntry): void {
    this.platform = structuredClone(entry);
  }

  readVerified(): VerifiedReads | undefined {
    return this.verified ? structuredClone(this.verified) : undefined;
  }

  writeVerified(verified: VerifiedReads): void {
    this.verified = structuredClone(verified);
  }

  readCross(): CrossEntry | undefined {
    return this.cross ? structuredClone(this.cross) : undefined;
  }

  writeCross(entry: CrossEntry): void {
    this.cross = structuredClone(entry);
  }
}
