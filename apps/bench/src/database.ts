import pg from 'pg';
import { startLocalDatabase, type LocalDatabase } from '@connect/sql-endpoint';

/**
 * The bench's own database, named after DATABASE_URL's (`connect_ci` → `connect_ci_bench`): two
 * checkouts benchmarking against one server do not drop each other's database mid-run.
 */
function benchDatabaseName(serverUrl: string): string {
  const base = decodeURIComponent(new URL(serverUrl).pathname.slice(1)).replace(/[^a-z0-9_]/gi, '_');
  return `${base === '' || base === 'postgres' ? 'connect' : base}_bench`.toLowerCase();
}

/**
 * A fresh bench database on the Postgres server that DATABASE_URL names (this machine's server by
 * default), so every run starts from the same empty tables. Null when no server answers.
 */
async function freshDatabase(serverUrl: string): Promise<string | null> {
  const name = benchDatabaseName(serverUrl);
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
    const bench = new URL(serverUrl);
    bench.pathname = `/${name}`;
    return bench.toString();
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The bench's database: a fresh database on the Postgres server (DATABASE_URL's, else this
 * machine's), else — saying so — embedded PGlite, whose single-threaded engine is no measure of a
 * real server.
 */
export async function benchDatabase(): Promise<{ database: LocalDatabase; fallback: boolean }> {
  const url = await freshDatabase(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
  if (url) return { database: await startLocalDatabase({ databaseUrl: url }), fallback: false };
  return { database: await startLocalDatabase({}), fallback: true };
}
