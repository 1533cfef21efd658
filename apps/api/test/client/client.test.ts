import { sqlClient } from '@connect/db';
import { createOrganisationWithKey } from '@connect/db/seed';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { apiFailureOf, createClient, isApiClientError, type RouterOutputs } from '@connect/client';
import { quickstart } from './quickstart';

const sql = sqlClient(env.DATABASE_URL);

/** A client for a fresh organisation, reaching the Worker in this isolate; counts HTTP requests. */
async function clientForNewOrganisation() {
  const creds = await createOrganisationWithKey(
    async (query, params) => ({ rows: (await sql.query(query, params, { arrayMode: true })) as unknown[][] }),
    `client-${crypto.randomUUID()}`,
  );
  const requests: string[] = [];
  const client = createClient({
    url: 'http://connect.test',
    apiKey: creds.apiKey,
    fetch: (input, init) => {
      const request = new Request(input, init);
      requests.push(request.url);
      return exports.default.fetch(request);
    },
  });
  return { client, requests, ...creds };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isApiClientError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('typed client', () => {
  it('creates a connector and a version, and reads them back', async () => {
    const { client, organisationId } = await clientForNewOrganisation();
    const connector = await client.connectors.create.mutate({ name: 'Shop', baseUrl: 'https://shop.example.com' });
    expect(connector).toMatchObject({ organisationId, name: 'Shop', protocol: 'http', versions: [] });

    const version = await client.connectorVersions.create.mutate({ connectorId: connector.id, name: '1.0.0' });
    expectTypeOf(version).toEqualTypeOf<RouterOutputs['connectorVersions']['create']>();
    expect(version).toMatchObject({ name: '1.0.0', publishedAt: null, isLatest: false, isDefault: false });

    const read = await client.connectorVersions.get.query({ connectorId: connector.id, version: '1.0.0' });
    expect(read).toEqual(version);
    const page = await client.connectorVersions.list.query({ connectorId: connector.id, first: 10 });
    expect(page).toMatchObject({ totalCount: 1, items: [version] });
    const withVersion = await client.connectors.get.query({ connectorId: connector.id });
    expect(withVersion.versions).toEqual([version]);
    const connectors = await client.connectors.list.query({});
    expect(connectors.connectors.map((c) => c.id)).toEqual([connector.id]);
  });

  it('imports a connector and a version from an OpenAPI document', async () => {
    const { client } = await clientForNewOrganisation();
    const document = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Shop', version: '1.0.0' },
      servers: [{ url: 'https://shop.example.com' }],
      paths: { '/orders': { get: { operationId: 'listOrders', responses: { '200': { description: 'ok' } } } } },
    });
    const imported = await client.connectors.import.mutate({ format: 'openapi', document });
    expectTypeOf(imported).toEqualTypeOf<RouterOutputs['connectors']['import']>();
    expect(imported.connector).toMatchObject({ name: 'Shop', baseUrl: 'https://shop.example.com' });
    expect(imported.actions.map((action) => action.name)).toEqual(['listOrders']);
    const next = await client.connectorVersions.import.mutate({
      connectorId: imported.connector.id,
      format: 'openapi',
      version: '1.1.0',
      document: 'openapi: 3.1.0\ninfo: { title: Shop, version: 1.1.0 }\npaths: {}\n',
    });
    expect(next.connector.versions.map((version) => version.name).sort()).toEqual(['1.0.0', '1.1.0']);
    const refused = await failure(
      client.connectorVersions.import.mutate({
        connectorId: imported.connector.id,
        format: 'openapi',
        version: '2',
        document: '{}',
      }),
    );
    expect(apiFailureOf(refused)).toMatchObject({ code: 'invalid_argument' });
  });

  it('batches calls made together into one HTTP request', async () => {
    const { client, requests } = await clientForNewOrganisation();
    const connector = await client.connectors.create.mutate({ name: 'Batch', baseUrl: 'https://batch.example.com' });
    requests.length = 0;
    const [a, b] = await Promise.all([
      client.connectors.get.query({ connectorId: connector.id }),
      client.connectorVersions.list.query({ connectorId: connector.id }),
    ]);
    expect(a.id).toBe(connector.id);
    expect(b.totalCount).toBe(0);
    expect(requests).toHaveLength(1);
  });

  it('reports the API code and field errors', async () => {
    const { client } = await clientForNewOrganisation();
    const connector = await client.connectors.create.mutate({ name: 'Errors', baseUrl: 'https://e.example.com' });

    const reserved = await failure(
      client.connectorVersions.create.mutate({ connectorId: connector.id, name: 'Latest' }),
    );
    expect(reserved.data?.apiCode).toBe('invalid_argument');
    expect(reserved.data?.httpStatus).toBe(400);
    expect(reserved.data?.fields?.map((f) => f.field)).toEqual(['name']);

    await client.connectorVersions.create.mutate({ connectorId: connector.id, name: '1' });
    const duplicate = await failure(client.connectorVersions.create.mutate({ connectorId: connector.id, name: '1' }));
    expect(duplicate.data?.apiCode).toBe('already_exists');
    expect(duplicate.data?.httpStatus).toBe(409);

    const source = await failure(
      client.connectorVersions.create.mutate({ connectorId: connector.id, name: '2', fromVersion: 'nope' }),
    );
    expect(source.data?.apiCode).toBe('invalid_argument');
    expect(source.data?.fields?.map((f) => f.field)).toEqual(['fromVersion']);

    const missing = await failure(client.connectors.get.query({ connectorId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }));
    expect(missing.data?.apiCode).toBe('not_found');
    expect(missing.message).toBe('connector not found');
  });

  it('builds a version’s children, and reports a refused delete with what still refers to it', async () => {
    const { client } = await clientForNewOrganisation();
    const connector = await client.connectors.create.mutate({ name: 'Children', baseUrl: 'https://c.example.com' });
    const at = { connectorId: connector.id, version: '1' };
    await client.connectorVersions.create.mutate({ connectorId: connector.id, name: '1' });
    const schema = { contentType: 'application/schema+json', content: '{"type":"object"}' };
    const { definitions } = await client.definitions.create.mutate({
      ...at,
      definitions: [{ name: 'Order', accept: ['application/json'], schema }],
    });
    const action = await client.actions.create.mutate({
      ...at,
      type: 'http',
      name: 'getOrder',
      method: 'GET',
      path: '/orders',
      responses: [{ status: 200, definitions: [{ definition: { id: definitions[0]?.id ?? '' } }] }],
    });
    expect(action.responses[0]?.definitions[0]?.definition.name).toBe('Order');
    const page = await client.actions.list.query({ ...at, name: 'order' });
    expect(page.actions.map((a) => a.id)).toEqual([action.id]);

    let caught: unknown;
    try {
      await client.definitions.deleteMany.mutate({ ...at, all: true });
    } catch (error) {
      caught = error;
    }
    expect(apiFailureOf(caught)).toMatchObject({
      code: 'failed_precondition',
      status: 412,
      definitions: [{ name: 'Order', referencedBy: [{ type: 'action', name: 'getOrder' }] }],
    });
    const invalid = await client.actions.create
      .mutate({ ...at, type: 'http', name: 'x', method: 'GET', path: '/', responses: [{ status: 99 }] })
      .catch(apiFailureOf);
    expect(invalid).toMatchObject({
      code: 'invalid_argument',
      status: 400,
      fields: [{ field: 'responses[0].status' }],
    });
    expect(apiFailureOf(new Error('not from the API'))).toBeNull();
  });

  it('passes entity tags: getTagged reads a tag, ifMatch makes a change conditional (412 when stale)', async () => {
    const { client } = await clientForNewOrganisation();
    const connector = await client.connectors.create.mutate({ name: 'Tags', baseUrl: 'https://tags.example.com' });
    await client.connectorVersions.create.mutate({ connectorId: connector.id, name: '1' });
    const at = { connectorId: connector.id, version: '1' };
    await client.definitions.create.mutate({
      ...at,
      definitions: [
        { name: 'Note', accept: ['application/json'], schema: { contentType: 'application/json', content: '{}' } },
      ],
    });

    const read = await client.definitions.getTagged.query({ ...at, definitionName: 'Note' });
    expect(read.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(read.body.name).toBe('Note');
    const changed = { ...at, definitionName: 'Note', accept: ['application/json'], description: 'First' };
    await client.definitions.update.mutate({ ...changed, ifMatch: read.etag });
    const stale = await failure(
      client.definitions.update.mutate({ ...changed, description: 'Lost', ifMatch: read.etag }),
    );
    expect(stale.data?.apiCode).toBe('failed_precondition');
    expect(stale.data?.httpStatus).toBe(412);
    expect((await client.definitions.get.query({ ...at, definitionName: 'Note' })).description).toBe('First');
    const notDeleted = await failure(
      client.definitions.delete.mutate({ ...at, definitionName: 'Note', ifMatch: read.etag }),
    );
    expect(notDeleted.data?.apiCode).toBe('failed_precondition');

    const version = await client.connectorVersions.getTagged.query(at);
    const staleCopy = await failure(
      client.connectorVersions.create.mutate({
        connectorId: connector.id,
        name: '2',
        fromVersion: '1',
        fromVersionIfMatch: read.etag,
      }),
    );
    expect(staleCopy.data?.apiCode).toBe('failed_precondition');
    await client.connectorVersions.create.mutate({
      connectorId: connector.id,
      name: '2',
      fromVersion: '1',
      fromVersionIfMatch: version.etag,
    });
    const published = await client.connectorVersions.publish.mutate({ ...at, ifMatch: version.etag });
    expect(published.version.publishedAt).not.toBeNull();

    const tagged = await client.connectors.getTagged.query({ connectorId: connector.id });
    const bad = await failure(
      client.connectors.update.mutate({
        connectorId: connector.id,
        name: 'x',
        baseUrl: 'https://x.example.com',
        ifMatch: 'W/"1"',
      }),
    );
    expect(bad.data?.fields?.map((f) => f.field)).toEqual(['ifMatch']);
    const renamed = await client.connectors.update.mutate({
      connectorId: connector.id,
      name: 'Tags 2',
      baseUrl: 'https://tags.example.com',
      ifMatch: tagged.etag,
    });
    expect(renamed.name).toBe('Tags 2');
    expect((await client.connectors.getTagged.query({ connectorId: connector.id })).etag).not.toBe(tagged.etag);
  });

  it('sends an id_token as the bearer credential', async () => {
    const seen: (string | null)[] = [];
    const client = createClient({
      url: 'http://connect.test/',
      token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(request.headers.get('authorization'));
        return exports.default.fetch(request);
      },
    });
    const failure = await client.connectors.list.query({}).catch(apiFailureOf);
    expect(seen).toEqual(['Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln']);
    expect(failure).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('runs the README example: create, add an action, copy, publish, read latest', async () => {
    const creds = await createOrganisationWithKey(
      async (query, params) => ({ rows: (await sql.query(query, params, { arrayMode: true })) as unknown[][] }),
      `quickstart-${crypto.randomUUID()}`,
    );
    const { version, latest } = await quickstart({
      url: 'http://connect.test',
      apiKey: creds.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    expect(version).toMatchObject({ name: '1.1.0', isLatest: true });
    expect(latest).toMatchObject({
      name: 'getOrder',
      responses: [{ status: 200, definitions: [{ definition: { name: 'Order' } }] }],
    });
  });

  it('is refused with a 401 and no data when the key is wrong', async () => {
    const client = createClient({
      url: 'http://connect.test',
      apiKey: 'ck_' + 'A'.repeat(43),
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const error = await failure(client.connectors.list.query({}));
    expect(error.data?.apiCode).toBe('unauthenticated');
    expect(error.data?.httpStatus).toBe(401);
  });

  it('rejects wrong inputs at compile time', () => {
    const { connectorVersions } = createClient({ url: 'http://connect.test', apiKey: 'unused' });
    // @ts-expect-error name is required
    expectTypeOf(connectorVersions.create.mutate).toBeCallableWith({ connectorId: 'x' });
    // @ts-expect-error name must be a string
    expectTypeOf(connectorVersions.create.mutate).toBeCallableWith({ connectorId: 'x', name: 1 });
    expectTypeOf(connectorVersions.create.mutate).toBeCallableWith({
      connectorId: 'x',
      name: '1',
      fromVersion: 'latest',
    });
  });
});
