/**
 * The incremental compile's cache on disk (src/compile/cache.ts): by default
 * `node_modules/.cache/lakestep/compile/<digest of the specs folder's real path
 * and the environment>/` in lakestep's own folder (where JavaScript tools keep
 * their caches), at most {@link TREES_KEPT} specs trees, the least recently
 * used dropped first; three files per use case — `<use case>.entry` (its stages' results and reads,
 * the digests of its generated files), `<use case>.ir` (its IR) and `<use case>.part` (its part of the
 * manifest, which `graph`, `lineage` and `plan` read of every use case without a build folder) — the platform stage's
 * `platform.loaded`, `reads.verified` (the results verified on the last index),
 * `platform.cross` (the whole-platform stages' last results) and `warnings.reported` (the warnings the
 * last command printed or counted, src/cli/warnings.ts), each
 * written through a temporary file and a rename so a reader never
 * sees half an entry, even with two compiles at once.
 *
 * The IR and the platform are written with the V8 serializer. An entry is written as JSON
 * when JSON holds it exactly — its index part's Maps and Sets as lists, rebuilt on read
 * ({@link entryJson}) — since an incremental compile reads every use case's entry and
 * `JSON.parse` reads them in about half the time the V8 deserializer takes; the parts a
 * reused use case seldom needs go on lines of their own, parsed only when read
 * ({@link LAZY_PATHS}). When the text does not read back to the same value (an `undefined`
 * property, a Map elsewhere) the entry is written with the V8 serializer instead. The first
 * byte tells which.
 *
 * The cache is trusted as much as the build folder: whoever can write it can
 * write the build. An entry that does not read back (another Node version,
 * a truncated file) is ignored and rewritten.
 * @see https://nodejs.org/api/v8.html#serialization-api
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { digest, type CacheEntry, type CacheParts, type CompileCache, type CrossEntry, type PlatformEntry, type StoredUseCase, type VerifiedReads } from '../compile/cache.ts';
import { manifestPartPath } from '../build/manifest-files.ts';
import type { UseCaseIndexEntry } from '../ir/context.ts';
import type { UseCase } from '../ir/types.ts';

/** Specs trees whose caches are kept side by side (tests and CI compile many small trees). */
export const TREES_KEPT = 16;

/** lakestep's own folder: the closest folder above this module with lakestep's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lakestep') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** lakestep's caches: `node_modules/.cache/lakestep` in its own folder. */
export function cacheRoot(): string {
  return join(packageRoot(), 'node_modules', '.cache', 'lakestep');
}

/** Where `lakestep compile|validate <specs>` keeps its cache unless told otherwise; drops the least recently used trees. */
export function defaultCacheDir(specsDir: string, env?: string): string {
  const root = join(cacheRoot(), 'compile');
  const specs = resolve(specsDir);
  const dir = join(root, digest(existsSync(specs) ? realpathSync(specs) : specs, env ?? '').slice(0, 16));
  try {
    const trees = readdirSync(root).map((n) => ({ n, t: statSync(join(root, n)).mtimeMs })).filter((x) => join(root, x.n) !== dir);
    for (const old of trees.sort((a, b) => b.t - a.t).slice(TREES_KEPT - 1)) rmSync(join(root, old.n), { recursive: true, force: true });
    if (existsSync(dir)) utimesSync(dir, new Date(), new Date());
  } catch {
    // No cache yet, or another compile pruning at the same time: nothing to do.
  }
  return dir;
}

const SUFFIXES = ['.entry', '.ir', '.part'] as const;
/** The platform stage's entry: no use case's file ends so. */
const PLATFORM = 'platform.loaded';
/** The results last verified on an index (src/compile/cache.ts {@link VerifiedReads}): no use case's file ends so. */
const VERIFIED = 'reads.verified';
/** The whole-platform stages' last results (src/compile/cache.ts {@link CrossEntry}). */
const CROSS = 'platform.cross';
/** The keys of the warnings the last `validate` or `compile` reported (src/cli/warnings.ts): no use case's file ends so. */
const REPORTED = 'warnings.reported';
/** What earlier versions kept and this one no longer reads. */
const RETIRED = ['.files'] as const;

