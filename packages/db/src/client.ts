import {
  type FullQueryResults,
  neon,
  neonConfig,
  type NeonQueryFunction,
  type NeonQueryPromise,
} from '@neondatabase/serverless';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import {
  claimStatement,
  claimStates,
  IdempotencyConflict,
  type IdempotencyClaim,
  storedAnswerStatement,
  storingStatement,
} from './idempotency.js';

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
type QueryArgs = Parameters<Sql['query']>;
type TransactionOptions = Parameters<Sql['transaction']>[1];
type Result = FullQueryResults<false>;

/**
 * A statement drizzle runs on its own (awaiting it) or hands to `transaction` as part of a batch.
 * Awaited, it runs in a transaction behind the statement timeout; batched, the batch carries it.
 * It keeps its arguments, not a query made from them: a keyed request rewrites its statements.
 */
class BoundedQuery implements PromiseLike<unknown> {
  constructor(
    readonly args: QueryArgs,
    private readonly run: (queries: QueryArgs[]) => Promise<unknown[]>,
  ) {}

  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.run([this.args])
      .then((results) => results[0])
      .then(onFulfilled, onRejected);
  }
}

/** The SQLSTATE of a driver error, if it has one. */
function sqlState(error: unknown): string | undefined {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The driver's SQL function with every database request behind `SET LOCAL statement_timeout`: a
 * single statement goes out as a transaction of the setting and the statement, a batch gets the
 * setting first. Still one HTTP request each; the setting ends with its transaction, so nothing
 * else on Neon's pooled connection sees it. Only `query` and `transaction` exist: they are what
 * drizzle's neon-http session calls.
 *
 * With `claim` (a request sent with an Idempotency-Key), its first database request also claims the
 * key and stores its answer (see `idempotency.ts`), still in one round trip; a replay reads the
 * stored answer instead of running anything. Later requests of the same handle run as usual: the
 * first is the operation's write.
 */
function withStatementTimeout(sql: Sql, timeoutMs: number, claim?: IdempotencyClaim) {
  const setting = () =>
    sql.query("SELECT set_config('statement_timeout', $1, true)", [`${String(timeoutMs)}ms`]) as Query;
  const plain = async (queries: Query[], options?: TransactionOptions, first: Query = setting()) =>
    (await sql.transaction([first, ...queries], options)).slice(1);
  // A keyed request's first statement sets the timeout and claims the key at once: one statement
  // fewer to run in its transaction. (The claim needs no timeout: its lock is a try-lock.)
  const settingAndClaim = (keyed: IdempotencyClaim) => {
    const [, params] = claimStatement(keyed);
    return sql.query("SELECT set_config('statement_timeout', $1, true), idempotency_claim($2, $3, $4, $5)", [
      `${String(timeoutMs)}ms`,
      ...params,
    ]) as Query;
  };
  let armed = claim !== undefined;
  const run = async (queries: QueryArgs[], options?: TransactionOptions): Promise<unknown[]> => {
    if (!claim || !armed)
      return plain(
        queries.map((args) => sql.query(...args) as Query),
        options,
      );
    armed = false;
    const keyed = queries.map(([text, params, opts], part) =>
      sql.query(...storingStatement(text, params ?? [], part, queries.length, claim), opts),
    );
    try {
      return await plain(keyed as Query[], options, settingAndClaim(claim));
    } catch (error) {
      const state = sqlState(error);
      if (state === claimStates.inUse) throw new IdempotencyConflict('in_use');
      if (state === claimStates.reused) throw new IdempotencyConflict('reused');
      if (state !== claimStates.replay) throw error;
      return replay(queries.length, options);
    }
  };
  /** The stored answer, as the results of the `count` statements that made it. */
  const replay = async (count: number, options?: TransactionOptions): Promise<Result[]> => {
    if (!claim) throw new Error('a replay needs a claim');
    const [read] = await plain(
      [sql.query(...storedAnswerStatement(claim), { arrayMode: false, fullResults: true }) as unknown as Query],
      options,
    );
    const [stored] = (read as Result).rows as { answer: Record<string, unknown>[][] }[];
    const parts = stored?.answer ?? [];
    // Expired between the claim and this read (or never whole): the retry may run afresh.
    if (parts.length !== count) throw new IdempotencyConflict('in_use');
    claim.replayed = true;
    return parts.map((answer) => ({
      command: 'SELECT',
      rowCount: answer.length,
      rows: answer,
      fields: [],
      rowAsArray: false,
    }));
  };
  return {
    query: (...args: QueryArgs) => new BoundedQuery(args, run),
    transaction: (queries: BoundedQuery[], options?: TransactionOptions) =>
      run(
        queries.map((q) => q.args),
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
  /**
   * A request sent with an Idempotency-Key: its first database request claims the key and stores
   * its answer, or replays the stored one (see `idempotency.ts`). Needs `statementTimeoutMs`.
   */
  idempotency?: IdempotencyClaim;
}

/**
 * A database handle for one request. Every query is one HTTP request to Neon (or the local
 * endpoint); nothing is kept open between requests.
 */
export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const sql = neon(databaseUrl);
  const { statementTimeoutMs, idempotency } = options;
  if (statementTimeoutMs === undefined) {
    if (idempotency) throw new Error('a keyed request needs a statement timeout');
    return drizzle({ client: sql });
  }
  // drizzle reaches its client only through `query` and `transaction` (above).
  const client = withStatementTimeout(sql, statementTimeoutMs, idempotency) as unknown as Sql;
  return drizzle({ client });
}

/** The Neon driver's own SQL function for `databaseUrl`, for work outside drizzle (tests, seeding). */
export function sqlClient(databaseUrl: string) {
  return neon(databaseUrl);
}
