import type { ApiKey } from '@connect/contracts';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, newOrganisation, origin, rows, sql } from './helpers';
import { idToken } from './support/id-tokens';

type Key = ApiKey & { key?: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function user() {
  const org = await newOrganisation();
  const token = await idToken(org.organisationId);
  const keys = `/o/${org.organisationId}/api-keys`;
  return {
    ...org,
    token,
    create: (body: unknown) => call('POST', keys, { token, body }),
    list: async () => (await json<{ items: Key[] }>(await call('GET', keys, { token }))).items,
    revoke: (id: string) => call('DELETE', `${keys}/${id}`, { token }),
    connectors: (apiKey: string) => call('GET', `/o/${org.organisationId}/connectors`, { apiKey }),
  };
}

describe('API key management', () => {
  it('creates a key whose secret is shown once, lists keys without secrets, and revokes at once', async () => {
    const u = await user();
    const created = await u.create({ name: 'ci' });
    expect(created.status).toBe(201);
    const key = await json<Key>(created);
    expect(key.key).toMatch(/^ck_[A-Za-z0-9_-]{49}$/);
    expect(key).toMatchObject({ name: 'ci', prefix: key.key?.slice(0, 9), expiresAt: null, revokedAt: null });
    const secret = key.key ?? '';

    expect((await u.connectors(secret)).status).toBe(200);

    const listed = await call('GET', `/o/${u.organisationId}/api-keys`, { token: u.token });
    const text = await listed.text();
    expect(text).not.toContain(secret);
    const items = (JSON.parse(text) as { items: Key[] }).items;
    expect(items).toHaveLength(2);
    expect(items.map((k) => k.name)).toContain('ci');
    expect(items.every((k) => !('key' in k))).toBe(true);

    const [stored] = await rows<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE id = $1', [key.id]);
    expect(stored?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.key_hash).not.toContain(secret);

    expect((await u.revoke(key.id)).status).toBe(204);
    // Revoked through this isolate: refused at once, cache or not.
    expect((await u.connectors(secret)).status).toBe(401);
    expect((await u.list()).find((k) => k.id === key.id)?.revokedAt).not.toBeNull();
  });

  it('works over tRPC too', async () => {
    const u = await user();
    const trpc = (path: string, body?: unknown) =>
      exports.default.fetch(
        new Request(`${origin}/trpc/${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
    const created = await json<{ result: { data: Key } }>(await trpc('apiKeys.create', { name: 'trpc' }));
    expect(created.result.data.key).toMatch(/^ck_/);
    const listed = await json<{ result: { data: { items: Key[] } } }>(await trpc('apiKeys.list'));
    expect(listed.result.data.items.map((k) => k.id)).toContain(created.result.data.id);
    const revoked = await trpc('apiKeys.revoke', { id: created.result.data.id });
    expect(revoked.status).toBe(200);
  });

  it('refuses key management to API-key callers with 403', async () => {
    const u = await user();
    const response = await call('POST', `/o/${u.organisationId}/api-keys`, { apiKey: u.apiKey, body: { name: 'x' } });
    expect(response.status).toBe(403);
    expect(await json(response)).toMatchObject({ code: 'permission_denied' });
    expect((await call('GET', `/o/${u.organisationId}/api-keys`, { apiKey: u.apiKey })).status).toBe(403);
  });

  it('validates names and expiry, and answers 404 for a key of another organisation', async () => {
    const u = await user();
    const other = await user();
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'x', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ] as const) {
      const response = await u.create(body);
      expect(response.status).toBe(400);
      expect((await json<{ fields: { field: string }[] }>(response)).fields.map((f) => f.field)).toEqual([field]);
    }
    const theirs = await json<Key>(await other.create({ name: 'theirs' }));
    const response = await u.revoke(theirs.id);
    expect(response.status).toBe(404);
    expect((await other.connectors(theirs.key ?? '')).status).toBe(200);
  });

  it('stops an expired key, even one the isolate has cached', async () => {
    const u = await user();
    const key = await json<Key>(
      await u.create({ name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() }),
    );
    expect((await u.connectors(key.key ?? '')).status).toBe(200);
    await sleep(1700);
    expect((await u.connectors(key.key ?? '')).status).toBe(401);
  });

  it('stops a key revoked elsewhere within API_KEY_CACHE_SECONDS', async () => {
    const u = await user();
    const key = await json<Key>(await u.create({ name: 'cached' }));
    const secret = key.key ?? '';
    expect((await u.connectors(secret)).status).toBe(200);
    // As another isolate (or an operator) would: straight in the database, not through this isolate.
    await sql.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
    const revokedAt = Date.now();
    expect((await u.connectors(secret)).status).toBe(200);
    let refusedAfter = -1;
    while (Date.now() - revokedAt < 5_000) {
      if ((await u.connectors(secret)).status === 401) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await sleep(100);
    }
    expect(refusedAfter).toBeGreaterThan(0);
    expect(refusedAfter).toBeLessThanOrEqual(Number(env.API_KEY_CACHE_SECONDS) * 1000 + 500);
  });

  it('records when a key was last used', async () => {
    const u = await user();
    const key = await json<Key>(await u.create({ name: 'used' }));
    expect(key.lastUsedAt).toBeNull();
    await u.connectors(key.key ?? '');
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 20 && !lastUsedAt; i++) {
      await sleep(100);
      lastUsedAt = (await u.list()).find((k) => k.id === key.id)?.lastUsedAt ?? null;
    }
    expect(lastUsedAt).not.toBeNull();
  });
});
