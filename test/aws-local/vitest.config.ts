import { defineConfig } from 'vitest/config';

/** The moto harness: `npm run test:aws-local` (needs Python; not part of `npm test`). */
export default defineConfig({
  test: {
    include: ['test/aws-local/**/*.moto.ts'],
    testTimeout: 60_000,
    hookTimeout: 1_500_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/aws-local/global-setup.ts'],
  },
});
