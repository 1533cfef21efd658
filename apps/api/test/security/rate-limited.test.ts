import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { origin } from '../helpers';
import { awayFromWindowEdge, newAddress, tight, tightPeriod } from '../support/rate-limits';
import { namedRoutes } from './routes';
import { holdings, seededOrganisation } from './seeded-organisation';

const limitedEnv: Env = { ...env, ...tight.credential, ...tight.address, ...tightPeriod };

async function send(path: string, init: { method: string; authorization?: string; address: string; body?: unknown }) {
  const request = new Request(`${origin}${path}`, {
    method: init.method,
    headers: {
      ...(init.authorization ? { authorization: init.authorization } : {}),
      'cf-connecting-ip': init.address,
      'content-type': 'application/json',
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, limitedEnv, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('every route refuses a caller over its rate limit with 429, and nothing happens', () => {
  // One case per route and procedure served (see routes.ts).
  it.each(namedRoutes)('%s', async (_, route) => {
    const org = await seededOrganisation();
    const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };
    const before = await holdings(org.organisationId);
    await awayFromWindowEdge();

    // A key that spent its budget (3 a minute here), and an address that sent 3 requests without a credential.
    // The key sends from an address of its own: a key this isolate no longer trusts (the tests'
    // key cache lasts 2 s) is counted against its address before its lookup, and that must not
    // spend the budget of the address without a credential.
    const address = newAddress();
    const keyAddress = newAddress();
    const list = `/api/connect/v1/o/${org.organisationId}/connectors`;
    for (let i = 0; i < 3; i++) {
      const keyed = { method: 'GET', authorization: `Bearer ${org.apiKey}`, address: keyAddress };
      expect((await send(list, keyed)).status).toBe(200);
      expect((await send(list, { method: 'GET', address })).status).toBe(401);
    }

    const cases: [string, string | undefined, string][] = [
      ['key over its limit', `Bearer ${org.apiKey}`, keyAddress],
      ['no credential, address over its limit', undefined, address],
    ];
    for (const [label, authorization, from] of cases) {
      const response = await send(route.path(ids), {
        method: route.method,
        address: from,
        ...(authorization ? { authorization } : {}),
        ...(route.body ? { body: route.body(ids) } : {}),
      });
      expect(response.status, label).toBe(429);
      expect(response.headers.get('retry-after'), label).toBe('60');
      const code = route.path(ids).startsWith('/trpc')
        ? (JSON.parse(response.text) as { error: { data: { apiCode: string } } }).error.data.apiCode
        : (JSON.parse(response.text) as { code: string }).code;
      expect(code, label).toBe('rate_limited');
    }
    expect(await holdings(org.organisationId)).toEqual(before);
  });
});
