import { defineConfig } from 'vitest/config';

/** `npm run test:scale`: the CDK app and its IAM on generated platforms of 250 and 1,000 workflows (slow synths). */
export default defineConfig({
  test: {
    include: ['test/infra/scale.test.ts', 'test/infra/iam-scale.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
