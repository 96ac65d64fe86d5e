/**
 * The installed entry point, end to end: `node bin/lakestep.mjs validate` in a
 * child process (slow: it starts tsx), exit code and printed diagnostics.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('bin/lakestep.mjs', () => {
  it('validate on a broken tree exits 1 and prints path:line:col, the source line and a caret', async () => {
    const run = promisify(execFile)('node', ['bin/lakestep.mjs', 'validate', 'test/golden/unknown-field/specs'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    const failure = await run.then(
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
