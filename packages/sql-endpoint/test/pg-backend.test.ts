import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { pgBackend } from '../src/pg-backend.js';
import { startSqlEndpoint, type SqlEndpoint } from '../src/server.js';

const databaseUrl = process.env.DATABASE_URL;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function endpoint(options: Parameters<typeof pgBackend>[1] = {}) {
  const backend = pgBackend(databaseUrl ?? '', options);
  const server = await startSqlEndpoint(backend);
  closers.push(
    () => backend.close(),
    () => server.close(),
  );
  return { backend, server };
}

/** One statement to the endpoint as the Neon driver sends it: a batch (a transaction) of one. */
async function query(server: SqlEndpoint, text: string) {
  const response = await fetch(`${server.url}/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ queries: [{ query: text, params: [] }] }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Connections that a server terminates, and a pool to wait on, exist only with a PostgreSQL server.
describe.skipIf(!databaseUrl)('the SQL endpoint over PostgreSQL', () => {
  it('survives a connection terminated while a query runs on it, and serves the next request', async () => {
    const { server } = await endpoint();
    const marker = `sleeper-${randomUUID()}`;
    const sleeping = query(server, `SELECT pg_sleep(20) AS "${marker}"`);

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    closers.push(() => admin.end());
    let terminated = 0;
    for (let tries = 0; tries < 200 && terminated === 0; tries++) {
      const result = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE query LIKE $1 AND pid <> pg_backend_pid()`,
        [`%${marker}%`],
      );
      terminated = result.rows[0]?.n ?? 0;
      if (terminated === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(terminated).toBe(1);

    // The request fails as Neon reports a Postgres error: 400 with the SQLSTATE (57P01, admin_shutdown).
    expect(await sleeping).toMatchObject({ status: 400, body: { code: '57P01' } });
    expect(await query(server, 'SELECT 1 AS one')).toMatchObject({ status: 200 });
  });

  it('answers 503 when no connection frees up within the acquire timeout, then serves again', async () => {
    const { backend, server } = await endpoint({ max: 1, acquireTimeoutMs: 200 });
    let release: () => void = () => undefined;
    let held: Promise<void> = Promise.resolve();
    await new Promise<void>((holding) => {
      held = backend.transaction(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            holding();
          }),
      );
    });
    // The one connection is taken: the next request waits 200 ms for it, then is refused.
    expect(await query(server, 'SELECT 1 AS one')).toMatchObject({
      status: 503,
      body: { message: expect.stringContaining('timeout') as unknown },
    });
    release();
    await held;
    expect(await query(server, 'SELECT 1 AS one')).toMatchObject({ status: 200 });
  });
});
