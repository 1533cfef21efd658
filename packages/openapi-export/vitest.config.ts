import { defineConfig } from 'vitest/config';

// Node: the mapping is pure code, with no database or Worker to run against.
export default defineConfig({ test: { environment: 'node', include: ['test/**/*.test.ts'] } });
