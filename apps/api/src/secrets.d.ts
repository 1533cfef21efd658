// Secrets are not in wrangler.jsonc, so `wrangler types` cannot see them; declared here.
declare namespace Cloudflare {
  interface Env {
    /** Postgres connection string: Neon in production, the local SQL endpoint in development. */
    DATABASE_URL: string;
  }
}
