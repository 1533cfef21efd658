// Secrets are not in wrangler.jsonc, so `wrangler types` cannot see them; declared here.
declare namespace Cloudflare {
  interface Env {
    /** Postgres connection string: Neon in production, the local SQL endpoint in development. */
    DATABASE_URL: string;
    /**
     * The keys that seal credential secrets: comma-separated `<key id>:<base64 of 32 bytes>`, the
     * first sealing new secrets, every one opening old ones (docs/connections.md, Key rotation).
     * Without it, creating a connection is refused.
     */
    CREDENTIALS_KEY?: string;
  }
}
