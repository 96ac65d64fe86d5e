/**
 * Vitest global setup: rebuilds dist/ from the sources before the tests, so the
 * tests that run `bin/lakestep.mjs` in a child process run the code under test,
 * not a bundle left from an earlier `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
