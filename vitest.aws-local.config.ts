import { defineConfig } from 'vitest/config';

/** `npm run test:aws-local`: tests against local stand-ins for AWS (moto), which need python3. */
export default defineConfig({
  test: {
    include: ['test/aws-local/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
