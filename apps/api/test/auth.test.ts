import { generateApiKey } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, newOrganisation, origin, rows, sql } from './helpers';

const unauthenticatedBody = { code: 'unauthenticated', message: 'missing or invalid credentials' };

async function connectorsNamed(name: string) {
  return Number((await rows<{ n: string }>('SELECT count(*) AS n FROM connectors WHERE name = $1', [name]))[0]?.n);
}

describe('authentication', () => {
  it('serves health without credentials', async () => {
    const response = await call('GET', `${origin}/health`);
    expect(response.status).toBe(200);
  });

  it('answers every failed credential with the same 401, and the handler never runs', async () => {
    const org = await newOrganisation();
    const revoked = await newOrganisation();
    await sql.query('UPDATE api_keys SET revoked_at = now() WHERE organisation_id = $1', [revoked.organisationId]);
    const expired = await newOrganisation();
    await sql.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE organisation_id = $1`, [
      expired.organisationId,
    ]);

    const cases: [string, Record<string, string>, string][] = [
      ['no header', {}, org.organisationId],
      ['empty bearer', { authorization: 'Bearer ' }, org.organisationId],
      ['another scheme', { authorization: `Basic ${org.apiKey}` }, org.organisationId],
      ['extra parts after the key', { authorization: `Bearer ${org.apiKey} extra` }, org.organisationId],
      ['malformed key', { authorization: 'Bearer ck_short' }, org.organisationId],
      [
        'bad checksum',
        { authorization: `Bearer ${org.apiKey.slice(0, -1)}${org.apiKey.endsWith('A') ? 'B' : 'A'}` },
        org.organisationId,
      ],
      ['unknown key', { authorization: `Bearer ${await generateApiKey()}` }, org.organisationId],
      ['revoked key', { authorization: `Bearer ${revoked.apiKey}` }, revoked.organisationId],
      ['expired key', { authorization: `Bearer ${expired.apiKey}` }, expired.organisationId],
    ];
    for (const [label, headers, organisationId] of cases) {
      const name = `auth-${crypto.randomUUID()}`;
      const response = await call('POST', `/o/${organisationId}/protocols/http/connectors`, {
        headers,
        body: { name, baseUrl: 'https://example.com' },
      });
      expect(response.status, label).toBe(401);
      expect(response.headers.get('www-authenticate'), label).toBe('Bearer');
      expect(await json(response), label).toEqual(unauthenticatedBody);
      expect(await connectorsNamed(name), label).toBe(0);
    }
  });

  it('never accepts a key in the query string', async () => {
    const org = await newOrganisation();
    for (const param of ['api_key', 'apiKey', 'token', 'access_token']) {
      const response = await call('GET', `/o/${org.organisationId}/connectors?${param}=${org.apiKey}`);
      expect(response.status).toBe(401);
      expect(JSON.stringify(await json(response))).not.toContain(org.apiKey);
    }
  });

  it('checks every REST route, including unknown ones', async () => {
    const paths: [string, string][] = [
      ['POST', '/o/X/protocols/http/connectors'],
      ['GET', '/o/X/connectors'],
      ['GET', '/o/X/connectors/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['POST', '/o/X/connectors/01ARZ3NDEKTSV4RRFFQ69G5FAV/versions'],
      ['GET', '/o/X/connectors/01ARZ3NDEKTSV4RRFFQ69G5FAV/versions'],
      ['GET', '/o/X/connectors/01ARZ3NDEKTSV4RRFFQ69G5FAV/versions/latest'],
      ['GET', '/no/such/route'],
    ];
    for (const [method, path] of paths) {
      const response = await call(method, path, method === 'POST' ? { body: {} } : {});
      expect(response.status, `${method} ${path}`).toBe(401);
    }
  });

  it('refuses tRPC calls without a valid key with 401 and the API code', async () => {
    const response = await call('GET', `${origin}/trpc/connectors.list?input=${encodeURIComponent('{}')}`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const body = await json<{ error: { message: string; data: { apiCode: string } } }>(response);
    expect(body.error.data.apiCode).toBe('unauthenticated');
    expect(body.error.message).toBe('missing or invalid credentials');
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 and wrong methods with 405, in the error body', async () => {
    const org = await newOrganisation();
    const unknown = await call('GET', `/o/${org.organisationId}/nothing-here`, { apiKey: org.apiKey });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toEqual({ code: 'not_found', message: 'no such route' });

    const wrongMethod = await call('PATCH', `/o/${org.organisationId}/connectors`, { apiKey: org.apiKey });
    expect(wrongMethod.status).toBe(405);
    expect(await json(wrongMethod)).toMatchObject({ code: 'method_not_allowed' });
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const org = await newOrganisation();
    const response = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: { name: 'big', baseUrl: 'https://example.com', padding: 'x'.repeat(1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(await json(response)).toMatchObject({ code: 'payload_too_large' });
  });
});
