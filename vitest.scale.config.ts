import { defineConfig } from 'vitest/config';

/** `npm run test:scale`: the CDK app and its IAM on generated platforms: 1,500 workflows with a 2,000-table migration, and 250 workflows (slow synths). */
export default defineConfig({
  test: {
    include: ['test/infra/scale.test.ts', 'test/infra/iam-scale.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 1_200_000,
    // Every temporary folder of the run in one, removed at its end.
    globalSetup: ['test/setup/tmpdir.ts'],
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
