declare namespace Cloudflare {
  interface Env {
    /** The local SQL endpoint's own address (tests read its request log to count round trips). */
    SQL_ENDPOINT_URL: string;
  }
}
