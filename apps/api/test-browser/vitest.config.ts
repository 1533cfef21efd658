import { defineConfig } from 'vitest/config';

// The client in a real browser (headless Chromium) calling the bundled Worker over the network.
// Node runs the test; the page runs the client.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    environment: 'node',
    include: ['*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
