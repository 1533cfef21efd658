import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../src/index';
import { newOrganisation, organisation, origin, restRoot, rows } from './helpers';
import { faults } from './support/faults-client';
import { versionId } from './seed-children';
import { idToken } from './support/id-tokens';

const relays: string[] = [];
const locks: string[] = [];
afterEach(async () => {
  for (const id of relays.splice(0)) await faults('POST', `/relays/${id}/kill`);
  for (const id of locks.splice(0)) await faults('DELETE', `/locks/${id}`);
});

/** A process between the Worker and the SQL endpoint, and the DATABASE_URL that reaches it. */
async function relay() {
  const { id, port } = await faults<{ id: string; port: number }>('POST', '/relays', {
    targetPort: Number(new URL(env.SQL_ENDPOINT_URL).port),
  });
  relays.push(id);
  return {
    databaseUrl: `postgres://connect:connect@127.0.0.1:${port}/connect`,
    pause: () => faults('POST', `/relays/${id}/pause`),
    kill: () => faults('POST', `/relays/${id}/kill`),
  };
}

/** Holds `query`'s row locks in a transaction left open on another connection. */
async function lock(query: string, params: string[]) {
  const { id } = await faults<{ id: string }>('POST', '/locks', { query, params });
  locks.push(id);
  return {
    terminateWaiters: () => faults<{ terminated: number }>('POST', `/locks/${id}/terminate-waiters`),
    release: async () => {
      locks.splice(locks.indexOf(id), 1);
      await faults('DELETE', `/locks/${id}`);
    },
  };
}

/** One request to the Worker with configuration overrides; its body read. */
async function send(
  overrides: Partial<Env>,
  method: string,
  url: string,
  credential: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { ...env, ...overrides },
    ctx,
  );
  const text = await response.text();
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Record<string, unknown> };
}

/** The answer every test here expects: 503 `unavailable` with Retry-After, over REST or tRPC. */
function expectUnavailable(
  answer: { status: number; headers: Headers; body: Record<string, unknown> },
  over: 'rest' | 'trpc',
) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('2');
  if (over === 'rest') expect(answer.body).toMatchObject({ code: 'unavailable', message: expect.any(String) });
  else expect(answer.body).toMatchObject({ error: { data: { apiCode: 'unavailable', httpStatus: 503 } } });
}

const connectorCount = async (organisationId: string) =>
  (
    await rows<{ n: string }>('SELECT count(*)::text AS n FROM connectors WHERE organisation_id = $1', [organisationId])
  )[0]?.n;

describe('a database that does not answer', () => {
  it('gets 503 unavailable at the request deadline when the SQL endpoint is paused, over REST and tRPC; nothing is written', async () => {
    const org = await newOrganisation();
    // An id_token: authentication needs no database, so the request reaches its write.
    const token = await idToken(org.organisationId);
    const endpoint = await relay();
    await endpoint.pause();
    const paused = { DATABASE_URL: endpoint.databaseUrl, REQUEST_DEADLINE_MS: '300' };
    const connector = { name: 'paused', baseUrl: 'https://api.example.com' };

    const rest = await send(
      paused,
      'POST',
      `${restRoot}/o/${org.organisationId}/protocols/http/connectors`,
      token,
      connector,
    );
    expectUnavailable(rest, 'rest');
    expectUnavailable(await send(paused, 'POST', `${origin}/trpc/connectors.create`, token, connector), 'trpc');

    // A batch of calls gets the error once per call.
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }));
    const batch = await send(
      paused,
      'GET',
      `${origin}/trpc/connectors.list,connectors.list?batch=1&input=${input}`,
      token,
    );
    expect(batch.status).toBe(503);
    expect(batch.headers.get('retry-after')).toBe('2');
    expect(batch.body).toEqual([
      { error: expect.objectContaining({ data: expect.objectContaining({ apiCode: 'unavailable' }) }) },
      { error: expect.objectContaining({ data: expect.objectContaining({ apiCode: 'unavailable' }) }) },
    ]);

    // The requests never reached the database: killed, the endpoint cannot run them later either.
    await endpoint.kill();
    expect(await connectorCount(org.organisationId)).toBe('0');
  });

  it('gets 503 unavailable, not 500, when the SQL endpoint is killed during a request or before it', async () => {
    const org = await newOrganisation();
    const token = await idToken(org.organisationId);
    const url = `${restRoot}/o/${org.organisationId}/protocols/http/connectors`;
    const connector = { name: 'killed', baseUrl: 'https://api.example.com' };
    // A deadline far away: the answer comes from the lost connection itself.
    const far = { REQUEST_DEADLINE_MS: '20000' };

    const during = await relay();
    await during.pause();
    const pending = send({ ...far, DATABASE_URL: during.databaseUrl }, 'POST', url, token, connector);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await during.kill();
    expectUnavailable(await pending, 'rest');

    // Killed before: the connection is refused.
    const gone = { ...far, DATABASE_URL: during.databaseUrl };
    expectUnavailable(await send(gone, 'POST', url, token, connector), 'rest');
    expectUnavailable(await send(gone, 'POST', `${origin}/trpc/connectors.create`, token, connector), 'trpc');

    expect(await connectorCount(org.organisationId)).toBe('0');
  });
});

