import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { call, json, organisation, origin, restRoot } from './helpers';

const page = 'https://app.example.org';

/** A preflight as a browser sends it, with its own `application_name` so its database requests can be counted. */
async function preflight(url: string, method: string, headers: string) {
  const tag = `cors-${crypto.randomUUID()}`;
  const request = new Request(url, {
    method: 'OPTIONS',
    headers: { origin: page, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request,
    { ...env, DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}` },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const log = await json<{ requests: number }>(await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`));
  return { response, databaseRequests: log.requests };
}

describe('calls from browser pages on other origins (CORS)', () => {
  it('answers preflights for REST and tRPC without credentials and without touching the database', async () => {
    for (const [url, method] of [
      [`${restRoot}/o/any/connectors/any/versions/1`, 'PUT'],
      [`${restRoot}/o/any/connectors/any`, 'DELETE'],
      [`${origin}/trpc/connectors.list,connectorVersions.get`, 'GET'],
      [`${origin}/trpc/connectorVersions.create`, 'POST'],
    ] as const) {
      const { response, databaseRequests } = await preflight(url, method, 'authorization, content-type, x-request-id');
      expect(response.status, url).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain(method);
      expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual([
        'authorization',
        'content-type',
        'x-request-id',
      ]);
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      // Any origin is safe only because no credentials (cookies) are ever allowed.
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(databaseRequests).toBe(0);
    }
  });

  it('lets the page read answers and errors alike, the WWW-Authenticate challenge and Retry-After included', async () => {
    const org = await organisation();
    const listed = await call('GET', `/o/${org.organisationId}/connectors`, {
      apiKey: org.apiKey,
      headers: { origin: page },
    });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('*');

    const refused = await call('GET', `/o/${org.organisationId}/connectors`, {
      apiKey: 'ck_wrong',
      headers: { origin: page },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toBe(
      'WWW-Authenticate,Retry-After,ETag,Idempotent-Replayed,Deprecation,Sunset,Link',
    );
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');

    const invalid = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: { name: '' },
      headers: { origin: page },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('access-control-allow-origin')).toBe('*');
  });
});
