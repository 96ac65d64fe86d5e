/**
 * The installed entry point, end to end: `node bin/lakestep.mjs` in a child
 * process runs the bundle built into dist/ (the global setup rebuilds it), with
 * plain node and no TypeScript loader: exit codes and printed output.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { codeDigests } from '../../src/cli/code-id.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = (args: string[]) => promisify(execFile)('node', ['bin/lakestep.mjs', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });

describe('bin/lakestep.mjs', () => {
  it('loads the built bundle, not the TypeScript sources', () => {
    const bin = readFileSync(`${repo}bin/lakestep.mjs`, 'utf8');
    expect(bin).toContain("from '../dist/lakestep.js'");
    expect(bin).not.toMatch(/tsx|\.ts'/);
  });

  it('--version prints the package version and the start of the digest of the code it was built from', async () => {
    const { version } = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { version: string };
    const { stdout } = await run(['--version']);
    expect(stdout.trim()).toBe(`lakestep ${version} (code ${codeDigests(repo).compiler.slice(0, 12)})`);
  }, 30_000);

  it('validate specs (the example, SQL files included) exits 0 from the bundle', async () => {
    const { stdout } = await run(['validate', 'specs']);
    expect(stdout).toContain('✓ specs/platform.yaml');
    expect(stdout).toMatch(/\d+ files, 0 error\(s\)/);
  }, 60_000);

  it('validate on a broken tree exits 1 and prints path:line:col, the source line and a caret', async () => {
    const failure = await run(['validate', 'test/golden/unknown-field/specs']).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure!.stdout).toContain('✘ test/golden/unknown-field/specs/reports/orchestration.yaml  3 error(s)');
    expect(failure!.stderr).toContain(
      [
        "test/golden/unknown-field/specs/reports/orchestration.yaml:5:5 error SCHEMA_UNKNOWN_FIELD unknown field 'shedule' (did you mean 'schedule'?)",
      ].join('\n'),
    );
    expect(failure!.stderr).toContain(['   5 |     shedule: rate(1 day)', '     |     ^'].join('\n'));
  }, 30_000);
});
