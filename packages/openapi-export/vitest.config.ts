import { defineConfig } from 'vitest/config';

// Node: the mapping is pure code, with no database or Worker to run against. GitHub's document
// and the property tests take seconds alone, and several times that beside the rest of the suite.
export default defineConfig({ test: { environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
