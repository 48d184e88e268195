import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default in run mode is one worker fewer than the cores (vitest 4.1.12 dist/chunks/cli-api
    // getDefaultThreadsCount): on CI's 2 cores that is a single worker, and most of the suite is
    // single-threaded simulation, so one core sat idle. All cores: 634 s against 810 s for the suite on
    // the 2-core development machine (2026-12-02).
    maxWorkers: availableParallelism(),
  },
});