describe.skipIf(env.DATABASE_IS_POSTGRES !== 'true')('a row lock held by another connection (PostgreSQL)', () => {
  async function lockedVersion() {
    const org = await organisation();
    const connectorId = await org.connector();
    expect((await org.createVersion(connectorId, { name: '1' })).status).toBe(201);
    const version = await versionId(connectorId, '1');
    const held = await lock('SELECT 1 FROM connector_versions WHERE id = $1 FOR UPDATE', [version]);
    const actions = `${restRoot}/o/${org.organisationId}/connectors/${connectorId}/versions/1/actions`;
    const action = { type: 'http', name: 'locked', method: 'GET', path: '/x' };
    const actionCount = async () =>
      (await rows<{ n: string }>('SELECT count(*)::text AS n FROM actions WHERE version_id = $1', [version]))[0]?.n;
    return { org, connectorId, held, actions, action, actionCount };
  }

  it('gets 503 unavailable once the statement timeout cancels the wait, over REST and tRPC; nothing is written', async () => {
    const { org, connectorId, held, actions, action, actionCount } = await lockedVersion();
    // The key is known to the isolate after the calls above, so only the write waits on the lock.
    const short = { STATEMENT_TIMEOUT_MS: '300', REQUEST_DEADLINE_MS: '20000', API_KEY_CACHE_SECONDS: '600' };

    expectUnavailable(await send(short, 'POST', actions, org.apiKey, action), 'rest');
    const trpc = await send(short, 'POST', `${origin}/trpc/actions.create`, org.apiKey, {
      connectorId,
      version: '1',
      ...action,
    });
    expectUnavailable(trpc, 'trpc');

    await held.release();
    expect(await actionCount()).toBe('0');
  });

  it('gets 503 unavailable when the database terminates the connection under the request; the SQL endpoint keeps serving', async () => {
    const { org, held, actions, action, actionCount } = await lockedVersion();
    const patient = { STATEMENT_TIMEOUT_MS: '20000', REQUEST_DEADLINE_MS: '20000', API_KEY_CACHE_SECONDS: '600' };

    const pending = send(patient, 'POST', actions, org.apiKey, action);
    // pg_terminate_backend on the endpoint's connection waiting for the lock.
    expect((await held.terminateWaiters()).terminated).toBeGreaterThan(0);
    expectUnavailable(await pending, 'rest');
    await held.release();
    expect(await actionCount()).toBe('0');

    // The endpoint process survived the lost connection and serves the next request.
    expect((await send(patient, 'POST', actions, org.apiKey, action)).status).toBe(201);
    expect(await actionCount()).toBe('1');
  });
});
