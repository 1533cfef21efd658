declare namespace Cloudflare {
  interface Env {
    /** The local SQL endpoint's own address (tests read its request log to count round trips). */
    SQL_ENDPOINT_URL: string;
    /** Private JWKs of the test identity provider, for signing id_tokens in tests. */
    TEST_SIGNING_KEYS: string;
    /** The test identity provider's JWKS server (serves /jwks.json; /slow never answers). */
    JWKS_SERVER_URL: string;
    /** Faults for the deadline tests (test/support/faults.ts): relays to pause and kill, row locks. */
    FAULTS_URL: string;
    /** The loopback OAuth 2.0 server of the tests (test/support/oauth2-provider.ts). */
    OAUTH2_PROVIDER_URL: string;
    /** A loopback address where nothing listens: a provider that is down. */
    OAUTH2_DOWN_URL: string;
    /** 'true' when the database is a PostgreSQL server, 'false' for embedded PGlite. */
    DATABASE_IS_POSTGRES: string;
    /** Tight limiters (3, 5 and 3 a minute) that the rate-limit tests put in place of the deployed ones. */
    TEST_RATE_LIMIT_CREDENTIAL: RateLimit;
    TEST_RATE_LIMIT_ORGANISATION: RateLimit;
    TEST_RATE_LIMIT_ADDRESS: RateLimit;
  }
}

/** Text files imported whole (Vite's `?raw`): the reference document fixture. */
declare module '*.yaml?raw' {
  const text: string;
  export default text;
}

/** JSON files imported as text (Vite's `?raw`): GitHub's REST API description, imported whole. */
declare module '*.json?raw' {
  const text: string;
  export default text;
}
