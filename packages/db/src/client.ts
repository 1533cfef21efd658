import { neon, neonConfig } from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';

export type Db = NeonHttpDatabase;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const neonDefaultEndpoint = neonConfig.fetchEndpoint;

// A DATABASE_URL on this machine names the local SQL endpoint (plain HTTP); any other host is
// Neon, reached at the driver's own default address. Production never has a loopback host.
neonConfig.fetchEndpoint = (host, port, options) => {
  if (loopbackHosts.has(host)) return `http://${host}:${port}/sql`;
  return typeof neonDefaultEndpoint === 'function' ? neonDefaultEndpoint(host, port, options) : neonDefaultEndpoint;
};

/**
 * A database handle for one request. Every query is one HTTP request to Neon (or the local
 * endpoint); nothing is kept open between requests.
 */
export function createDb(databaseUrl: string): Db {
  return drizzle({ client: neon(databaseUrl) });
}

/** The Neon driver's own SQL function for `databaseUrl`, for work outside drizzle (tests, seeding). */
export function sqlClient(databaseUrl: string) {
  return neon(databaseUrl);
}
