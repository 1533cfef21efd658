import pg from 'pg';
import { beginStatement, type Session, type SqlBackend, type StatementResult } from './backend.js';

// Values stay exactly as Postgres printed them: the Neon driver in the Worker parses them itself.
const textTypes = { getTypeParser: () => (value: string) => value };

function toResult(result: pg.QueryResult<unknown[]>): StatementResult {
  return {
    command: result.command,
    rowCount: result.rowCount ?? 0,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rows: result.rows as (string | null)[][],
  };
}

/** A Postgres server reached with node-postgres; `connectionString` is the server's URL. */
export function pgBackend(connectionString: string): SqlBackend {
  const pool = new pg.Pool({ connectionString, max: 20, types: textTypes });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const run = async (client: pg.PoolClient | pg.Pool, query: string, params: (string | null)[] = []) => {
    // Always the extended protocol, as Neon's: one statement per query, even without parameters.
    // (node-postgres supports `queryMode`; its type definitions do not list it.)
    const config: pg.QueryArrayConfig & { queryMode: 'extended' } = {
      text: query,
      values: params,
      rowMode: 'array',
      queryMode: 'extended',
    };
    return toResult(await client.query(config));
  };

  async function inTransaction<T>(begin: string, work: (session: Session) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await work((query, params) => run(client, query, params));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    description: `PostgreSQL at ${new URL(connectionString).host}`,
    query: (statement) => run(pool, statement.query, statement.params),
    batch: (statements, options) =>
      inTransaction(beginStatement(options), async (session) => {
        const results: StatementResult[] = [];
        for (const s of statements) results.push(await session(s.query, s.params));
        return results;
      }),
    transaction: (work) => inTransaction('BEGIN', work),
    close: () => pool.end(),
  };
}
