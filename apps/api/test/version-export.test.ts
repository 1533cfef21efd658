import { apiFailureOf, createClient } from '@connect/client';
import { importOpenApi } from '@connect/openapi-import';
import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import worker from '../src/index';
import { jsonDefinition, orderAction, orderWorkspace, type Workspace } from './children';
import { call, json, organisation, restRoot } from './helpers';

type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

/** Version 1 of the order workspace, with its action: published unless `draft`. */
async function exported(draft = false): Promise<Workspace> {
  const w = await orderWorkspace();
  await w.action('1', orderAction());
  if (!draft) expect((await w.publish('1')).status).toBe(200);
  return w;
}

const get = (w: Workspace, version: string, format = 'json', headers: Record<string, string> = {}) =>
  call('GET', w.path(version, `/openapi.${format}`), { apiKey: w.org.apiKey, headers });

/** The database round trips of one request, counted by the local SQL endpoint (see round-trips.test.ts). */
async function roundTripsOf(w: Workspace, path: string): Promise<{ status: number; requests: number; body: string }> {
  const tag = `export-${crypto.randomUUID()}`;
  const taggedEnv = {
    ...env,
    DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}`,
    API_KEY_CACHE_SECONDS: '600',
  };
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${restRoot}${path}`, { headers: { authorization: `Bearer ${w.org.apiKey}` } }),
    taggedEnv,
    ctx,
  );
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  const log = await json<{ requests: number }>(await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`));
  return { status: response.status, requests: log.requests, body };
}

describe('GET …/versions/{version}/openapi.json', () => {
  it('answers the version as an OpenAPI 3.1 document with a strong ETag; If-None-Match gives 304', async () => {
    const w = await exported(true);
    const response = await get(w, '1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const document = await json<Document>(response);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Example', version: '1' });
    expect(document.paths['/orders/{shop}']?.post).toMatchObject({
      operationId: 'createOrder',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
      },
    });
    expect(document.components.schemas.Order).toMatchObject({
      properties: { customer: { $ref: '#/components/schemas/Customer' } },
    });
    const again = await get(w, '1', 'json', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('builds a draft from the database every time, and a change shows at once with a new ETag', async () => {
    const w = await exported(true);
    const first = await get(w, '1');
    expect(first.headers.get('x-export-cache')).toBe('miss');
    await w.definitions('1', [jsonDefinition('Extra')]);
    const second = await get(w, '1');
    expect(second.headers.get('x-export-cache')).toBe('miss');
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(Object.keys((await json<Document>(second)).components.schemas)).toContain('Extra');
  });

  it('keeps a published version: the repeated export is identical and costs no database round trip', async () => {
    const w = await exported();
    const path = w.path('1', '/openapi.json');
    const cold = await roundTripsOf(w, path);
    expect(cold.status).toBe(200);
    expect(cold.requests).toBeGreaterThanOrEqual(1);
    const warm = await roundTripsOf(w, path);
    expect(warm.status).toBe(200);
    expect(warm.requests).toBe(0);
    expect(warm.body).toBe(cold.body);
    const hit = await get(w, '1');
    expect(hit.headers.get('x-export-cache')).toBe('hit');
    expect(await get(w, '1', 'json', { 'if-none-match': hit.headers.get('etag') ?? '' })).toHaveProperty('status', 304);
  });

  it('forgets a kept export when the version is unpublished, and when the connector changes', async () => {
    const w = await exported();
    await get(w, '1');
    expect((await get(w, '1')).headers.get('x-export-cache')).toBe('hit');
    expect((await w.send('POST', w.path('1', '/unpublish'))).status).toBe(200);
    const draft = await get(w, '1');
    expect(draft.headers.get('x-export-cache')).toBe('miss');
    await w.definitions('1', [jsonDefinition('AfterUnpublish')]);
    expect(Object.keys((await json<Document>(await get(w, '1'))).components.schemas)).toContain('AfterUnpublish');

    expect((await w.publish('1')).status).toBe(200);
    await get(w, '1');
    expect((await get(w, '1')).headers.get('x-export-cache')).toBe('hit');
    const renamed = await w.send('PUT', `/o/${w.org.organisationId}/connectors/${w.connectorId}`, {
      name: 'Renamed',
      baseUrl: 'https://api.example.com',
    });
    expect(renamed.status).toBe(200);
    const fresh = await get(w, '1');
    expect(fresh.headers.get('x-export-cache')).toBe('miss');
    expect((await json<Document>(fresh)).info.title).toBe('Renamed');
  });

  it('forgets it when the version is deleted with force', async () => {
    const w = await exported();
    await get(w, '1');
    expect((await w.send('DELETE', `${w.path('1')}?force=true`)).status).toBe(204);
    expect((await get(w, '1')).status).toBe(404);
  });

  it('never serves another organisation, not even a kept document', async () => {
    const w = await exported();
    expect((await get(w, '1')).status).toBe(200);
    expect((await get(w, '1')).headers.get('x-export-cache')).toBe('hit');
    const stranger = await organisation();
    const foreign = await call('GET', w.path('1', '/openapi.json'), { apiKey: stranger.apiKey });
    expect(foreign.status).toBe(404);
    const ownPath = w.path('1', '/openapi.json').replace(w.org.organisationId, stranger.organisationId);
    const own = await call('GET', ownPath, { apiKey: stranger.apiKey });
    expect(own.status).toBe(404);
    expect(await own.text()).not.toContain('openapi');
  });

  it('serves latest and default from the database, so a publish shows at once', async () => {
    const w = await exported();
    const latest = await get(w, 'latest');
    expect(latest.headers.get('x-export-cache')).toBe('miss');
    expect((await json<Document>(latest)).info.version).toBe('1');
    await w.version('2', '1');
    expect((await w.publish('2')).status).toBe(200);
    const moved = await get(w, 'latest');
    expect(moved.headers.get('x-export-cache')).toBe('miss');
    expect((await json<Document>(moved)).info.version).toBe('2');
  });

  it('keeps the deprecation headers of a deprecated version (which is never kept)', async () => {
    const w = await exported();
    await w.version('2', '1');
    expect((await w.publish('2')).status).toBe(200);
    await get(w, '1');
    const deprecatedAt = '2026-01-15T09:30:00.000Z';
    expect((await w.send('PUT', w.path('1'), { deprecatedAt })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const response = await get(w, '1');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-export-cache')).toBe('miss');
      expect(response.headers.get('deprecation')).toBe(`@${String(Date.parse(deprecatedAt) / 1000)}`);
      expect(response.headers.get('link')).toContain('rel="successor-version"');
    }
  });

  it('answers 404 for a version or connector that does not exist', async () => {
    const w = await exported(true);
    expect((await get(w, 'nope')).status).toBe(404);
    expect((await get(w, 'latest')).status).toBe(404);
  });
});

describe('GET …/versions/{version}/openapi.yaml', () => {
  it('is the same document in YAML, with its own ETag, kept like the JSON', async () => {
    const w = await exported();
    const fromJson = await json<Document>(await get(w, '1'));
    const response = await get(w, '1', 'yaml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    const text = await response.text();
    expect(parse(text)).toEqual(fromJson);
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/-yaml"$/);
    const again = await get(w, '1', 'yaml');
    expect(again.headers.get('x-export-cache')).toBe('hit');
    expect(await again.text()).toBe(text);
    expect((await get(w, '1', 'yaml', { 'if-none-match': etag })).status).toBe(304);
  });
});

describe('the typed client: versionExports.get', () => {
  it('answers the same document as the REST route, and not_found for a version that does not exist', async () => {
    const w = await exported();
    const client = createClient({
      url: 'http://connect.test',
      apiKey: w.org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const document = await client.versionExports.get.query({ connectorId: w.connectorId, version: '1' });
    expect(document).toEqual(await json(await get(w, '1')));
    const missing = await client.versionExports.get
      .query({ connectorId: w.connectorId, version: 'nope' })
      .catch(apiFailureOf);
    expect(missing).toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('import of the export', () => {
  it('gives back the stored version: its action, its definitions, their links', async () => {
    const w = await exported(true);
    const document: unknown = await json(await get(w, '1'));
    const back = importOpenApi(document);
    if ('problems' in back) throw new Error(JSON.stringify(back.problems));
    expect(back.unmapped).toEqual([]);
    expect(back.baseUrl).toBe('https://api.example.com');
    expect(back.actions).toEqual([
      {
        type: 'http',
        name: 'createOrder',
        summary: 'Create an order',
        method: 'POST',
        path: '/orders/{{ param.shop }}',
        parameters: [{ name: 'shop', in: 'path', required: true, type: 'string', default: undefined }],
        requestBody: { required: true, definitions: [{ definition: { name: 'Order' } }] },
        responses: [
          { status: 201, definitions: [{ definition: { name: 'Order' } }] },
          { status: null, definitions: [{ definition: { name: 'Error' } }] },
        ],
      },
    ]);
    const stored = [
      jsonDefinition('Customer', ['Order']),
      jsonDefinition('Error'),
      jsonDefinition('Order', ['Customer']),
    ];
    expect(back.definitions.map((d) => ({ name: d.name, schema: JSON.parse(d.schema.content) as unknown }))).toEqual(
      stored.map((d) => ({ name: d.name, schema: JSON.parse(d.schema.content) as unknown })),
    );
  });
});
