import { generateApiKey } from '@connect/contracts';
import { ApiKeyCache } from '@connect/router';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index';
import { newOrganisation, origin, restRoot, rows, sql } from './helpers';
import { idToken } from './support/id-tokens';
import { awayFromWindowEdge, newAddress, tight, tightPeriod } from './support/rate-limits';

interface Sent {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Sends requests to the Worker with some limiters swapped for tight ones and DATABASE_URL tagged
 * with an `application_name` of its own, then reads how many requests the local SQL endpoint
 * received under that tag: every database round trip the Worker made for them.
 */
function session(limiters: Partial<Env> = {}) {
  const tag = `rate-limits-${crypto.randomUUID()}`;
  const testEnv: Env = {
    ...env,
    ...limiters,
    ...tightPeriod,
    DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}`,
  };
  return {
    async send(
      method: string,
      url: string,
      options: { credential?: string; address?: string; body?: unknown } = {},
    ): Promise<Sent> {
      const headers = new Headers({ 'content-type': 'application/json' });
      if (options.credential) headers.set('authorization', `Bearer ${options.credential}`);
      if (options.address) headers.set('cf-connecting-ip', options.address);
      const request = new Request(url.startsWith('http') ? url : `${restRoot}${url}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      const ctx = createExecutionContext();
      const response = await worker.fetch(request, testEnv, ctx);
      await waitOnExecutionContext(ctx);
      return { status: response.status, headers: response.headers, body: await response.text() };
    },
    async databaseRequests(): Promise<number> {
      const response = await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`);
      return (await response.json<{ requests: number }>()).requests;
    },
  };
}

const connectorBody = { name: 'Limited', baseUrl: 'https://limited.example.com' };

async function connectorCount(organisationId: string): Promise<number> {
  const [row] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM connectors WHERE organisation_id = $1', [
    organisationId,
  ]);
  return row?.n ?? -1;
}

function expectRateLimited(sent: Sent): void {
  expect(sent.status).toBe(429);
  expect(sent.headers.get('retry-after')).toBe('60');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('per credential and per organisation', () => {
  it('refuses a key over its limit with 429 and Retry-After over REST; the handler never runs', async () => {
    await awayFromWindowEdge();
    const org = await newOrganisation();
    const s = session(tight.credential);
    const create = () =>
      s.send('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
        credential: org.apiKey,
        body: connectorBody,
      });
    for (let i = 0; i < 3; i++) expect((await create()).status).toBe(201);
    const before = await s.databaseRequests();

    const refused = await create();
    expectRateLimited(refused);
    expect(JSON.parse(refused.body)).toEqual({ code: 'rate_limited', message: expect.any(String) });
    // Nothing written, and not even a database request: the key was already known to the isolate.
    expect(await connectorCount(org.organisationId)).toBe(3);
    expect(await s.databaseRequests()).toBe(before);
  });

  it('refuses a key over its limit over tRPC: 429 with Retry-After, apiCode rate_limited, nothing written', async () => {
    await awayFromWindowEdge();
    const org = await newOrganisation();
    const s = session(tight.credential);
    const create = () =>
      s.send('POST', `${origin}/trpc/connectors.create`, { credential: org.apiKey, body: connectorBody });
    for (let i = 0; i < 3; i++) expect((await create()).status).toBe(200);
    const before = await s.databaseRequests();

    const refused = await create();
    expectRateLimited(refused);
    const { error } = JSON.parse(refused.body) as { error: { data: { apiCode: string; httpStatus: number } } };
    expect(error.data).toMatchObject({ apiCode: 'rate_limited', httpStatus: 429 });
    expect(await connectorCount(org.organisationId)).toBe(3);
    expect(await s.databaseRequests()).toBe(before);

    // A batch is refused whole.
    const batch = await s.send('GET', `${origin}/trpc/connectors.list,connectors.list?batch=1&input={}`, {
      credential: org.apiKey,
    });
    expectRateLimited(batch);
  });

  it('limits a user (id_token) as one credential', async () => {
    await awayFromWindowEdge();
    const org = await newOrganisation();
    const token = await idToken(org.organisationId);
    const s = session(tight.credential);
    const list = () => s.send('GET', `/o/${org.organisationId}/connectors`, { credential: token });
    for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
    expectRateLimited(await list());
    // The organisation's API key is another credential, with a budget of its own.
    expect((await s.send('GET', `/o/${org.organisationId}/connectors`, { credential: org.apiKey })).status).toBe(200);
  });

  it('counts every credential of an organisation against its limit, and no other organisation', async () => {
    await awayFromWindowEdge();
    const org = await newOrganisation();
    const second = await newOrganisation();
    await sql.query('UPDATE api_keys SET organisation_id = $1 WHERE organisation_id = $2', [
      org.organisationId,
      second.organisationId,
    ]);
    const other = await newOrganisation();
    const s = session(tight.organisation);
    const list = (apiKey: string, organisationId = org.organisationId) =>
      s.send('GET', `/o/${organisationId}/connectors`, { credential: apiKey });

    for (let i = 0; i < 3; i++) expect((await list(org.apiKey)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await list(second.apiKey)).status).toBe(200);
    expectRateLimited(await list(second.apiKey));
    expectRateLimited(await list(org.apiKey));
    expect((await list(other.apiKey, other.organisationId)).status).toBe(200);
  });
});

describe('requests without a trusted credential', () => {
  it('are limited per client address before any database work', async () => {
    await awayFromWindowEdge();
    const s = session(tight.address);
    const address = newAddress();
    const org = await newOrganisation();
    const list = `/o/${org.organisationId}/connectors`;

    // Unknown keys, each new (so each would need a lookup): three are looked up, then none.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const sent = await s.send('GET', list, { credential: await generateApiKey(), address });
      statuses.push(sent.status);
      if (sent.status === 429) expect(sent.headers.get('retry-after')).toBe('60');
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    expect(await s.databaseRequests()).toBe(3);

    // No credential at all, or a malformed one, from the same address: refused as well, over tRPC too.
    expectRateLimited(await s.send('GET', list, { address }));
    expectRateLimited(await s.send('GET', list, { credential: 'not-a-credential', address }));
    expectRateLimited(
      await s.send('GET', `${origin}/trpc/connectors.list?input=${encodeURIComponent('{}')}`, { address }),
    );
    expect(await s.databaseRequests()).toBe(3);

    // Another address is not held back.
    expect((await s.send('GET', list, { credential: await generateApiKey(), address: newAddress() })).status).toBe(401);
  });

  it('do not hold back a key the isolate already trusts, from the same address', async () => {
    await awayFromWindowEdge();
    const s = session(tight.address);
    const address = newAddress();
    const org = await newOrganisation();
    const list = `/o/${org.organisationId}/connectors`;
    // Looked up (and trusted) from elsewhere first.
    expect((await s.send('GET', list, { credential: org.apiKey, address: newAddress() })).status).toBe(200);
    for (let i = 0; i < 4; i++) await s.send('GET', list, { address });
    expectRateLimited(await s.send('GET', list, { address }));
    expect((await s.send('GET', list, { credential: org.apiKey, address })).status).toBe(200);
  });
});

describe('unknown API keys', () => {
  it('cost one database lookup per isolate, not one per request', async () => {
    const s = session();
    const org = await newOrganisation();
    const garbage = await generateApiKey();
    for (let i = 0; i < 20; i++) {
      expect((await s.send('GET', `/o/${org.organisationId}/connectors`, { credential: garbage })).status).toBe(401);
    }
    expect(await s.databaseRequests()).toBe(1);
  });

  it('work at once when created through this isolate after being looked up as unknown', async () => {
    const org = await newOrganisation();
    const token = await idToken(org.organisationId);
    // The next key this isolate generates is known in advance: random bytes of the test's choosing.
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const original = crypto.getRandomValues.bind(crypto);
    type Random = Parameters<typeof crypto.getRandomValues>[0];
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends Random>(array: T): T => {
      if (array instanceof Uint8Array && array.length === 32) array.set(seed);
      else original(array);
      return array;
    });
    const key = await generateApiKey();

    const s = session();
    const list = `/o/${org.organisationId}/connectors`;
    expect((await s.send('GET', list, { credential: key })).status).toBe(401);
    expect((await s.send('GET', list, { credential: key })).status).toBe(401);
    expect(await s.databaseRequests()).toBe(1);

    const created = await s.send('POST', `/o/${org.organisationId}/api-keys`, {
      credential: token,
      body: { name: 'k' },
    });
    expect(created.status).toBe(201);
    expect((JSON.parse(created.body) as { key: string }).key).toBe(key);
    vi.restoreAllMocks();

    expect((await s.send('GET', list, { credential: key })).status).toBe(200);
  });

  it('are remembered for a minute, at most 10,000 of them, and never by a lookup that a create overtook', () => {
    const cache = new ApiKeyCache();
    const t0 = 1_000_000;
    cache.rememberUnknown('a', cache.lookupStarted(), t0);
    expect(cache.isUnknown('a', t0 + 59_999)).toBe(true);
    expect(cache.isUnknown('a', t0 + 60_000)).toBe(false);

    for (let i = 0; i <= 10_000; i++) cache.rememberUnknown(`k${i}`, cache.lookupStarted(), t0);
    expect(cache.isUnknown('k0', t0)).toBe(false);
    expect(cache.isUnknown('k1', t0)).toBe(true);
    expect(cache.isUnknown('k10000', t0)).toBe(true);

    // A lookup that began before a key was created, and answered "unknown" after it.
    const started = cache.lookupStarted();
    cache.keyCreated('b');
    cache.rememberUnknown('b', started, t0);
    expect(cache.isUnknown('b', t0)).toBe(false);
    cache.rememberUnknown('c', cache.lookupStarted(), t0);
    cache.keyCreated('c');
    expect(cache.isUnknown('c', t0)).toBe(false);
  });
});
