/** Where a path lies, as the CLI's guards ask it (build folder, spec reader, `plan --against`). */
import { isAbsolute, relative } from 'node:path';

/** True when `p` is `root` or lies inside it; both resolved already (links are the caller's to follow). */
export function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
