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

/** Whether a failure leaves the connection unusable: anything but an error Postgres reported on it. */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || code.startsWith('57P') || (code.startsWith('08') && code !== '08P01');
}

export interface PgBackendOptions {
  /** Connections at most (default 20). */
  max?: number;
  /**
   * How long a request waits for a connection (a new one, or a free one when all are in use) before
   * it fails; the endpoint then answers 503, as Neon does when it cannot reach the database.
   */
  acquireTimeoutMs?: number;
}

/** A Postgres server reached with node-postgres; `connectionString` is the server's URL. */
export function pgBackend(connectionString: string, options: PgBackendOptions = {}): SqlBackend {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 20,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 10_000,
    types: textTypes,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });

  /**
   * `work` on a connection of its own. A connection can die while in use (the server terminates
   * it, the network drops): node-postgres then rejects the query and also emits 'error' on the
   * client, which would crash the process with no listener; the pool listens only while idle.
   * A connection that failed is dropped from the pool instead of being handed out again.
   */
  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      if (connectionLost(error)) lost ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // Listening until the release: 'error' may follow the failed query's rejection.
      client.removeListener('error', onError);
      client.release(lost);
    }
  }

  const run = async (client: pg.PoolClient, query: string, params: (string | null)[] = []) => {
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

  function inTransaction<T>(begin: string, work: (session: Session) => Promise<T>): Promise<T> {
    return withClient(async (client) => {
      try {
        await client.query(begin);
        const result = await work((query, params) => run(client, query, params));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  return {
    description: `PostgreSQL at ${new URL(connectionString).host}`,
    query: (statement) => withClient((client) => run(client, statement.query, statement.params)),
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
