/**
 * The build directory as lakestep owns it. A build is recognized only by the
 * marker file lakestep itself writes (`.lakestep-build`, listing every file of
 * that build with a stamp of its content); replacing a build removes exactly
 * those files and nothing else, and rewrites only the files whose content
 * changed. Files are written as the compiler produces them ({@link BuildWriter}):
 * each new path is first appended to a journal (`.lakestep-build.journal`), so
 * a build cut short is still recognized, and replaced, next time.
 * A directory without the marker, the specs folder, a folder holding the specs
 * or the current directory is never cleared: the command stops with exit 2.
 * @see https://nodejs.org/api/fs.html#fslstatsyncpath-options
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { digest } from '../compile/cache.ts';
import { fileStamp, inside } from './paths.ts';

/** Name of the marker file at the root of every build lakestep writes. */
export const BUILD_MARKER = '.lakestep-build';
const JOURNAL = '.lakestep-build.journal';
/** A build file is opened without following a link swapped in after its lstat (the open fails instead). */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

interface Marker {
  lakestep: 'build';
  version: 1;
  files: string[];
  /** Per file: `<content digest> <size> <mtime ms>` when written (absent in older builds). */
  stamps?: Record<string, string>;
}

/** Folders a build must never replace nor contain. */
export interface BuildGuard {
  /** The specs folder being compiled. */
  specsDir?: string;
  /** The current directory of the command. */
  cwd?: string;
}

function refuse(outDir: string, why: string): Error {
  return Object.assign(new Error(`refusing --out ${outDir}: ${why}; choose another --out`), { exitCode: 2 });
}

/** The real path of `p`, or of its closest existing ancestor joined with the rest. */
function real(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(real(parent), abs.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
}

/**
 * lstat of `p`; undefined when it does not exist, also when a file is in the way (the write then says so)
 * or the name is longer than the file system allows (a hand-edited marker).
 */
function statOrNone(p: string): Stats | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
    throw e;
  }
}

