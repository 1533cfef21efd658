import { defineConfig } from 'vitest/config';

// Node compiles a project outside the workspace against the client's emitted declarations.
export default defineConfig({
  test: { include: ['test-consumer/**/*.test.ts'], testTimeout: 60_000 },
});
