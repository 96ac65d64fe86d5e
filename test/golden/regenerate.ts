/**
 * `npm run golden`: rewrites `expected/` of every golden case from what the
 * compiler produces now, and prints which files changed. Review the diff
 * (`git diff test/golden`) before committing it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allCaseNames, expectedDir, readTree, runCase } from './cases.ts';

let changed = 0;
for (const name of allCaseNames()) {
  const dir = expectedDir(name);
  const before = readTree(dir);
  const { files } = await runCase(name);
  const notes: string[] = [];
  for (const [path, content] of files) {
    if (!before.has(path)) notes.push(`  added    ${path}`);
    else if (before.get(path) !== content) notes.push(`  changed  ${path}`);
  }
  for (const path of before.keys()) if (!files.has(path)) notes.push(`  removed  ${path}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  if (notes.length) {
    changed++;
    console.log(`${name}\n${notes.sort().join('\n')}`);
  }
}
console.log(changed ? `\n${changed} golden case(s) changed; review with git diff test/golden` : 'golden cases unchanged');
