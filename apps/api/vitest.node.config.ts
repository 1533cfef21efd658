import { defineConfig } from 'vitest/config';

// Checks that need Node rather than workerd: the OpenAPI validator compiles schemas to code,
// which workerd (rightly) does not allow. They use the app as built, without a database.
export default defineConfig({
  test: { environment: 'node', include: ['test-node/**/*.test.ts'], testTimeout: 30_000 },
});
