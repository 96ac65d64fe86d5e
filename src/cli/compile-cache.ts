/**
 * The incremental compile's cache on disk (src/compile/cache.ts): by default
 * `.lakestep-cache/<specs folder>[-<env>]/` next to the specs folder, one pair
 * of files per use case — `<use case>.entry` (its stages' results and reads)
 * and `<use case>.files` (its generated files) — written with the V8
 * serializer, each through a temporary file and a rename so a reader never
 * sees half an entry, even with two compiles at once.
 *
 * The cache is trusted as much as the build folder: whoever can write it can
 * write the build. An entry that does not read back (another Node version,
 * a truncated file) is ignored and rewritten.
 * @see https://nodejs.org/api/v8.html#serialization-api
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { CacheEntry, CompileCache } from '../compile/cache.ts';

/** Where `lakestep compile|validate <specs>` keeps its cache unless told otherwise. */
export function defaultCacheDir(specsDir: string, env?: string): string {
  const specs = resolve(specsDir);
  return join(dirname(specs), '.lakestep-cache', `${basename(specs) || 'specs'}${env ? `-${env}` : ''}`);
}

const SUFFIXES = ['.entry', '.files'] as const;

/** A use-case name as discover() admits it; anything else never becomes a file name here. */
const SAFE = /^[a-z][a-z0-9]*$/;

export class DiskCache implements CompileCache {
  private made = false;

  constructor(readonly dir: string) {}

  read(useCase: string): CacheEntry | undefined {
    if (!SAFE.test(useCase)) return undefined;
    return this.load(`${useCase}.entry`) as CacheEntry | undefined;
  }

  readFiles(useCase: string): Map<string, string> | undefined {
    if (!SAFE.test(useCase)) return undefined;
    const v = this.load(`${useCase}.files`);
    return v instanceof Map ? (v as Map<string, string>) : undefined;
  }

  write(useCase: string, entry: CacheEntry, files?: ReadonlyMap<string, string>): void {
    if (!SAFE.test(useCase)) return;
    if (files) this.store(`${useCase}.files`, serialize(new Map(files)));
    this.store(`${useCase}.entry`, serialize(entry));
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
      if (suffix && !keep.has(n.slice(0, -suffix.length))) rmSync(join(this.dir, n), { force: true });
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

  private store(name: string, data: Buffer): void {
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, data);
    try {
      renameSync(tmp, join(this.dir, name));
    } catch (e) {
      unlinkSync(tmp);
      throw e;
    }
  }
}