/** A use-case name as discover() admits it; anything else never becomes a file name here. */
const SAFE = /^[a-z][a-z0-9]*$/;

export class DiskCache implements CompileCache {
  private made = false;

  constructor(readonly dir: string) {}

  read(useCase: string): CacheEntry | undefined {
    if (!SAFE.test(useCase)) return undefined;
    // Read as Latin-1, which costs a copy where UTF-8 costs a decode: a JSON entry is ASCII ({@link entryJson}),
    // and the text gives back the very bytes of one written with the V8 serializer.
    return this.loadText(`${useCase}.entry`, 'latin1', (text) => (text.charCodeAt(0) === JSON_START ? entryFromJson(text, useCase) : deserialize(Buffer.from(text, 'latin1')))) as CacheEntry | undefined;
  }

  readUseCase(useCase: string, digest: string): UseCase | undefined {
    if (!SAFE.test(useCase)) return undefined;
    const v = this.load(`${useCase}.ir`) as Partial<StoredUseCase> | undefined;
    return v?.digest === digest && v.useCase ? v.useCase : undefined;
  }

  writeUseCase(useCase: string, stored: StoredUseCase): boolean {
    return SAFE.test(useCase) && this.store(`${useCase}.ir`, serialize(stored));
  }

  /**
   * Of the files last generated for the use case, its manifest part (the compile checks its digest): the
   * other files are not kept here (the build holds them, and they are assembled again when it lacks one).
   */
  readFiles(useCase: string): Map<string, string> | undefined {
    if (!SAFE.test(useCase)) return undefined;
    const part = this.load(`${useCase}.part`, (buf) => buf.toString('utf8')) as string | undefined;
    return part === undefined ? undefined : new Map([[manifestPartPath(useCase), part]]);
  }

  /** Stores the entry, as JSON when JSON holds it exactly, and of `parts.files` the manifest part ({@link readFiles}). */
  write(useCase: string, entry: CacheEntry, parts?: CacheParts): void {
    if (!SAFE.test(useCase)) return;
    this.store(`${useCase}.entry`, encode(entry, entryJson(entry)));
    const part = parts?.files?.get(manifestPartPath(useCase));
    if (part !== undefined) this.store(`${useCase}.part`, Buffer.from(part));
  }

  readPlatform(): PlatformEntry | undefined {
    return this.load(PLATFORM) as PlatformEntry | undefined;
  }

  writePlatform(entry: PlatformEntry): void {
    this.store(PLATFORM, serialize(entry));
  }

  readVerified(): VerifiedReads | undefined {
    const v = this.load(VERIFIED, (buf) => JSON.parse(buf.toString('utf8'))) as Partial<VerifiedReads> | undefined;
    if (typeof v?.print !== 'string' || typeof v.ids !== 'object' || v.ids === null || Array.isArray(v.ids)) return undefined;
    return Object.values(v.ids).every((id) => typeof id === 'string') ? { print: v.print, ids: v.ids } : undefined;
  }

  writeVerified(verified: VerifiedReads): void {
    this.store(VERIFIED, Buffer.from(JSON.stringify(verified)));
  }

  readCross(): CrossEntry | undefined {
    return this.load(CROSS, decode(JSON.parse)) as CrossEntry | undefined;
  }

  /** As JSON when JSON holds it exactly (it reads back in about half the time), else with the V8 serializer. */
  writeCross(entry: CrossEntry): void {
    this.store(CROSS, encode(entry, jsonExact(entry) ? JSON.stringify(entry) : undefined));
  }

