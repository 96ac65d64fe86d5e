/** `.ci/summary`: the closing count of `.ci/run` over the logs of every suite (vitest, unittest, pytest, cfn-lint). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder } from '../cli/support.ts';

const script = new URL('../../.ci/summary', import.meta.url).pathname;

/** Runs the summary over suites given as name → [log text, exit status]; returns its last line and exit code. */
function summary(suites: Record<string, [string, number]>): { line: string; code: number | null } {
  const dir = folder();
  for (const [name, [log, rc]] of Object.entries(suites)) {
    writeFileSync(join(dir, `${name}.log`), log);
    writeFileSync(join(dir, `${name}.rc`), `${rc}\n`);
  }
  const run = spawnSync('bash', [script, dir], { encoding: 'utf8' });
  return { line: run.stdout.trim().split('\n').at(-1) ?? '', code: run.status };
}

const VITEST = '\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[31m2 failed\x1b[39m\x1b[22m | \x1b[1m\x1b[32m98 passed\x1b[39m (100)\n';

describe('.ci/summary', () => {
  it('adds unittest failures and errors, not only the first number', () => {
    expect(summary({ unit: [`${VITEST}Ran 10 tests in 1.2s\n\nFAILED (failures=1, errors=2)\n`, 1] })).toEqual({
      line: '105 passed, 5 failed',
      code: 1,
    });
  });

  it('ignores skipped and expected failures, and counts a clean run', () => {
    expect(summary({ unit: [`${VITEST}Ran 10 tests in 1.2s\n\nFAILED (errors=1, skipped=3, expected failures=4)\n`, 1] }).line).toBe(
      '107 passed, 3 failed',
    );
    expect(summary({ unit: ['      Tests  7 passed (7)\nRan 3 tests in 0.1s\n\nOK\n', 0] })).toEqual({ line: '10 passed, 0 failed', code: 0 });
  });

  it('sums vitest, pytest and cfn-lint over suites', () => {
    const result = summary({
      unit: ['      Tests  7 passed (7)\n', 0],
      'aws-local': ['      Tests  1 failed | 4 passed (5)\n', 1],
      engines: ['===== 2 failed, 40 passed, 1 error in 512.3s (0:08:32) =====\n', 1],
      'cfn-lint': ['cfn-lint: 14 templates passed, 0 failed\n', 0],
    });
    expect(result).toEqual({ line: '65 passed, 4 failed', code: 1 });
  });

  it('counts a suite that failed before any count of its own as one failure', () => {
    expect(summary({ unit: ['      Tests  7 passed (7)\n', 0], engines: ['setup: mvn not found\n', 127] })).toEqual({
      line: '7 passed, 1 failed',
      code: 1,
    });
  });
});
