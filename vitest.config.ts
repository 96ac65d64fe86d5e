import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Needs python3 and moto: run by `npm run test:aws-local` (vitest.aws-local.config.ts);
    // the synths of generated platforms: `npm run test:scale` (vitest.scale.config.ts); the page in
    // a browser: `npm run test:browser` (vitest.browser.config.ts); under pre-commit: `npm run test:tools`
    // (vitest.tools.config.ts).
    exclude: ['test/aws-local/**', 'test/infra/scale.test.ts', 'test/infra/iam-scale.test.ts', 'test/browser/**', 'test/tools/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker keeps its modules loaded from one test file to the next instead of importing them again
    // for each (339 s → 152 s on 2 cores: most of a file's time was importing aws-cdk-lib, the SDK and
    // the SQL parser); test/setup/file-boundary.ts undoes what a file changed outside itself.
    isolate: false,
    setupFiles: ['test/setup/file-boundary.ts'],
    // One fork per core (vitest's default leaves one core to itself, which idles once the sources are
    // transformed): on a 2-core machine the suite took 308 s with one fork and 213 s with two.
    maxWorkers: availableParallelism(),
    // A temporary folder for the run, removed at its end (test/setup/tmpdir.ts); bin/lakestep.mjs runs the
    // bundle in dist/: build it from the sources under test.
    globalSetup: ['test/setup/tmpdir.ts', 'test/setup/build.ts'],
    // Tests create AWS SDK clients directly; silence its Node.js support notice as the CLI does (src/cli/aws-sdk-env.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