  /** The keys of the warnings the last command reported; undefined when none were remembered. */
  readReported(): Set<string> | undefined {
    const v = this.load(REPORTED, (buf) => JSON.parse(buf.toString('utf8'))) as unknown;
    return Array.isArray(v) && v.every((k) => typeof k === 'string') ? new Set(v) : undefined;
  }

  /** Remembers the warnings this command reported, unless the same are remembered already. */
  writeReported(keys: ReadonlySet<string>, before: ReadonlySet<string> | undefined): void {
    if (before?.size === keys.size && [...keys].every((k) => before.has(k))) return;
    this.store(REPORTED, Buffer.from(JSON.stringify([...keys].sort())));
  }

  prune(keep: ReadonlySet<string>): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      const suffix = SUFFIXES.find((s) => n.endsWith(s));
      if ((suffix && !keep.has(n.slice(0, -suffix.length))) || RETIRED.some((s) => n.endsWith(s))) rmSync(join(this.dir, n), { force: true });
    }
  }

  /** The value stored as `name`; undefined when it is gone or does not read back. */
  private load(name: string, parse: (buf: Buffer) => unknown = deserialize): unknown {
    return this.loadWith(() => readFileSync(join(this.dir, name)), parse);
  }

  /** {@link load} of a file read as text in `encoding`. */
  private loadText(name: string, encoding: BufferEncoding, parse: (text: string) => unknown): unknown {
    return this.loadWith(() => readFileSync(join(this.dir, name), encoding), parse);
  }

  private loadWith<T>(read: () => T, parse: (data: T) => unknown): unknown {
    let data: T;
    try {
      data = read();
    } catch {
      return undefined;
    }
    try {
      return parse(data);
    } catch {
      return undefined;
    }
  }

  /** Writes through a temporary file and a rename; a cache that cannot be written never fails a compile. */
  private store(name: string, data: Buffer): boolean {
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    try {
      if (!this.made) {
        mkdirSync(this.dir, { recursive: true });
        this.made = true;
      }
      writeFileSync(tmp, data);
      renameSync(tmp, join(this.dir, name));
      return true;
    } catch {
      rmSync(tmp, { force: true });
      return false;
    }
  }
}

/** An entry written as JSON starts with `{`; the V8 serializer's output with its version tag (0xFF). */
const JSON_START = 0x7b;

/** `value` as its JSON text `json` when given (JSON holds it exactly), else with the V8 serializer. */
function encode(value: unknown, json: string | undefined): Buffer {
  return json === undefined ? serialize(value) : Buffer.from(json);
}

/** Reads what {@link encode} wrote, the first byte telling which: the JSON text through `fromJson`. */
function decode(fromJson: (text: string) => unknown): (buf: Buffer) => unknown {
  return (buf) => (buf[0] === JSON_START ? fromJson(buf.toString('utf8')) : deserialize(buf));
}
/** The Maps and Sets of an index entry, written as lists. */
const INDEX_MAPS = ['dags', 'schedules', 'timezones', 'conventions', 'dependsOn', 'migrationTables', 'tables'] as const satisfies readonly (keyof UseCaseIndexEntry)[];
const INDEX_SETS = ['secrets', 'datasyncTasks'] as const satisfies readonly (keyof UseCaseIndexEntry)[];

/**
 * The parts of an entry an incremental compile reads of a use case it reuses only when a whole-platform stage
 * runs again or its reads are asked again (src/compile.ts): its ownership claims, its `depends_on` edges, its
 * reads of the index and its workflows' facts — about half of an entry's text, and most of its parse time
 * (the facts are its deepest part). Each is written as JSON on a line of its own after the rest of the entry,
 * and parsed the first time it is read ({@link entryFromJson}).
 */
const LAZY_PATHS = [
  ['scan', 'ownership'],
  ['scan', 'edges'],
  ['normalized', 'reads'],
  ['normalized', 'facts', 'workflows'],
] as const;
/** The key of the entry's first line that lists the length of each lazy line (-1: that part is absent). */
const LAZY = '~lazy';
/** Why an entry whose lazy lines are not what its first line says is not read (a truncated file). */
const MISMATCH = 'an entry whose lazy parts do not match its first line';

