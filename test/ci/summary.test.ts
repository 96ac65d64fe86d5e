/** `.ci/summary`: the closing count of `.ci/run` over vitest's and unittest's output. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folder } from '../cli/support.ts';

const script = new URL('../../.ci/summary', import.meta.url).pathname;

function summary(log: string): string {
  const file = join(folder(), 'log');
  writeFileSync(file, log);
  return execFileSync('bash', [script, file], { encoding: 'utf8' }).trim();
}

const VITEST = '\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[31m2 failed\x1b[39m\x1b[22m | \x1b[1m\x1b[32m98 passed\x1b[39m (100)\n';

describe('.ci/summary', () => {
  it('adds unittest failures and errors, not only the first number', () => {
    expect(summary(`${VITEST}Ran 10 tests in 1.2s\n\nFAILED (failures=1, errors=2)\n`)).toBe('105 passed, 5 failed');
  });

  it('ignores skipped and expected failures, and counts a clean run', () => {
    expect(summary(`${VITEST}Ran 10 tests in 1.2s\n\nFAILED (errors=1, skipped=3, expected failures=4)\n`)).toBe('107 passed, 3 failed');
    expect(summary('      Tests  7 passed (7)\nRan 3 tests in 0.1s\n\nOK\n')).toBe('10 passed, 0 failed');
  });
});