/** The files of a valid marker (and of its journal) with their stamps; undefined when `dir` holds none. */
function readMarker(dir: string): { files: string[]; stamps: Map<string, string> } | undefined {
  const p = join(dir, BUILD_MARKER);
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 64 * 1024 * 1024) return undefined;
  let m: Partial<Marker>;
  try {
    m = JSON.parse(readFileSync(p, 'utf8')) as Partial<Marker>;
  } catch {
    return undefined;
  }
  if (m.lakestep !== 'build' || m.version !== 1 || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) return undefined;
  const stamps = new Map(Object.entries(m.stamps && typeof m.stamps === 'object' ? m.stamps : {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const journal = join(dir, JOURNAL);
  const j = lstatSync(journal, { throwIfNoEntry: false });
  const pending = j?.isFile() && j.size <= 64 * 1024 * 1024 ? readFileSync(journal, 'utf8').split('\n').filter((l) => l !== '') : [];
  return { files: [...new Set([...m.files, ...pending])], stamps };
}

/** A listed path is only ever a plain relative path inside the build. */
function safeRelative(f: string): boolean {
  return f !== '' && !isAbsolute(f) && !f.includes('\\') && !f.includes('\0') && f.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** No component between `root` and `root/rel` is a symbolic link, and the target itself is a regular file. */
function plainFileInside(root: string, rel: string): boolean {
  const parts = rel.split('/');
  let p = root;
  for (const [i, part] of parts.entries()) {
    p = join(p, part);
    const st = statOrNone(p);
    if (!st) return false;
    if (i < parts.length - 1 ? !st.isDirectory() : !st.isFile()) return false;
  }
  return true;
}

/** Removes `files` of the previous build, then the folders they leave empty. */
function removeFiles(dir: string, files: Iterable<string>): void {
  const dirs = new Set<string>();
  for (const f of files) {
    if (!safeRelative(f) || !plainFileInside(dir, f)) continue;
    unlinkSync(join(dir, f));
    for (let d = dirname(f); d !== '.'; d = dirname(d)) dirs.add(d);
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    const p = join(dir, d);
    if (lstatSync(p, { throwIfNoEntry: false })?.isDirectory() && readdirSync(p).length === 0) rmdirSync(p);
  }
}

/** A file the writer is given: its path in the build, a digest of its content, and the content on demand. */
export interface BuildFile {
  path: string;
  digest: string;
  text(): string;
}

/**
 * Writes a build into `outDir` file by file: refuses (an error with `exitCode: 2`) anything that is not a
 * lakestep build or that holds the specs or the current directory, before anything is written; a file whose
 * path exists but was not written by lakestep stops the build there. A file whose content is what the
 * previous build wrote, still in place and untouched (same size and modification time), is not written
 * again; {@link finish} removes the previous build's files this one did not write.
 */
export class BuildWriter {
  private readonly previous: Set<string>;
  private readonly stamps: Map<string, string>;
  private readonly written = new Map<string, string>();
  /** Folders of the build made or checked by this writer. */
  private readonly folders = new Set<string>();
  /** The journal, open from the first new path to {@link finish}. */
  private journal: number | undefined;

  private constructor(
    private readonly outDir: string,
    private readonly out: string,
    previous: { files: string[]; stamps: Map<string, string> } | undefined,
  ) {
    this.previous = new Set(previous?.files ?? []);
    this.stamps = previous?.stamps ?? new Map();
  }

  static open(outDir: string, guard: BuildGuard = {}): BuildWriter {
    const out = real(outDir);
    for (const [what, p] of [['the specs folder', guard.specsDir], ['the current directory', guard.cwd]] as const) {
      if (p === undefined) continue;
      const r = real(p);
      if (inside(out, r)) throw refuse(outDir, `it is or contains ${what}`);
      if (what === 'the specs folder' && inside(r, out)) throw refuse(outDir, 'it lies inside the specs folder');
    }
    const st = statOrNone(out);
    if (st && !st.isDirectory()) throw refuse(outDir, 'it is not a directory');
    let previous: ReturnType<typeof readMarker>;
    if (st && readdirSync(out).length > 0) {
      previous = readMarker(out);
      if (!previous) throw refuse(outDir, `${outDir} is not empty and holds no lakestep build (no ${BUILD_MARKER} marker)`);
    }
    mkdirSync(out, { recursive: true });
    // An empty marker at once: a first build cut short is still recognized (its files are in the journal).
    if (!previous) writeFileSync(join(out, BUILD_MARKER), JSON.stringify({ lakestep: 'build', version: 1, files: [] } satisfies Marker) + '\n');
    return new BuildWriter(outDir, out, previous);
  }

  /**
   * Opens the build in `outDir`, lets `fill` write into it, then records it ({@link finish}); the journal is
   * closed also when `fill` throws (a build cut short stays owned through the journal).
   */
  static write<T>(outDir: string, guard: BuildGuard, fill: (writer: BuildWriter) => T): T {
    const writer = BuildWriter.open(outDir, guard);
    try {
      const result = fill(writer);
      writer.finish();
      return result;
    } finally {
      writer.close();
    }
  }

  /** Refuses a path that exists in the folder and was not written by lakestep, before anything is written. */
  checkForeign(paths: Iterable<string>): void {
    for (const path of paths) {
      checkName(path);
      if (!this.previous.has(path)) this.refuseForeign(path, lstatSync(join(this.out, path), { throwIfNoEntry: false }));
    }
  }

  write(file: BuildFile): void {
    checkName(file.path);
    const p = join(this.out, file.path);
    const st = statOrNone(p);
    this.refuseForeign(file.path, st);
    const stamp = this.stamps.get(file.path);
    if (st?.isFile() && stamp !== undefined && stamp === `${file.digest} ${fileStamp(st)}`) {
      this.written.set(file.path, stamp);
      return;
    }
    this.folder(dirname(file.path));
    // A new path goes into the journal first: a build cut short still owns it.
    if (!this.previous.has(file.path)) {
      this.journal ??= openSync(join(this.out, JOURNAL), 'a');
      writeFileSync(this.journal, file.path + '\n');
      this.previous.add(file.path);
    }
    if (st?.isSymbolicLink()) unlinkSync(p);
    const text = file.text();
    const fd = openSync(p, WRITE_FLAGS, 0o666);
    try {
      writeFileSync(fd, text);
      const now = fstatSync(fd);
      this.written.set(file.path, `${file.digest} ${fileStamp(now)}`);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Makes the build's folder `rel` (`.` is the build itself): each of its folders is either made
   * now or, when it exists, checked once to be a folder and not a link, so no write is carried
   * out of the build by a folder replaced by a link.
   */
  private folder(rel: string): void {
    if (rel === '.') return;
    let p = this.out;
    for (const part of rel.split('/')) {
      p = join(p, part);
      if (this.folders.has(p)) continue;
      try {
        mkdirSync(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const st = lstatSync(p);
        if (st.isSymbolicLink()) throw refuse(this.outDir, `${relative(this.out, p)} leads outside the build`);
        if (!st.isDirectory()) throw refuse(this.outDir, `${relative(this.out, p)} is not a folder`);
      }
      this.folders.add(p);
    }
  }

  /** Closes the journal; {@link finish} does, and a build given up half way should ({@link BuildWriter.write} does). */
  close(): void {
    if (this.journal === undefined) return;
    closeSync(this.journal);
    this.journal = undefined;
  }

  /** Removes what the previous build wrote and this one did not, then records this build in the marker. */
  finish(): void {
    this.close();
    const stale = [...this.previous].filter((f) => !this.written.has(f));
    removeFiles(this.out, stale);
    const files = [...this.written.keys()].sort();
    const marker: Marker = { lakestep: 'build', version: 1, files, stamps: Object.fromEntries(files.map((f) => [f, this.written.get(f)!])) };
    const tmp = join(this.out, `${BUILD_MARKER}.tmp`);
    writeFileSync(tmp, JSON.stringify(marker) + '\n');
    renameSync(tmp, join(this.out, BUILD_MARKER));
    rmSync(join(this.out, JOURNAL), { force: true });
  }

  /** A path that exists (`st`) and was not written by lakestep stops the build. */
  private refuseForeign(path: string, st: Stats | undefined): void {
    if (st !== undefined && !this.previous.has(path)) throw refuse(this.outDir, `${path} was not written by lakestep`);
  }
}

/** A build path is only ever a plain relative path, and never the marker or its journal. */
function checkName(path: string): void {
  if (!safeRelative(path) || path === BUILD_MARKER || path === JOURNAL) throw new Error(`invalid build path ${JSON.stringify(path)}`);
}

/**
 * Replaces the lakestep build in `outDir` with `files`: refuses (an error with
 * `exitCode: 2`) anything that is not a lakestep build or that holds the specs
 * or the current directory; removes only the files the previous build listed.
 */
export function replaceBuild(outDir: string, files: ReadonlyMap<string, string>, guard: BuildGuard = {}): void {
  BuildWriter.write(outDir, guard, (writer) => {
    writer.checkForeign(files.keys());
    for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) writer.write({ path, digest: digest(text), text: () => text });
  });
}
