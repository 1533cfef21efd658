import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { environment: 'node', testTimeout: 300_000, include: ['test/**/*.test.ts'] },
});
