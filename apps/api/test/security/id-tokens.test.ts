import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { call, json, newOrganisation, origin, restRoot } from '../helpers';
import { base64url, idToken, signingKey } from '../support/id-tokens';

const day = 24 * 60 * 60;
const unauthenticated = { code: 'unauthenticated', message: 'missing or invalid credentials' };

async function listWith(token: string, organisationId: string) {
  return call('GET', `/o/${organisationId}/connectors`, { token });
}

/** Calls the Worker with configuration overrides (e.g. a remote JWKS address). */
async function withEnv(
  overrides: Partial<Env>,
  token: string,
  organisationId: string,
  url = `${restRoot}/o/${organisationId}/connectors`,
) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(url, { headers: { authorization: `Bearer ${token}` } }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe('id_tokens', () => {
  it('lets a user in with RS256 and ES256 tokens, over REST and tRPC', async () => {
    const org = await newOrganisation();
    for (const alg of ['RS256', 'ES256'] as const) {
      const token = await idToken(org.organisationId, { alg });
      const rest = await listWith(token, org.organisationId);
      expect(rest.status, alg).toBe(200);
      const trpc = await exports.default.fetch(
        new Request(`${origin}/trpc/connectors.list?input=${encodeURIComponent('{}')}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      expect(trpc.status, alg).toBe(200);
    }
  });

  it('takes the organisation from the token: another organisation in the path is not found', async () => {
    const mine = await newOrganisation();
    const theirs = await newOrganisation();
    const response = await listWith(await idToken(mine.organisationId), theirs.organisationId);
    expect(response.status).toBe(404);
  });

  it('accepts a token expired within the 5 s clock tolerance', async () => {
    const org = await newOrganisation();
    const token = await idToken(org.organisationId, { expiresIn: -2 });
    expect((await listWith(token, org.organisationId)).status).toBe(200);
  });

  it('accepts a token issued within the clock tolerance in the future, and one living exactly 24 h', async () => {
    const org = await newOrganisation();
    const early = await idToken(org.organisationId, { issuedIn: 3 });
    expect((await listWith(early, org.organisationId)).status).toBe(200);
    const fullDay = await idToken(org.organisationId, { issuedIn: 0, expiresIn: day });
    expect((await listWith(fullDay, org.organisationId)).status).toBe(200);
  });

  it('takes the maximum lifetime from JWT_MAX_LIFETIME_SECONDS, over REST and tRPC', async () => {
    const org = await newOrganisation();
    const hour = await idToken(org.organisationId, { expiresIn: 3600 });
    expect((await withEnv({}, hour, org.organisationId)).status).toBe(200);
    const short = { JWT_MAX_LIFETIME_SECONDS: '600' };
    const refused = await withEnv(short, hour, org.organisationId);
    expect(refused.status).toBe(401);
    expect(await json(refused)).toEqual(unauthenticated);
    const trpc = await withEnv(
      short,
      hour,
      org.organisationId,
      `${origin}/trpc/connectors.list?input=${encodeURIComponent('{}')}`,
    );
    expect(trpc.status).toBe(401);
    expect(trpc.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses every forged, misdirected or stale token with the same 401', async () => {
    const org = await newOrganisation();
    const o = org.organisationId;
    const valid = await idToken(o);
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(atob((payload ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

    const rsaPublic = signingKey('RS256');
    const hmacKey = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(JSON.stringify({ kty: rsaPublic.kty, n: rsaPublic.n, e: rsaPublic.e })),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const hsHeader = base64url(JSON.stringify({ alg: 'HS256', kid: rsaPublic.kid, typ: 'JWT' }));
    const hsSignature = new Uint8Array(
      await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(`${hsHeader}.${payload ?? ''}`)),
    );
    const hs256 = `${hsHeader}.${payload ?? ''}.${base64url(String.fromCharCode(...hsSignature))}`;

    const cases: [string, string][] = [
      ['alg none', `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload ?? ''}.`],
      ['HS256 signed with the RSA public key', hs256],
      ['wrong issuer', await idToken(o, { issuer: 'https://evil.example/' })],
      ['wrong audience', await idToken(o, { audience: 'another-api' })],
      ['no audience', await idToken(o, { audience: null })],
      ['expired beyond the tolerance', await idToken(o, { expiresIn: -10 })],
      ['not valid yet', await idToken(o, { notBeforeIn: 60 })],
      ['unknown kid', await idToken(o, { kid: 'rotated-away' })],
      [
        'tampered payload',
        `${header ?? ''}.${base64url(JSON.stringify({ ...claims, org_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }))}.${signature ?? ''}`,
      ],
      [
        'signature of another token',
        `${header ?? ''}.${payload ?? ''}.${(await idToken(o, { expiresIn: 60 })).split('.')[2] ?? ''}`,
      ],
      ['no organisation claim', await idToken(o, { claims: { org_id: undefined } })],
      ['organisation claim not an id', await idToken(o, { claims: { org_id: 'acme' } })],
      ['expiring 100 years ahead', await idToken(o, { expiresIn: 100 * 365 * day })],
      ['issued 10 years in the future', await idToken(o, { issuedIn: 10 * 365 * day, expiresIn: 10 * 365 * day + 60 })],
      ['issued beyond the tolerance in the future', await idToken(o, { issuedIn: 60 })],
      ['a lifetime over 24 h', await idToken(o, { issuedIn: -60, expiresIn: day })],
      ['issued over 24 h ago', await idToken(o, { issuedIn: -day - 60, expiresIn: 60 })],
      ['no iat', await idToken(o, { issuedIn: null })],
    ];
    for (const [label, token] of cases) {
      const response = await listWith(token, o);
      expect(response.status, label).toBe(401);
      expect(response.headers.get('www-authenticate'), label).toBe('Bearer');
      expect(await json(response), label).toEqual(unauthenticated);
      const trpc = await exports.default.fetch(
        new Request(`${origin}/trpc/connectors.list?input=${encodeURIComponent('{}')}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      expect(trpc.status, `${label} (tRPC)`).toBe(401);
    }
  });

  it('fetches a remote JWKS, and fails closed with 503 when the identity provider is down', async () => {
    const org = await newOrganisation();
    const token = await idToken(org.organisationId);
    const remote = await withEnv(
      { JWT_JWKS: '', JWT_JWKS_URL: `${env.JWKS_SERVER_URL}/jwks.json` },
      token,
      org.organisationId,
    );
    expect(remote.status).toBe(200);

    const down = await withEnv(
      { JWT_JWKS: '', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json' },
      token,
      org.organisationId,
    );
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({ code: 'unavailable' });

    const slow = await withEnv(
      { JWT_JWKS: '', JWT_JWKS_URL: `${env.JWKS_SERVER_URL}/slow` },
      token,
      org.organisationId,
    );
    expect(slow.status).toBe(503);

    const unset = await withEnv({ JWT_ISSUER: '' }, token, org.organisationId);
    expect(unset.status).toBe(401);
  });
});
