import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import type {} from '@connect/sql-endpoint/vitest-global-setup';

// The client is tested against the real Worker in workerd and the real Neon driver; the database is
// the one the global setup starts (the Postgres server at DATABASE_URL, else embedded PGlite).
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: '../../apps/api/wrangler.jsonc' },
      miniflare: {
        bindings: { DATABASE_URL: inject('databaseUrl'), SQL_ENDPOINT_URL: inject('sqlEndpointUrl') },
      },
    })),
  ],
  test: {
    // test-browser/ has its own config: Node drives a browser there, not workerd.
    include: ['test/**/*.test.ts'],
    globalSetup: [fileURLToPath(import.meta.resolve('@connect/sql-endpoint/vitest-global-setup'))],
    testTimeout: 30_000,
  },
});
