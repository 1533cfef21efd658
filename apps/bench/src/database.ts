import pg from 'pg';
import { startLocalDatabase, type LocalDatabase } from '@connect/sql-endpoint';

const defaultServer = 'postgres://postgres:postgres@127.0.0.1:5432';

/** Whether a Postgres server answers at `url`; creates the database first when it is missing. */
async function reachable(url: string): Promise<boolean> {
  const target = new URL(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    const database = target.pathname.slice(1);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The bench's database: the Postgres server at DATABASE_URL, else this machine's server (database
 * `connect_bench`), else — saying so — embedded PGlite, whose single-threaded engine is no measure
 * of a real server.
 */
export async function benchDatabase(): Promise<{ database: LocalDatabase; fallback: boolean }> {
  const url = process.env.DATABASE_URL ?? `${defaultServer}/connect_bench`;
  if (await reachable(url)) return { database: await startLocalDatabase({ databaseUrl: url }), fallback: false };
  return { database: await startLocalDatabase({}), fallback: true };
}
