import { defineConfig } from 'vitest/config';

/** `npm run test:aws-local`: tests against local stand-ins for AWS (moto), which need python3. */
export default defineConfig({
  test: {
    // *.moto.ts: the interpreter comparison and moto's pinned gaps, on the moto server of global-setup.ts.
    include: ['test/aws-local/**/*.test.ts', 'test/aws-local/**/*.moto.ts'],
    globalSetup: ['test/setup/tmpdir.ts', 'test/aws-local/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
