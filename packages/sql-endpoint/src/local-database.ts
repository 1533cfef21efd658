import { applyMigrations } from '@connect/db/migrate';
import type { SqlBackend } from './backend.js';
import { openBackend } from './open.js';
import { startSqlEndpoint, type SqlEndpoint } from './server.js';

export interface LocalDatabase {
  backend: SqlBackend;
  endpoint: SqlEndpoint;
  /** The Worker's DATABASE_URL: a loopback address, which the Worker reaches over plain HTTP. */
  databaseUrl: string;
  /** How many migrations this start applied. */
  applied: number;
  close(): Promise<void>;
}

/**
 * A migrated database behind the local SQL endpoint: the Postgres server at `databaseUrl` when
 * given, else embedded PGlite (in `dataDir`, or in memory). Used by `pnpm dev` and the tests.
 */
export async function startLocalDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  port?: number;
}): Promise<LocalDatabase> {
  const backend = await openBackend(options);
  const applied = await applyMigrations((work) => backend.transaction(work));
  const endpoint = await startSqlEndpoint(backend, options.port);
  return {
    backend,
    endpoint,
    databaseUrl: `postgres://connect:connect@127.0.0.1:${endpoint.port}/connect`,
    applied,
    async close() {
      await endpoint.close();
      await backend.close();
    },
  };
}
