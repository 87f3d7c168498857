import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ['default'],
    // The parser imports its JSON schemas without import attributes; let vite transform it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
