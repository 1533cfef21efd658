import type { SqlBackend } from './backend';
import { pgBackend } from './pg-backend';
import { pgliteBackend } from './pglite-backend';

/**
 * The database behind the local endpoint: the Postgres server at `databaseUrl` when given,
 * otherwise embedded PGlite (persisted in `dataDir`, or in memory without one).
 */
export function openBackend(options: { databaseUrl?: string | undefined; dataDir?: string }): Promise<SqlBackend> {
  if (options.databaseUrl) return Promise.resolve(pgBackend(options.databaseUrl));
  return pgliteBackend(options.dataDir);
}
