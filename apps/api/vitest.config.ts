import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import type {} from '@connect/sql-endpoint/vitest-global-setup';
import type {} from './test/support/faults';
import type {} from './test/support/jwks-server';
import type {} from './test/support/oauth2-provider';
import { testSigningKeys } from './test/support/signing-keys';

const keys = await testSigningKeys();
const testCredentialsKey = ['test2', 'test1'].map((id) => `${id}:${randomBytes(32).toString('base64')}`).join(',');
process.env.TEST_JWKS = keys.jwks;

// Tests run inside workerd with the Worker's own code and the real Neon driver; the database is
// the one the global setup starts (the Postgres server at DATABASE_URL, else embedded PGlite).
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        bindings: {
          DATABASE_URL: inject('databaseUrl'),
          SQL_ENDPOINT_URL: inject('sqlEndpointUrl'),
          JWT_ISSUER: 'https://idp.connect.test/',
          JWT_JWKS: keys.jwks,
          TEST_SIGNING_KEYS: keys.privateKeys,
          JWKS_SERVER_URL: inject('jwksServerUrl'),
          FAULTS_URL: inject('faultsUrl'),
          OAUTH2_PROVIDER_URL: inject('oauth2ProviderUrl'),
          OAUTH2_DOWN_URL: inject('oauth2DownUrl'),
          DATABASE_IS_POSTGRES: inject('databaseIsPostgres'),
          // The suite's own keys: `test2` seals, `test1` (an older key) still opens.
          CREDENTIALS_KEY: testCredentialsKey,
          // Short, so the revocation delay can be observed in a test; production uses 30 s.
          API_KEY_CACHE_SECONDS: '2',
        },
        ratelimits: {
          // The suite sends every request from one address with few keys, far faster than anyone
          // would: the deployed limits stay out of its way. test/rate-limits.test.ts swaps in the
          // tight limiters below, which only it uses.
          RATE_LIMIT_BY_CREDENTIAL: { simple: { limit: 1_000_000, period: 60 } },
          RATE_LIMIT_BY_ORGANISATION: { simple: { limit: 1_000_000, period: 60 } },
          RATE_LIMIT_BY_ADDRESS: { simple: { limit: 1_000_000, period: 60 } },
          TEST_RATE_LIMIT_CREDENTIAL: { simple: { limit: 3, period: 60 } },
          TEST_RATE_LIMIT_ORGANISATION: { simple: { limit: 5, period: 60 } },
          TEST_RATE_LIMIT_ADDRESS: { simple: { limit: 3, period: 60 } },
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      fileURLToPath(import.meta.resolve('@connect/sql-endpoint/vitest-global-setup')),
      './test/support/jwks-server.ts',
      './test/support/faults.ts',
      './test/support/oauth2-provider.ts',
    ],
    testTimeout: 30_000,
  },
});
