import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['pipeline/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    // Docker suites build images and start containers: one file at a time keeps 2-core hosts responsive.
    fileParallelism: false,
  },
});
