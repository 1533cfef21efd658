import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { statementsOf } from '../../scripts/connection.js';
import { applyMigrations } from '../../src/migrate.js';
import type { RunStatement } from '../../src/run-statement.js';

export interface MigratedDatabase {
  readonly description: string;
  run: RunStatement;
  close(): Promise<void>;
}

/**
 * A database of its own, created empty and migrated by `applyMigrations`, so what the tests read
 * is exactly what the migrations make. On the Postgres server at `databaseUrl` (the repository's
 * test convention) it is a new, uniquely named database, dropped on close: other suites share the
 * database at `databaseUrl` and must not be touched. Without a server, embedded PGlite in memory.
 *
 * This is a plain client rather than `@connect/sql-endpoint`'s backends: that package depends on
 * this one, and a dependency back would make the workspace graph cyclic.
 */
export async function freshMigratedDatabase(databaseUrl: string | undefined): Promise<MigratedDatabase> {
  const database = databaseUrl ? await serverDatabase(databaseUrl) : await pgliteDatabase();
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function serverDatabase(databaseUrl: string): Promise<MigratedDatabase & { migrate(): Promise<void> }> {
  const name = `connect_db_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const { run, transaction } = statementsOf(client);
  try {
    await client.connect();
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
    throw error;
  }
  return {
    description: `a new database ${name} on the PostgreSQL server at ${url.host}`,
    run,
    async migrate() {
      await applyMigrations(transaction);
    },
    async close() {
      await client.end();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

async function pgliteDatabase(): Promise<MigratedDatabase & { migrate(): Promise<void> }> {
  const db = await PGlite.create();
  const run: RunStatement = async (query, params = []) => db.query<unknown[]>(query, params, { rowMode: 'array' });
  return {
    description: 'embedded PGlite in memory',
    run,
    async migrate() {
      await applyMigrations((work) =>
        db.transaction((tx) =>
          work(async (query, params = []) => tx.query<unknown[]>(query, params, { rowMode: 'array' })),
        ),
      );
    },
    close: () => db.close(),
  };
}
