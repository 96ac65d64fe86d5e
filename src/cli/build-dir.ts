/**
 * The build directory as lakestep owns it. A build is recognized only by the
 * marker file lakestep itself writes (`.lakestep-build`, listing every file of
 * that build); replacing a build removes exactly those files and nothing else.
 * A directory without the marker, the specs folder, a folder holding the specs
 * or the current directory is never cleared: the command stops with exit 2.
 * @see https://nodejs.org/api/fs.html#fslstatsyncpath-options
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Name of the marker file at the root of every build lakestep writes. */
export const BUILD_MARKER = '.lakestep-build';

interface Marker {
  lakestep: 'build';
  version: 1;
  files: string[];
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
function statOrNone(p: string): ReturnType<typeof lstatSync> {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
    throw e;
  }
}

/** True when `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The file list of a valid marker; undefined when `dir` holds none. */
function readMarker(dir: string): string[] | undefined {
  const p = join(dir, BUILD_MARKER);
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > 64 * 1024 * 1024) return undefined;
  try {
    const m = JSON.parse(readFileSync(p, 'utf8')) as Partial<Marker>;
    if (m.lakestep !== 'build' || m.version !== 1 || !Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string')) return undefined;
    return m.files;
  } catch {
    return undefined;
  }
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

/** Removes the files of the previous build (as its marker lists them), then the folders they leave empty. */
function removePrevious(dir: string, files: readonly string[]): void {
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
  unlinkSync(join(dir, BUILD_MARKER));
}

/**
 * Replaces the lakestep build in `outDir` with `files`: refuses (an error with
 * `exitCode: 2`) anything that is not a lakestep build or that holds the specs
 * or the current directory; removes only the files the previous build listed.
 */
export function replaceBuild(outDir: string, files: ReadonlyMap<string, string>, guard: BuildGuard = {}): void {
  const out = real(outDir);
  for (const [what, p] of [['the specs folder', guard.specsDir], ['the current directory', guard.cwd]] as const) {
    if (p === undefined) continue;
    const r = real(p);
    if (within(r, out)) throw refuse(outDir, `it is or contains ${what}`);
    if (what === 'the specs folder' && within(out, r)) throw refuse(outDir, 'it lies inside the specs folder');
  }
  const st = statOrNone(out);
  if (st && !st.isDirectory()) throw refuse(outDir, 'it is not a directory');
  if (st && readdirSync(out).length > 0) {
    const previous = readMarker(out);
    if (!previous) throw refuse(outDir, `${outDir} is not empty and holds no lakestep build (no ${BUILD_MARKER} marker)`);
    const own = new Set(previous);
    const foreign = [...files.keys()].find((p) => !own.has(p) && lstatSync(join(out, p), { throwIfNoEntry: false }) !== undefined);
    if (foreign !== undefined) throw refuse(outDir, `${foreign} was not written by lakestep`);
    removePrevious(out, previous);
  }
  for (const path of files.keys()) if (!safeRelative(path) || path === BUILD_MARKER) throw new Error(`invalid build path ${JSON.stringify(path)}`);
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
  mkdirSync(out, { recursive: true });
  // The marker first: a build cut short is still recognized, and replaced, next time.
  const marker: Marker = { lakestep: 'build', version: 1, files: sorted.map(([p]) => p) };
  writeFileSync(join(out, BUILD_MARKER), JSON.stringify(marker, null, 2) + '\n');
  const checked = new Set<string>();
  for (const [path, content] of sorted) {
    const p = join(out, path);
    const parent = dirname(p);
    if (!checked.has(parent)) {
      mkdirSync(parent, { recursive: true });
      // A folder of the build replaced by a link must not carry writes elsewhere.
      if (!within(realpathSync(parent), out)) throw refuse(outDir, `${relative(out, parent)} leads outside the build`);
      checked.add(parent);
    }
    if (lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(p);
    writeFileSync(p, content);
  }
}
