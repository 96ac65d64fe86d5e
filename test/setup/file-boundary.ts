/**
 * Vitest setup file of the unit suite, run again before each test file. The suite runs its files one
 * after the other in a few worker processes that keep their modules loaded (vitest.config.ts
 * `isolate: false`: the suite took 339 s with a fresh module registry per file, 152 s without), so a
 * test file must leave nothing behind that the next one could see. What a file changed outside itself
 * is undone here when it ends, whether its own hooks did it or not:
 * - the `send` stubs aws-sdk-client-mock puts on the SDK clients' prototypes (in sinon's default
 *   sandbox), which would otherwise answer the next file's real clients;
 * - vitest's spies, stubbed environment variables and globals, and fake timers;
 * - the environment and the current directory, as they were when the file began.
 * @see https://vitest.dev/config/isolate
 * @see https://vitest.dev/config/setupfiles
 */
import { createRequire } from 'node:module';
import { afterAll, vi } from 'vitest';
import { restoreEnv } from '../helpers/env.ts';

/** The sinon aws-sdk-client-mock stubs with: the one it requires (its CommonJS build), not sinon's ESM build. */
const require = createRequire(import.meta.url);
const sinon = createRequire(require.resolve('aws-sdk-client-mock'))('sinon') as { restore(): void };

const env = { ...process.env };
const cwd = process.cwd();

afterAll(() => {
  sinon.restore();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  restoreEnv(env);
  if (process.cwd() !== cwd) process.chdir(cwd);
});
