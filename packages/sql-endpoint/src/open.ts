import type { SqlBackend } from './backend.js';
import { pgBackend } from './pg-backend.js';
import { pgliteBackend } from './pglite-backend.js';

/**
 * The database behind the local endpoint: the Postgres server at `databaseUrl` when given,
 * otherwise embedded PGlite (persisted in `dataDir`, or in memory without one).
 */
export function openBackend(options: { databaseUrl?: string | undefined; dataDir?: string }): Promise<SqlBackend> {
  if (options.databaseUrl) return Promise.resolve(pgBackend(options.databaseUrl));
  return pgliteBackend(options.dataDir);
}
