import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests start real servers (registry, forges) and e2e tests build the site.
    fileParallelism: true,
    pool: 'forks',
  },
});
