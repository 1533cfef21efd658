import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { apiFailureOf, createClient, idempotencyKey } from '@connect/client';
import { call, organisation, origin, publish, rows, type Organisation } from './helpers';
import { faults } from './support/faults-client';
import { seedChildren, versionId } from './seed-children';
import { idToken } from './support/id-tokens';
import worker from '../src/index';

const replayed = 'idempotent-replayed';

/** A fresh key per test request: keys are what the tests keep apart. */
const newKey = () => `key-${crypto.randomUUID()}`;

interface Sent {
  status: number;
  text: string;
  headers: Headers;
}

/** One POST with an Idempotency-Key (and any other headers), its body read as text. */
async function post(
  path: string,
  credential: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const response = await call('POST', path, {
    apiKey: credential,
    ...(body === undefined ? {} : { body }),
    headers: { ...headers, ...(key === undefined ? {} : { 'idempotency-key': key }) },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Everything an organisation has written, counted: a replay must leave it as it was. */
async function footprint(organisationId: string): Promise<Record<string, string>> {
  const [row] = await rows<Record<string, string>>(
    `SELECT
       (SELECT count(*) FROM connectors WHERE organisation_id = $1)::text AS connectors,
       (SELECT count(*) FROM connector_versions v JOIN connectors c ON c.id = v.connector_id
          WHERE c.organisation_id = $1)::text AS versions,
       (SELECT string_agg(v.id || ':' || v.updated_at::text || ':' || coalesce(v.published_at::text, '-'), ',' ORDER BY v.id)
          FROM connector_versions v JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1) AS stamps,
       (SELECT count(*) FROM actions a JOIN connector_versions v ON v.id = a.version_id
          JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1)::text AS actions,
       (SELECT count(*) FROM triggers t JOIN connector_versions v ON v.id = t.version_id
          JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1)::text AS triggers,
       (SELECT count(*) FROM definitions d JOIN connector_versions v ON v.id = d.version_id
          JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1)::text AS definitions,
       (SELECT count(*) FROM api_keys WHERE organisation_id = $1)::text AS api_keys`,
    [organisationId],
  );
  if (!row) throw new Error('no footprint');
  return row;
}

interface Sending {
  path: string;
  body?: unknown;
  credential?: string;
}

interface Case {
  label: string;
  /** Sets the scene; gives the request to send twice. */
  prepare: (org: Organisation, connectorId: string) => Sending | Promise<Sending>;
  status: number;
  /** Whether the answer carries an ETag (then the replay carries the same). */
  etag?: boolean;
}

const action = { type: 'http', name: 'getOrder', method: 'GET', path: '/orders', responses: [{ status: 200 }] };
const trigger = { type: 'http', name: 'shipped', method: 'POST', responses: [{ status: 204 }] };
const definition = {
  name: 'Shipment',
  accept: ['application/json'],
  schema: { contentType: 'application/schema+json', content: '{"$ref":"#/$defs/Order"}' },
};

// Every REST POST, with a refusal or two: a refusal that came from the write is replayed as well.
const cases: Case[] = [
  {
    label: 'create connector',
    prepare: (org) => ({
      path: `/o/${org.organisationId}/protocols/http/connectors`,
      body: { name: 'Keyed', baseUrl: 'https://keyed.example.com', tags: { b: ['2'], a: ['1'] } },
    }),
    status: 201,
  },
  {
    label: 'create version',
    prepare: (org, c) => ({ path: `/o/${org.organisationId}/connectors/${c}/versions`, body: { name: '2' } }),
    status: 201,
  },
  {
    label: 'create version as a copy, with its children',
    prepare: (org, c) => ({
      path: `/o/${org.organisationId}/connectors/${c}/versions`,
      body: { name: '3', fromVersion: '1', description: 'a copy' },
    }),
    status: 201,
  },
  {
    label: 'create version, name taken (409, replayed as such)',
    prepare: (org, c) => ({ path: `/o/${org.organisationId}/connectors/${c}/versions`, body: { name: '1' } }),
    status: 409,
  },
  {
    label: 'create version, unknown connector (404)',
    prepare: (org) => ({
      path: `/o/${org.organisationId}/connectors/01ARZ3NDEKTSV4RRFFQ69G5FAV/versions`,
      body: { name: '1' },
    }),
    status: 404,
  },
  {
    label: 'publish',
    prepare: async (org, c) => {
      expect((await org.createVersion(c, { name: 'p' })).status).toBe(201);
      return { path: `/o/${org.organisationId}/connectors/${c}/versions/p/publish` };
    },
    status: 200,
    etag: true,
  },
  {
    label: 'publish, a version that fails the checks (400 with messages)',
    prepare: async (org, c) => {
      expect((await org.createVersion(c, { name: 'bad' })).status).toBe(201);
      const bad = `/o/${org.organisationId}/connectors/${c}/versions/bad`;
      const noResponse = await call('POST', `${bad}/actions`, {
        apiKey: org.apiKey,
        body: { type: 'http', name: 'x', method: 'GET', path: '/x' },
      });
      expect(noResponse.status).toBe(201);
      return { path: `${bad}/publish` };
    },
    status: 400,
  },
  {
    label: 'unpublish',
    prepare: async (org, c) => {
      expect((await org.createVersion(c, { name: 'u' })).status).toBe(201);
      await publish(c, 'u');
      return { path: `/o/${org.organisationId}/connectors/${c}/versions/u/unpublish` };
    },
    status: 200,
    etag: true,
  },
  {
    label: 'create action',
    prepare: (org, c) => ({ path: `/o/${org.organisationId}/connectors/${c}/versions/1/actions`, body: action }),
    status: 201,
  },
  {
    label: 'create trigger',
    prepare: (org, c) => ({
      path: `/o/${org.organisationId}/connectors/${c}/versions/1/triggers`,
      body: trigger,
    }),
    status: 201,
  },
  {
    label: 'create definitions',
    prepare: (org, c) => ({
      path: `/o/${org.organisationId}/connectors/${c}/versions/1/definitions`,
      body: { definitions: [definition] },
    }),
    status: 201,
  },
];

/** An organisation with a connector whose version `1` has children of every kind. */
async function scene() {
  const org = await organisation();
  const connectorId = await org.connector();
  expect((await org.createVersion(connectorId, { name: '1' })).status).toBe(201);
  await seedChildren(await versionId(connectorId, '1'));
  return { org, connectorId };
}

describe('Idempotency-Key on every REST POST', () => {
  it.each(cases)('$label: a retry gets the first answer back, byte for byte, and writes nothing', async (c) => {
    const { org, connectorId } = await scene();
    const { path, body, credential } = await c.prepare(org, connectorId);
    const key = newKey();

    const first = await post(path, credential ?? org.apiKey, key, body);
    expect(first.status, first.text).toBe(c.status);
    expect(first.headers.get(replayed)).toBeNull();
    const written = await footprint(org.organisationId);

    const retry = await post(path, credential ?? org.apiKey, key, body);
    expect(retry.status).toBe(first.status);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get(replayed)).toBe('true');
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    if (c.etag) expect(first.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await footprint(org.organisationId)).toEqual(written);
  });

  it('is refused when creating an API key (400, nothing created): a key’s secret is never stored to replay', async () => {
    const org = await organisation();
    const token = await idToken(org.organisationId);
    const path = `/o/${org.organisationId}/api-keys`;
    const before = await footprint(org.organisationId);
    const refused = await post(path, token, newKey(), { name: 'k' });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({
      code: 'invalid_argument',
      fields: [{ field: 'Idempotency-Key' }],
    });
    expect(refused.text).not.toMatch(/ck_/);
    expect(await footprint(org.organisationId)).toEqual(before);
    const stored = await rows('SELECT count(*)::int AS n FROM idempotency_keys WHERE organisation_id = $1', [
      org.organisationId,
    ]);
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('refuses the same key with another request (422) and writes nothing', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    expect((await post(path, org.apiKey, key, { name: '2' })).status).toBe(201);
    const written = await footprint(org.organisationId);

    const other = await post(path, org.apiKey, key, { name: '3' });
    expect(other.status).toBe(422);
    expect(JSON.parse(other.text)).toMatchObject({ code: 'idempotency_key_reused' });
    expect(other.headers.get(replayed)).toBeNull();
    // The path is part of the request: the same body for another connector is another request.
    const elsewhere = await org.connector('elsewhere');
    const moved = await post(`/o/${org.organisationId}/connectors/${elsewhere}/versions`, org.apiKey, key, {
      name: '2',
    });
    // Another route's keys are apart, but this is the same route with another path: 422.
    expect(moved.status).toBe(422);
    // If-Match is part of the request too.
    const conditional = await post(path, org.apiKey, key, { name: '2' }, { 'if-match': `"${'0'.repeat(32)}"` });
    expect(conditional.status).toBe(422);
    expect(await footprint(org.organisationId)).toEqual({
      ...written,
      connectors: String(Number(written.connectors) + 1),
    });
  });

  it('compares the validated request: field order and whitespace do not make another request', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    const first = await call('POST', path, {
      apiKey: org.apiKey,
      rawBody: '{"name":"2","description":"d"}',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const retry = await call('POST', path, {
      apiKey: org.apiKey,
      rawBody: '{ "description": "d",  "name": "2" }',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get(replayed)).toBe('true');
    expect(await retry.text()).toBe(await first.text());
  });

  it('keeps keys apart per organisation and per operation', async () => {
    const a = await scene();
    const b = await scene();
    const key = newKey();
    const versionsOf = (s: typeof a) => `/o/${s.org.organisationId}/connectors/${s.connectorId}/versions`;
    const inA = await post(versionsOf(a), a.org.apiKey, key, { name: '2' });
    const inB = await post(versionsOf(b), b.org.apiKey, key, { name: '2' });
    expect([inA.status, inB.status]).toEqual([201, 201]);
    expect(inB.headers.get(replayed)).toBeNull();
    expect((JSON.parse(inB.text) as { id: string }).id).not.toBe((JSON.parse(inA.text) as { id: string }).id);

    // The same key on another operation of the same organisation is another key.
    const connector = await post(`/o/${a.org.organisationId}/protocols/http/connectors`, a.org.apiKey, key, {
      name: 'x',
      baseUrl: 'https://x.example.com',
    });
    expect(connector.status).toBe(201);
    expect(connector.headers.get(replayed)).toBeNull();
    const publish2 = await post(`${versionsOf(a)}/2/publish`, a.org.apiKey, key);
    expect(publish2.status).toBe(200);
    const unpublish2 = await post(`${versionsOf(a)}/2/unpublish`, a.org.apiKey, key);
    expect(unpublish2.status).toBe(200);
    expect(unpublish2.headers.get(replayed)).toBeNull();
  });

  it('forgets an answer once it expires: the key then runs the request again', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    expect((await post(path, org.apiKey, key, { name: '2' })).status).toBe(201);
    const [stored] = await rows<{ ttl: string }>(
      `SELECT round(extract(epoch FROM expires_at - now()))::text AS ttl FROM idempotency_keys
       WHERE organisation_id = $1 AND key = $2`,
      [org.organisationId, key],
    );
    // Kept for IDEMPOTENCY_TTL_SECONDS (a day), give or take the seconds of this test.
    expect(Number(stored?.ttl)).toBeGreaterThan(86_000);
    await rows(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE organisation_id = $1 AND key = $2`,
      [org.organisationId, key],
    );

    // Run again, not replayed: the name is taken now.
    const again = await post(path, org.apiKey, key, { name: '2' });
    expect(again.status).toBe(409);
    expect(again.headers.get(replayed)).toBeNull();
    // And a new input is no longer "another request": it runs.
    await rows(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE organisation_id = $1 AND key = $2`,
      [org.organisationId, key],
    );
    expect((await post(path, org.apiKey, key, { name: '3' })).status).toBe(201);
    // One stored answer per key, whatever the number of statements that made it.
    const stored3 = await rows<{ n: number }>(
      'SELECT count(*)::int AS n FROM idempotency_keys WHERE organisation_id = $1 AND key = $2',
      [org.organisationId, key],
    );
    expect(stored3).toEqual([{ n: 1 }]);
  });

  it('purges expired answers from the scheduled handler, and keeps the others', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const [expired, kept] = [newKey(), newKey()];
    expect((await post(path, org.apiKey, expired, { name: '2' })).status).toBe(201);
    expect((await post(path, org.apiKey, kept, { name: '3' })).status).toBe(201);
    await rows(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE organisation_id = $1 AND key = $2`,
      [org.organisationId, expired],
    );
    // A keyed request leaves other keys' expired answers alone: the purge is the scheduled handler's.
    expect((await post(path, org.apiKey, newKey(), { name: '4' })).status).toBe(201);
    const keys = async () =>
      (
        await rows<{ key: string }>('SELECT key FROM idempotency_keys WHERE organisation_id = $1 AND key IN ($2, $3)', [
          org.organisationId,
          expired,
          kept,
        ])
      )
        .map((r) => r.key)
        .sort();
    expect(await keys()).toEqual([expired, kept].sort());

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '*/2 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await keys()).toEqual([kept]);
    // The kept answer still replays.
    const again = await post(path, org.apiKey, kept, { name: '3' });
    expect(again.status).toBe(201);
    expect(again.headers.get(replayed)).toBe('true');
  });

  it('stores nothing for a request refused before it ran: a 400 leaves the key free', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    expect((await post(path, org.apiKey, key, { name: '' })).status).toBe(400);
    expect((await post(path, 'ck_not_a_key', key, { name: '2' })).status).toBe(401);
    const created = await post(path, org.apiKey, key, { name: '2' });
    expect(created.status).toBe(201);
    expect(created.headers.get(replayed)).toBeNull();
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['empty', ''],
    ['not ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s: 400 naming the header', async (_label, key) => {
    const { org, connectorId } = await scene();
    const sent = await post(`/o/${org.organisationId}/connectors/${connectorId}/versions`, org.apiKey, key, {
      name: '2',
    });
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.text)).toMatchObject({ code: 'invalid_argument', fields: [{ field: 'Idempotency-Key' }] });
    expect((await footprint(org.organisationId)).versions).toBe('1');
  });

  it('takes a key of 255 printable characters', async () => {
    const { org, connectorId } = await scene();
    const key = `${crypto.randomUUID()} ~!"#`.padEnd(255, 'x');
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    expect((await post(path, org.apiKey, key, { name: '2' })).status).toBe(201);
    expect((await post(path, org.apiKey, key, { name: '2' })).headers.get(replayed)).toBe('true');
  });

  it('ignores the header where a method takes no key (GET)', async () => {
    const { org, connectorId } = await scene();
    const read = await call('GET', `/o/${org.organisationId}/connectors/${connectorId}`, {
      apiKey: org.apiKey,
      headers: { 'idempotency-key': 'k'.repeat(300) },
    });
    expect(read.status).toBe(200);
  });
});

describe('concurrent requests with one key', () => {
  it('write once: one 201, the others 409 or the replay of it', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    const sent = await Promise.all(Array.from({ length: 6 }, () => post(path, org.apiKey, key, { name: '2' })));
    const firsts = sent.filter((s) => s.status === 201 && s.headers.get(replayed) === null);
    expect(firsts).toHaveLength(1);
    for (const s of sent) {
      if (s.status === 409) expect(JSON.parse(s.text)).toMatchObject({ code: 'idempotency_key_in_use' });
      else {
        expect(s.status).toBe(201);
        expect(s.text).toBe(firsts[0]?.text);
      }
    }
    expect((await footprint(org.organisationId)).versions).toBe('2');
  });
});

const locks: string[] = [];
afterEach(async () => {
  for (const id of locks.splice(0)) await faults('DELETE', `/locks/${id}`);
});

/** Waits (polling, no clock in the assertion) until a statement of this database waits on a lock. */
async function someoneWaitsOnALock(): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [row] = await rows<{ waiting: string }>(
      `SELECT count(*)::text AS waiting FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row?.waiting !== '0') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no request came to wait on the lock');
}

describe.skipIf(env.DATABASE_IS_POSTGRES !== 'true')('a retry while the first request still runs (PostgreSQL)', () => {
  it('is 409 idempotency_key_in_use; once the first is answered, retries get its answer', async () => {
    const { org, connectorId } = await scene();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const key = newKey();
    // The connector row locked elsewhere: the first create claims the key, then waits on the row.
    const { id } = await faults<{ id: string }>('POST', '/locks', {
      query: 'SELECT 1 FROM connectors WHERE id = $1 FOR UPDATE',
      params: [connectorId],
    });
    locks.push(id);
    const first = post(path, org.apiKey, key, { name: '2' });
    await someoneWaitsOnALock();

    const during = await Promise.all([
      post(path, org.apiKey, key, { name: '2' }),
      post(path, org.apiKey, key, { name: '2' }),
    ]);
    for (const s of during) {
      expect(s.status).toBe(409);
      expect(JSON.parse(s.text)).toMatchObject({ code: 'idempotency_key_in_use' });
      expect(s.headers.get('retry-after')).toBe('2');
    }
    // Another request is refused the same way while the first runs: what it would be is not known yet.
    expect((await post(path, org.apiKey, key, { name: 'other' })).status).toBe(409);

    locks.splice(locks.indexOf(id), 1);
    await faults('DELETE', `/locks/${id}`);
    const answered = await first;
    expect(answered.status).toBe(201);
    const after = await post(path, org.apiKey, key, { name: '2' });
    expect(after.headers.get(replayed)).toBe('true');
    expect(after.text).toBe(answered.text);
    expect((await footprint(org.organisationId)).versions).toBe('2');
  });
});

describe('tRPC', () => {
  async function client() {
    const { org, connectorId } = await scene();
    const seen: { url: string; key: string | null; replayed: string | null }[] = [];
    const typed = createClient({
      url: origin,
      apiKey: org.apiKey,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await exports.default.fetch(request);
        seen.push({
          url: request.url,
          key: request.headers.get('idempotency-key'),
          replayed: response.headers.get(replayed),
        });
        return response;
      },
    });
    return { org, connectorId, typed, seen };
  }

  it('takes a key per call through the typed client: the retry gets the first result', async () => {
    const { org, connectorId, typed, seen } = await client();
    const key = newKey();
    const first = await typed.connectorVersions.create.mutate({ connectorId, name: '2' }, idempotencyKey(key));
    const retry = await typed.connectorVersions.create.mutate({ connectorId, name: '2' }, idempotencyKey(key));
    expect(retry).toEqual(first);
    expect(seen.map((s) => [s.key, s.replayed])).toEqual([
      [key, null],
      [key, 'true'],
    ]);
    // Unbatched, so the key names one call.
    expect(seen.every((s) => !s.url.includes('batch='))).toBe(true);
    expect((await footprint(org.organisationId)).versions).toBe('2');

    // Another input with the key: 422; REST keys are apart from tRPC's.
    const reused = await typed.connectorVersions.create
      .mutate({ connectorId, name: '3' }, idempotencyKey(key))
      .catch((error: unknown) => error);
    expect(apiFailureOf(reused)).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    const rest = await post(`/o/${org.organisationId}/connectors/${connectorId}/versions`, org.apiKey, key, {
      name: '3',
    });
    expect(rest.status).toBe(201);

    // A refusal is replayed as the same error.
    const taken = newKey();
    for (let i = 0; i < 2; i++) {
      const refused = await typed.connectorVersions.create
        .mutate({ connectorId, name: '1' }, idempotencyKey(taken))
        .catch((error: unknown) => error);
      expect(apiFailureOf(refused)).toMatchObject({ code: 'already_exists', status: 409 });
    }
    expect(seen.at(-1)?.replayed).toBe('true');
  });

  it('sends calls with keys on their own, and calls without in a batch as before', async () => {
    const { connectorId, typed, seen } = await client();
    await Promise.all([
      typed.connectorVersions.create.mutate({ connectorId, name: 'a' }, idempotencyKey(newKey())),
      typed.connectorVersions.create.mutate({ connectorId, name: 'b' }, idempotencyKey(newKey())),
      typed.connectorVersions.get.query({ connectorId, version: '1' }),
      typed.connectors.get.query({ connectorId }),
    ]);
    expect(seen.filter((s) => s.key !== null)).toHaveLength(2);
    expect(seen.filter((s) => s.key === null)).toHaveLength(1);
  });

  it('refuses the header on a batch of more than one call: 400 naming it', async () => {
    const { org } = await scene();
    const input = { name: 'x', baseUrl: 'https://x.example.com' };
    const response = await exports.default.fetch(
      new Request(`${origin}/trpc/connectors.create,connectors.create?batch=1`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': newKey(),
        },
        body: JSON.stringify({ 0: input, 1: input }),
      }),
    );
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('Idempotency-Key');
    expect((await footprint(org.organisationId)).connectors).toBe('1');

    // A batch of one call is one call: the key is taken.
    const one = await exports.default.fetch(
      new Request(`${origin}/trpc/connectors.create?batch=1`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': newKey(),
        },
        body: JSON.stringify({ 0: input }),
      }),
    );
    expect(one.status).toBe(200);
  });
});
