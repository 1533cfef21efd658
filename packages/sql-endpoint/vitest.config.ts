import { defineConfig } from 'vitest/config';

// Node: the endpoint is a Node server, and these tests reach the PostgreSQL server behind it directly.
export default defineConfig({
  test: { environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
