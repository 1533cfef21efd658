import { neon, neonConfig, type NeonQueryFunction, type NeonQueryPromise } from '@neondatabase/serverless';
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

type Sql = NeonQueryFunction<false, false>;
type Query = NeonQueryPromise<false, false>;

/**
 * A statement drizzle runs on its own (awaiting it) or hands to `transaction` as part of a batch.
 * Awaited, it runs in a transaction behind the statement timeout; batched, the batch carries it.
 */
class BoundedQuery implements PromiseLike<unknown> {
  constructor(
    readonly query: Query,
    private readonly run: (queries: Query[]) => Promise<unknown[]>,
  ) {}

  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.run([this.query])
      .then((results) => results[0])
      .then(onFulfilled, onRejected);
  }
}

/**
 * The driver's SQL function with every database request behind `SET LOCAL statement_timeout`: a
 * single statement goes out as a transaction of the setting and the statement, a batch gets the
 * setting first. Still one HTTP request each; the setting ends with its transaction, so nothing
 * else on Neon's pooled connection sees it. Only `query` and `transaction` exist: they are what
 * drizzle's neon-http session calls.
 */
function withStatementTimeout(sql: Sql, timeoutMs: number) {
  const setting = () =>
    sql.query("SELECT set_config('statement_timeout', $1, true)", [`${String(timeoutMs)}ms`]) as Query;
  const run = async (queries: Query[], options?: Parameters<Sql['transaction']>[1]) =>
    (await sql.transaction([setting(), ...queries], options)).slice(1);
  return {
    query: (...args: Parameters<Sql['query']>) => new BoundedQuery(sql.query(...args) as Query, run),
    transaction: (queries: (BoundedQuery | Query)[], options?: Parameters<Sql['transaction']>[1]) =>
      run(
        queries.map((q) => (q instanceof BoundedQuery ? q.query : q)),
        options,
      ),
  };
}

export interface DbOptions {
  /**
   * Postgres cancels any statement of this handle's that runs longer (SQLSTATE 57014), including
   * time spent waiting for a lock; its transaction rolls back. None when absent.
   */
  statementTimeoutMs?: number;
}

/**
 * A database handle for one request. Every query is one HTTP request to Neon (or the local
 * endpoint); nothing is kept open between requests.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const sql = neon(databaseUrl);
  const { statementTimeoutMs } = options;
  if (statementTimeoutMs === undefined) return drizzle({ client: sql });
  // drizzle reaches its client only through `query` and `transaction` (above).
  const client = withStatementTimeout(sql, statementTimeoutMs) as unknown as Sql;
  return drizzle({ client });
}

/** The Neon driver's own SQL function for `databaseUrl`, for work outside drizzle (tests, seeding). */
export function sqlClient(databaseUrl: string) {
  return neon(databaseUrl);
}
