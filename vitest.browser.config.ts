import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: the platform page in Debian's chromium (test/browser/run.sh installs it and sets LAKESTEP_CHROMIUM). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    // Every temporary folder of the run in one, removed at its end.
    globalSetup: ['test/setup/tmpdir.ts'],
    pool: 'forks',
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
