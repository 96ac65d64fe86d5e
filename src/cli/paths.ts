/** Where a path lies, as the CLI's guards ask it (build folder, spec reader, `plan --against`), and whether a file changed. */
import type { Stats } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/**
 * What says a file is unchanged since it was last seen: its inode, size, modification and change times. The change
 * time moves with every write and cannot be set back (`touch -d` sets the modification time only).
 */
export function fileStamp(st: Stats): string {
  return `${st.ino} ${st.size} ${st.mtimeMs} ${st.ctimeMs}`;
}

/** True when `p` is `root` or lies inside it; both resolved already (links are the caller's to follow). */
export function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