/** The entry as JSON, or undefined when JSON cannot hold it exactly (read back by {@link entryFromJson}). */
export function entryJson(entry: CacheEntry): string | undefined {
  const index: Record<string, unknown> = { ...entry.scan.entry };
  for (const k of INDEX_MAPS) if (index[k] instanceof Map) index[k] = [...(index[k] as Map<unknown, unknown>)];
  for (const k of INDEX_SETS) if (index[k] instanceof Set) index[k] = [...(index[k] as Set<unknown>)];
  const packed: Record<string, unknown> = { ...entry, scan: { ...entry.scan, entry: index } };
  if (!jsonExact(packed)) return undefined;
  const lines = LAZY_PATHS.map((path) => {
    const parent = copiedAlong(packed, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (!parent || !Object.hasOwn(parent, key)) return undefined;
    const text = ascii(JSON.stringify(parent[key]));
    delete parent[key];
    return text;
  });
  return [ascii(JSON.stringify({ ...packed, [LAZY]: lines.map((l) => l?.length ?? -1) })), ...lines.map((l) => l ?? '')].join('\n');
}

/**
 * JSON text with every character past ASCII written as an escape (`\u00e9`): the same value, and a file
 * whose bytes read as Latin-1 are its text (no UTF-8 to decode: DiskCache.read).
 */
function ascii(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

/** The object at `keys` below `root`, each object on the way replaced by a shallow copy (so that it can be changed); undefined when one is missing. */
function copiedAlong(root: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> | undefined {
  let o = root;
  for (const k of keys) {
    const v = o[k];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    o = o[k] = { ...(v as Record<string, unknown>) };
  }
  return o;
}

/**
 * True when `JSON.parse(JSON.stringify(v))` is `v` again: plain objects without symbol keys, dense arrays,
 * strings, booleans, null and finite numbers other than -0 — no `undefined`, Map, Set, Date or class instance.
 */
function jsonExact(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!jsonExact(v[i])) return false; // a hole reads as undefined
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype || Object.getOwnPropertySymbols(v).length > 0) return false;
      for (const k of Object.keys(v)) if (!jsonExact((v as Record<string, unknown>)[k])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * An entry read from its JSON text, the index entry's Maps and Sets rebuilt, each lazy part ({@link LAZY_PATHS})
 * parsed the first time it is read. Throws when the text does not read back (then the entry is not used), also
 * when a lazy line does not have the length the first line gives it (a truncated file).
 */
export function entryFromJson(text: string, useCase?: string): CacheEntry {
  const lines = text.split('\n');
  const entry = JSON.parse(lines[0]!) as CacheEntry & { [LAZY]?: unknown };
  const lengths = entry[LAZY];
  delete entry[LAZY];
  if (lengths !== undefined || lines.length > 1) {
    if (!Array.isArray(lengths) || lengths.length !== LAZY_PATHS.length || lines.length !== LAZY_PATHS.length + 1) throw new Error(MISMATCH);
    for (const [i, path] of LAZY_PATHS.entries()) {
      const line = lines[i + 1]!;
      if (lengths[i] === -1 && line === '') continue;
      if (lengths[i] !== line.length || line === '') throw new Error(MISMATCH);
      let parent: unknown = entry;
      for (const k of path.slice(0, -1)) parent = (parent as Record<string, unknown> | undefined)?.[k];
      if (typeof parent !== 'object' || parent === null) throw new Error('an entry whose lazy part has no place in it');
      lazily(parent, path[path.length - 1]!, line, useCase);
    }
  }
  const index = entry.scan?.entry as unknown as Record<string, unknown> | undefined;
  if (index) {
    for (const k of INDEX_MAPS) if (Array.isArray(index[k])) index[k] = new Map(index[k] as [unknown, unknown][]);
    for (const k of INDEX_SETS) if (Array.isArray(index[k])) index[k] = new Set(index[k] as unknown[]);
  }
  return entry;
}

/**
 * `o[key]` as the value of the JSON text `text`, parsed when first read (a property like any other to spread,
 * clone, freeze or compare). A text that does not parse stops the compile with what to do.
 */
function lazily(o: object, key: string, text: string, useCase: string | undefined): void {
  let value: unknown;
  let parsed = false;
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!parsed) {
        try {
          value = JSON.parse(text);
        } catch {
          throw new Error(`the compile cache entry${useCase === undefined ? '' : ` of use case '${useCase}'`} does not read back: delete the cache folder (or use --no-cache) and compile again`);
        }
        parsed = true;
      }
      return value;
    },
    set(v: unknown) {
      value = v;
      parsed = true;
    },
  });
}

