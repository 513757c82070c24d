import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Suites on the real server drop every schema they made when they end.
    hookTimeout: 120_000,
  },
});
