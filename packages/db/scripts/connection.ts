import pg from 'pg';
import type { RunStatement } from '../src/run-statement.js';

/**
 * A PostgreSQL connection for the operator commands (db:migrate, admin), over the wire protocol
 * `pg` speaks: Neon (with `sslmode=require` in the URL) and any other server alike. The Worker
 * reaches the database over HTTP instead; these run from a machine, once.
 */
export async function connect(databaseUrl: string | undefined) {
  if (databaseUrl === undefined || databaseUrl === '') {
    console.error('error: set DATABASE_URL to the database (for Neon, its connection string with sslmode=require)');
    process.exit(2);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  // Notices are how a migration says what it could not do (e.g. 0006 without the right to alter the database).
  client.on('notice', (notice) => {
    console.error(`note: ${notice.message ?? ''}`);
  });
  await client.connect();
  const where = new URL(databaseUrl);
  return {
    ...statementsOf(client),
    /** `role@host/database`, never the password. */
    description: `${decodeURIComponent(where.username)}@${where.host}${where.pathname}`,
    close: () => client.end(),
  };
}

/**
 * Statements on one `pg` client as the Node-side helpers take them: `run` (rows as arrays) and
 * `transaction` (BEGIN, the work, COMMIT — or ROLLBACK when it throws), which `applyMigrations` needs.
 */
export function statementsOf(client: pg.Client) {
  const run: RunStatement = async (query, params = []) =>
    client.query<unknown[]>({ text: query, values: params, rowMode: 'array' });
  const transaction = async <T>(work: (run: RunStatement) => Promise<T>): Promise<T> => {
    await client.query('BEGIN');
    try {
      const result = await work(run);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  return { run, transaction };
}