/**
 * The cache of a long-running command (`--watch`): a {@link DiskCache} that keeps in memory what it read or
 * wrote, so a run after one change reads no entry from disk again. Every result is still checked against its
 * key by the compile, as the disk's are: an entry another process wrote meanwhile is at worst not used.
 * What it keeps is frozen — the compile takes results from the cache and must never change them.
 */
export class WarmCache extends DiskCache {
  /** What was read or written, by the name of its file in the cache folder. */
  private readonly held = new Map<string, unknown>();

  /** The value held as `name`, read from disk (and held, frozen) the first time. */
  private keep<T>(name: string, read: () => T): T {
    if (!this.held.has(name)) this.held.set(name, deepFreeze(read()));
    return this.held.get(name) as T;
  }

  /** Holds a copy of what was just written as `name`, frozen. */
  private hold(name: string, value: unknown): void {
    this.held.set(name, deepFreeze(structuredClone(value)));
  }

  override read(useCase: string): CacheEntry | undefined {
    return this.keep(`${useCase}.entry`, () => super.read(useCase));
  }

  override write(useCase: string, entry: CacheEntry, parts?: CacheParts): void {
    super.write(useCase, entry, parts);
    this.hold(`${useCase}.entry`, entry);
  }

  override prune(keep: ReadonlySet<string>): void {
    super.prune(keep);
    for (const name of [...this.held.keys()]) if (name.endsWith('.entry') && !keep.has(name.slice(0, -'.entry'.length))) this.held.delete(name);
  }

  override readPlatform(): PlatformEntry | undefined {
    return this.keep(PLATFORM, () => super.readPlatform());
  }

  override writePlatform(entry: PlatformEntry): void {
    super.writePlatform(entry);
    this.hold(PLATFORM, entry);
  }

  override readVerified(): VerifiedReads | undefined {
    return this.keep(VERIFIED, () => super.readVerified());
  }

  override writeVerified(verified: VerifiedReads): void {
    super.writeVerified(verified);
    this.hold(VERIFIED, verified);
  }

  override readCross(): CrossEntry | undefined {
    return this.keep(CROSS, () => super.readCross());
  }

  override writeCross(entry: CrossEntry): void {
    super.writeCross(entry);
    this.hold(CROSS, entry);
  }

  /** A copy: the caller may change it (a frozen Set still adds). */
  override readReported(): Set<string> | undefined {
    const v = this.keep(REPORTED, () => super.readReported());
    return v && new Set(v);
  }

  override writeReported(keys: ReadonlySet<string>, before: ReadonlySet<string> | undefined): void {
    super.writeReported(keys, before);
    this.hold(REPORTED, new Set(keys));
  }
}

/** `v` and everything it holds, frozen (Maps and Sets are held as they are: freezing does not reach their items' slots). */
function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (v instanceof Map) for (const [k, x] of v) deepFreeze(k), deepFreeze(x);
  else if (v instanceof Set) for (const x of v) deepFreeze(x);
  else for (const x of Object.values(v)) deepFreeze(x);
  return v;
}
