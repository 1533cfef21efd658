import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Tests run inside workerd with the Worker's own code and the real Neon driver; the database is
// the one global-setup starts (a Postgres server when DATABASE_URL is set, else embedded PGlite).
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        bindings: {
          DATABASE_URL: inject('databaseUrl'),
          SQL_ENDPOINT_URL: inject('sqlEndpointUrl'),
        },
      },
    })),
  ],
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
  },
});
