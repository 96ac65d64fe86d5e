/**
 * Reads a specs tree from disk without following it anywhere else: only regular
 * files are read (never a FIFO, socket or device, which would block or never
 * end), symbolic links are followed only when they stay inside the tree, link
 * loops and dangling links are skipped, and oversized files are refused.
 * @see https://nodejs.org/api/fs.html#fsrealpathsyncpath-options
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { SourceFile } from '../spec/files.ts';

const SPEC_FILE = /\.(ya?ml|sql)$/;
/** Larger spec files are refused: no real spec comes close. */
export const MAX_SPEC_FILE_BYTES = 16 * 1024 * 1024;

export interface SpecTreeRead {
  files: SourceFile[];
  /** Entries left out, with why, paths relative to the tree. */
  skipped: { path: string; reason: string }[];
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** Every spec file under `dir` (YAML and SQL), paths relative to it with `/`. */
export function readSpecTree(dir: string): SpecTreeRead {
  const root = realpathSync(dir);
  const files: SourceFile[] = [];
  const skipped: SpecTreeRead['skipped'] = [];
  const seenDirs = new Set<string>([root]);
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const rel = relative(dir, p).split(sep).join('/');
      let real: string;
      try {
        real = lstatSync(p).isSymbolicLink() ? realpathSync(p) : p;
      } catch (e) {
        skipped.push({ path: rel, reason: `a link that leads nowhere (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
        continue;
      }
      if (real !== p && !inside(root, real)) {
        skipped.push({ path: rel, reason: 'a link out of the specs folder' });
        continue;
      }
      const st = statSync(real);
      if (st.isDirectory()) {
        const key = realpathSync(real);
        if (seenDirs.has(key)) {
          skipped.push({ path: rel, reason: 'a folder already read (a link loop)' });
          continue;
        }
        seenDirs.add(key);
        walk(p);
      } else if (SPEC_FILE.test(name)) {
        if (!st.isFile()) skipped.push({ path: rel, reason: 'not a regular file' });
        else if (st.size > MAX_SPEC_FILE_BYTES) skipped.push({ path: rel, reason: `larger than ${MAX_SPEC_FILE_BYTES / 1024 / 1024} MiB` });
        else files.push({ path: rel, text: readFileSync(real, 'utf8') });
      }
    }
  };
  walk(dir);
  return { files, skipped };
}
