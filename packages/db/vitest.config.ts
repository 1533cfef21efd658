import { defineConfig } from 'vitest/config';

// Node, not workerd: the tests run drizzle-kit as a process and read a migrated database's catalog.
export default defineConfig({
  test: { environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
