import { sqlClient } from '@connect/db';
import { createOrganisationWithKey } from '@connect/db/seed';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, isApiClientError, type RouterOutputs } from '../src';

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

    const reserved = await failure(client.connectorVersions.create.mutate({ connectorId: connector.id, name: 'Latest' }));
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
    expectTypeOf(connectorVersions.create.mutate).toBeCallableWith({ connectorId: 'x', name: '1', fromVersion: 'latest' });
  });
});
