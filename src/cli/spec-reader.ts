/**
 * Reads a specs tree from disk without following it anywhere else: only regular
 * files are read (never a FIFO, socket or device, which would block or never
 * end), links to files are followed only when they stay inside the tree, links
 * to folders are never followed (the folder is read under its own name, so a
 * link `specs/aaa -> payments` can neither compile payments' workflows as `aaa`
 * nor hide `payments`), link loops and dangling links are skipped, and
 * oversized files are refused. Everything left out is named, with a code, for
 * the compiler to report at the link's path.
 * @see https://nodejs.org/api/fs.html#fsrealpathsyncpath-options
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileStamp, inside } from './paths.ts';
import type { SkippedEntry } from '../spec/discover.ts';
import type { SourceFile } from '../spec/files.ts';

/** The files the reader reads: YAML and SQL. */
export const SPEC_FILE = /\.(ya?ml|sql)$/;
/** Larger spec files are refused: no real spec comes close. */
export const MAX_SPEC_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The files a long-running reader (`--watch`) read before, by path: a file whose lstat still gives the
 * same inode, size, modification and change times is not read again. A file modified within
 * {@link RACY_MS} of its reading is read again every time until it is older: a write in the same clock tick
 * as the reading could leave every time unchanged (git's "racily clean" entries).
 */
export type SpecTreeMemo = Map<string, { stamp: string; readAt: number; text: string }>;

/** How long after its reading a file's times are trusted to show any later write. */
export const RACY_MS = 2_000;

export interface SpecTreeRead {
  files: SourceFile[];
  /** Entries left out, with why, paths relative to the tree. */
  skipped: SkippedEntry[];
}

/** One buffer the files are read into, grown to the largest file read (spec files are small). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * The text of `p` if it is still a regular file, opened without following a link nor waiting on a FIFO
 * swapped in since the folder was listed; 'too large' past {@link MAX_SPEC_FILE_BYTES}; undefined when it
 * is no regular file now. Reads the size its fstat gave, at most (as readFileSync would, without its own fstat).
 */
function readPlain(p: string): string | 'too large' | undefined {
  let fd: number;
  try {
    fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    if (st.size > MAX_SPEC_FILE_BYTES) return 'too large';
    if (scratch.length < st.size) scratch = Buffer.allocUnsafe(st.size);
    let n = 0;
    for (let r = 1; n < st.size && r > 0; n += r) r = readSync(fd, scratch, n, st.size - n, null);
    return scratch.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** Every spec file under `dir` (YAML and SQL), paths relative to it with `/`. */
export function readSpecTree(dir: string, memo?: SpecTreeMemo): SpecTreeRead {
  const root = realpathSync(dir);
  const files: SourceFile[] = [];
  const skipped: SkippedEntry[] = [];
  const seenDirs = new Set<string>([root]);
  /** Walks the folder `p` (whose real path is `real`, `at` under the tree) unless it was walked already. */
  const enter = (real: string, p: string, at: string) => {
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    walk(p, at);
  };
  /** The paths read through the memo this time: the others leave it. */
  const seen = memo && new Set<string>();
  /** Reads the spec file at `path` under the tree from `from` (itself, or a link's target): false when that is no regular file now. */
  const take = (path: string, from: string): boolean => {
    const read = memo ? readRemembered(from, memo, seen!) : readPlain(from);
    if (read === undefined) return false;
    if (read === 'too large') skipped.push({ path, code: 'SPEC_FILE_TOO_LARGE', reason: `larger than ${MAX_SPEC_FILE_BYTES / 1024 / 1024} MiB` });
    else files.push({ path, text: read });
    return true;
  };
  /** Walks the folder `d`, which is `at` under the tree (`` for the tree itself); paths use `/`. */
  const walk = (d: string, at: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = entry.name;
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const path = at === '' ? name : `${at}/${name}`;
      // The common case from the folder listing alone: a plain folder, a file that is no spec, a regular spec file.
      if (entry.isDirectory()) {
        enter(p, p, path);
        continue;
      }
      if (entry.isFile()) {
        if (!SPEC_FILE.test(name) || take(path, p)) continue;
        // Replaced since the listing: decided below from what it is now.
      }
      const link = lstatSync(p).isSymbolicLink();
      let real: string;
      try {
        real = link ? realpathSync(p) : p;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        skipped.push(code === 'ELOOP' ? { path, code: 'SPEC_LINK_LOOP', reason: 'a link loop' } : { path, code: 'SPEC_LINK_DANGLING', reason: `a link that leads nowhere (${code})` });
        continue;
      }
      if (link && !inside(root, real)) {
        skipped.push({ path, code: 'SPEC_LINK_OUTSIDE', reason: 'a link out of the specs folder; only files inside it are read' });
        continue;
      }
      const st = statSync(real);
      if (st.isDirectory()) {
        if (link) {
          const target = relative(root, real).split(sep).join('/');
          skipped.push({
            path,
            code: 'SPEC_LINK_FOLDER',
            reason: inside(real, join(root, at)) ? 'a link to a folder that contains it (a link loop)' : `a link to the folder '${target}', which is read under its own name only`,
          });
          continue;
        }
        enter(real, p, path);
      } else if (SPEC_FILE.test(name) && !(st.isFile() && take(path, real))) {
        skipped.push({ path, code: 'SPEC_NOT_REGULAR_FILE', reason: 'not a regular file' });
      }
    }
  };
  walk(dir, '');
  if (memo) for (const p of memo.keys()) if (!seen!.has(p)) memo.delete(p);
  return { files, skipped };
}

/** {@link readPlain} through `memo`: the remembered text while the file's stamp is the same and not racy. */
function readRemembered(p: string, memo: SpecTreeMemo, seen: Set<string>): ReturnType<typeof readPlain> {
  seen.add(p);
  const st = lstatSync(p, { throwIfNoEntry: false });
  const known = memo.get(p);
  if (st?.isFile() && known && known.stamp === fileStamp(st) && st.mtimeMs < known.readAt - RACY_MS) return known.text;
  const readAt = Date.now();
  const read = readPlain(p);
  if (typeof read === 'string' && st?.isFile()) {
    // The stamp of the file as it was before the read: a write during the read changes it, so the next run reads again.
    memo.set(p, { stamp: fileStamp(st), readAt, text: read });
  } else memo.delete(p);
  return read;
}
