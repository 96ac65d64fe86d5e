import { defineConfig } from 'vitest/config';

/** `npm run test:tools`: lakestep run by the tools teams run it from — pre-commit (a pinned venv, test/setup/python-env.sh). */
export default defineConfig({
  test: {
    include: ['test/tools/**/*.test.ts'],
    globalSetup: ['test/setup/tmpdir.ts', 'test/setup/build.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
