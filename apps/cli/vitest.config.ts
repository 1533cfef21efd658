import { defineConfig } from 'vitest/config';

// The tests run the CLI as a process against a real Worker (Miniflare) and database: Node, not workerd.
export default defineConfig({
  test: {
    environment: 'node',
    globalSetup: ['./test/build-once.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
