import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Suites on the real server drop every schema they made when they end.
    hookTimeout: 120_000,
    // Most suites wait on a database server, a browser or a mail server rather than compute, so two files run at
    // once even on two cores (vitest's default would leave one of them idle).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
