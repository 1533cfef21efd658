import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { origin } from '../helpers';
import { idToken } from '../support/id-tokens';
import { type Ids, namedRoutes, type RouteCase } from './routes';
import { holdings, seededOrganisation } from './seeded-organisation';

// Every route that creates or changes state by POST — each REST POST served and each tRPC mutation
// that is one — replays its first answer to a retry with the same Idempotency-Key, and the retry
// changes nothing. Derived from the route tables, so a POST added later is covered or fails here.

/** tRPC's counterparts of REST POSTs: creates, imports, the lifecycle changes and the OAuth 2.0 operations. */
const keyedProcedure = /^tRPC \w+\.(create|import|importVersion|publish|unpublish|initialise|refresh)$/;
/** The one POST that refuses a key: an API key's secret is never stored, so it cannot be replayed. */
const refusesKey = (route: RouteCase) => /api-keys|apiKeys\.create/.test(route.name);

const posts = namedRoutes.filter(
  ([name, route]) => route.method === 'POST' && (!name.startsWith('tRPC') || keyedProcedure.test(name)),
);

async function send(route: RouteCase, ids: Ids, token: string, key: string) {
  const body = route.body?.(ids);
  const response = await exports.default.fetch(
    new Request(`${origin}${route.path(ids)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return {
    status: response.status,
    text: await response.text(),
    replayed: response.headers.get('idempotent-replayed'),
  };
}

describe('every POST replays its first answer to a retry with the same Idempotency-Key', () => {
  it('covers the creates and lifecycle changes of both surfaces', () => {
    expect(posts.filter(([name]) => name.startsWith('tRPC')).length).toBe(
      posts.filter(([name]) => !name.startsWith('tRPC')).length,
    );
  });

  it.each(posts)('%s', async (_, route) => {
    const org = await seededOrganisation();
    const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };
    // Keys are managed by a user; every other route is called with the organisation's API key.
    const token = refusesKey(route) ? await idToken(org.organisationId) : org.apiKey;
    const key = crypto.randomUUID();
    const before = await holdings(org.organisationId);
    const first = await send(route, ids, token, key);
    if (refusesKey(route)) {
      expect(first.status).toBe(400);
      expect(first.text).toContain('Idempotency-Key');
      expect(await holdings(org.organisationId)).toEqual(before);
      return;
    }
    expect(first.status, first.text).toBeLessThan(500);
    expect(first.replayed).toBeNull();
    const written = await holdings(org.organisationId);
    const retry = await send(route, ids, token, key);
    expect(retry).toEqual({ status: first.status, text: first.text, replayed: 'true' });
    expect(await holdings(org.organisationId)).toEqual(written);
  });
});
