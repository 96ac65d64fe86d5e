/**
 * The incremental compile's cache on disk (src/compile/cache.ts): by default
 * `node_modules/.cache/lakestep/compile/<digest of the specs folder's real path
 * and the environment>/` in lakestep's own folder (where JavaScript tools keep
 * their caches), at most {@link TREES_KEPT} specs trees, the least recently
 * used dropped first; two files per use case — `<use case>.entry` (its stages' results and reads,
 * the digests of its generated files) and `<use case>.ir` (its IR) — written with the V8
 * serializer, each through a temporary file and a rename so a reader never
 * sees half an entry, even with two compiles at once.
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
import { digest, type CacheEntry, type CompileCache, type PlatformEntry, type StoredUseCase } from '../compile/cache.ts';
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

/** Where `lakestep compile|validate <specs>` keeps its cache unless told otherwise; drops the least recently used trees. */
export function defaultCacheDir(specsDir: string, env?: string): string {
  const root = join(packageRoot(), 'node_modules', '.cache', 'lakestep', 'compile');
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

const SUFFIXES = ['.entry', '.ir'] as const;
/** The platform stage's entry: no use case's file ends so. */
const PLATFORM = 'platform.loaded';
/** What earlier versions kept and this one no longer reads. */
const RETIRED = ['.files'] as const;

/** A use-case name as discover() admits it; anything else never becomes a file name here. */
const SAFE = /^[a-z][a-z0-9]*$/;

export class DiskCache implements CompileCache {
  private made = false;

  constructor(readonly dir: string) {}

  read(useCase: string): CacheEntry | undefined {
    if (!SAFE.test(useCase)) return undefined;
    return this.load(`${useCase}.entry`) as CacheEntry | undefined;
  }

  readUseCase(useCase: string, digest: string): UseCase | undefined {
    if (!SAFE.test(useCase)) return undefined;
    const v = this.load(`${useCase}.ir`) as Partial<StoredUseCase> | undefined;
    return v?.digest === digest && v.useCase ? v.useCase : undefined;
  }

  writeUseCase(useCase: string, stored: StoredUseCase): boolean {
    return SAFE.test(useCase) && this.store(`${useCase}.ir`, serialize(stored));
  }

  /** Stores the entry; the generated files are not kept on disk (the build holds them). */
  write(useCase: string, entry: CacheEntry): void {
    if (!SAFE.test(useCase)) return;
    this.store(`${useCase}.entry`, serialize(entry));
  }

  readPlatform(): PlatformEntry | undefined {
    return this.load(PLATFORM) as PlatformEntry | undefined;
  }

  writePlatform(entry: PlatformEntry): void {
    this.store(PLATFORM, serialize(entry));
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

  private load(name: string): unknown {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.dir, name));
    } catch {
      return undefined;
    }
    try {
      return deserialize(buf);
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
