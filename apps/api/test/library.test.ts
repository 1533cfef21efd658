import { createClient } from '@connect/client';
import type { Action, Connector, ConnectorPage, Definition, DefinitionPage, ErrorBody } from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction } from './children';
import { call, json, organisation, rows, type Organisation } from './helpers';

/** A connector of `owner`, public or not, with versions (created in order) published or left as drafts. */
async function libraryConnector(
  owner: Organisation,
  options: { name: string; public: boolean; versions: { name: string; published: boolean }[] },
): Promise<string> {
  const response = await call('POST', `/o/${owner.organisationId}/protocols/http/connectors`, {
    apiKey: owner.apiKey,
    body: {
      name: options.name,
      baseUrl: 'https://api.shop.example.com',
      public: options.public,
      documentationURL: 'https://docs.shop.example.com',
      tags: { kind: ['commerce'] },
      connectionVariables: [{ name: 'region', value: 'eu' }],
      authSchemeConfigs: [{ id: 'key', schemeType: 'api-key', name: 'X-Key', in: 'header' }],
    },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const { id } = await json<Connector>(response);
  const path = (version: string, rest = '') =>
    `/o/${owner.organisationId}/connectors/${id}/versions/${encodeURIComponent(version)}${rest}`;
  for (const version of options.versions) {
    expect((await owner.createVersion(id, { name: version.name })).status).toBe(201);
    const created = await call('POST', path(version.name, '/definitions'), {
      apiKey: owner.apiKey,
      body: {
        definitions: [jsonDefinition('Order', ['Customer']), jsonDefinition('Customer'), jsonDefinition('Error')],
      },
    });
    expect(created.status).toBe(201);
    const [order] = (await json<{ definitions: Definition[] }>(created)).definitions;
    // A schema linking a definition by its URL: a copy must make it name the copy's own definition.
    const byUrl = await call('POST', path(version.name, '/definitions'), {
      apiKey: owner.apiKey,
      body: {
        definitions: [
          {
            name: 'OrderList',
            accept: ['application/json'],
            schema: {
              contentType: 'application/schema+json',
              content: JSON.stringify({ type: 'array', items: { $ref: order?.url } }),
            },
          },
        ],
      },
    });
    expect(byUrl.status).toBe(201);
    const action = await call('POST', path(version.name, '/actions'), { apiKey: owner.apiKey, body: orderAction() });
    expect(action.status).toBe(201);
    if (version.published) {
      const published = await call('POST', path(version.name, '/publish'), { apiKey: owner.apiKey });
      expect(published.status, await published.clone().text()).toBe(200);
    }
  }
  return id;
}

const libraryPage = async (caller: Organisation, query: string): Promise<ConnectorPage> => {
  const response = await call('GET', `/connectors?${query}`, { apiKey: caller.apiKey });
  expect(response.status).toBe(200);
  return json<ConnectorPage>(response);
};

const importPath = (caller: Organisation, connectorId: string, version: string) =>
  `/o/${caller.organisationId}/connectors/${connectorId}/versions/${encodeURIComponent(version)}/library/import`;

const importVersion = (caller: Organisation, connectorId: string, version: string) =>
  call('POST', importPath(caller, connectorId, version), { apiKey: caller.apiKey });

describe('ListPublicConnectors', () => {
  it('lists public connectors of every organisation with their published versions only, filtered as ListConnectors is', async () => {
    const owner = await organisation();
    const reader = await organisation();
    const tag = crypto.randomUUID();
    const shown = await libraryConnector(owner, {
      name: `Shop ${tag}`,
      public: true,
      versions: [
        { name: '1.0.0', published: true },
        { name: '2.0.0-draft', published: false },
      ],
    });
    await libraryConnector(owner, {
      name: `Private ${tag}`,
      public: false,
      versions: [{ name: '1', published: true }],
    });
    await libraryConnector(owner, {
      name: `Unpublished ${tag}`,
      public: true,
      versions: [{ name: '1', published: false }],
    });

    const page = await libraryPage(reader, `name=${encodeURIComponent(tag)}`);
    expect(page.connectors.map((c) => c.id)).toEqual([shown]);
    expect(page.totalCount).toBe(1);
    const [listed] = page.connectors;
    expect(listed).toMatchObject({ organisationId: owner.organisationId, public: true, name: `Shop ${tag}` });
    expect(listed?.versions.map((v) => v.name)).toEqual(['1.0.0']);

    // The owner sees the same library; filters narrow it.
    expect((await libraryPage(owner, `name=${encodeURIComponent(`shop ${tag}`)}`)).connectors).toHaveLength(1);
    expect((await libraryPage(reader, `name=${encodeURIComponent(tag)}&tags=kind:retail`)).connectors).toEqual([]);

    // Making a connector private takes it out of the library at once.
    const hidden = await call('PUT', `/o/${owner.organisationId}/connectors/${shown}`, {
      apiKey: owner.apiKey,
      body: { name: `Shop ${tag}`, baseUrl: 'https://api.shop.example.com', public: false },
    });
    expect(hidden.status, await hidden.clone().text()).toBe(200);
    expect((await libraryPage(reader, `name=${encodeURIComponent(tag)}`)).connectors).toEqual([]);
  });

  it('needs a credential, like every other operation', async () => {
    expect((await call('GET', '/connectors')).status).toBe(401);
  });
});

describe('ImportPublicConnectorVersion', () => {
  it("copies a published version into the caller's organisation as a self-contained draft", async () => {
    const owner = await organisation();
    const importer = await organisation();
    const source = await libraryConnector(owner, {
      name: `Shop ${crypto.randomUUID()}`,
      public: true,
      versions: [{ name: '1.0.0', published: true }],
    });

    const response = await importVersion(importer, source, '1.0.0');
    expect(response.status, await response.clone().text()).toBe(200);
    const copy = await json<Connector>(response);
    expect(copy.id).not.toBe(source);
    expect(copy).toMatchObject({
      organisationId: importer.organisationId,
      public: false,
      baseUrl: 'https://api.shop.example.com',
      documentationURL: 'https://docs.shop.example.com',
      tags: { kind: ['commerce'] },
      connectionVariables: [{ name: 'region', value: 'eu' }],
      authSchemeConfigs: [{ id: 'key', schemeType: 'api-key', name: 'X-Key', in: 'header' }],
    });
    expect(copy.versions).toHaveLength(1);
    expect(copy.versions[0]).toMatchObject({ name: '1.0.0', publishedAt: null, isLatest: false });

    // The copy is the importer's own connector: readable and writable there.
    const read = await call('GET', `/o/${importer.organisationId}/connectors/${copy.id}`, { apiKey: importer.apiKey });
    expect(read.status).toBe(200);
    expect((await json<Connector>(read)).versions.map((v) => v.name)).toEqual(['1.0.0']);

    // Every child came along; links by URL name the copy's definitions, never the owner's.
    const base = `/o/${importer.organisationId}/connectors/${copy.id}/versions/1.0.0`;
    const definitions = await json<DefinitionPage>(
      await call('GET', `${base}/definitions`, { apiKey: importer.apiKey }),
    );
    expect(definitions.definitions.map((d) => d.name).sort()).toEqual(['Customer', 'Error', 'Order', 'OrderList']);
    const order = definitions.definitions.find((d) => d.name === 'Order');
    const list = definitions.definitions.find((d) => d.name === 'OrderList');
    expect(order?.url).toContain(`/o/${importer.organisationId}/schemas/${copy.id}/1.0.0/`);
    expect(JSON.parse(list?.schema.content ?? '{}')).toEqual({ type: 'array', items: { $ref: order?.url } });
    expect(list?.schema.content).not.toContain(owner.organisationId);
    const action = await json<Action>(await call('GET', `${base}/actions/createOrder`, { apiKey: importer.apiKey }));
    expect(action.requestBody?.definitions.map((d) => d.definition.name)).toEqual(['Order']);

    // The draft publishes in the importer's organisation, and the owner's connector is untouched.
    expect((await call('POST', `${base}/publish`, { apiKey: importer.apiKey })).status).toBe(200);
    const owned = await json<Connector>(
      await call('GET', `/o/${owner.organisationId}/connectors/${source}`, { apiKey: owner.apiKey }),
    );
    expect(owned.versions.map((v) => v.name)).toEqual(['1.0.0']);
  });

  it('adds later versions to the connector the first import made, and refuses a version imported twice', async () => {
    const owner = await organisation();
    const importer = await organisation();
    const source = await libraryConnector(owner, {
      name: `Shop ${crypto.randomUUID()}`,
      public: true,
      versions: [
        { name: '1', published: true },
        { name: '2', published: false },
      ],
    });
    const first = await json<Connector>(await importVersion(importer, source, '1'));

    const again = await importVersion(importer, source, '1');
    expect(again.status).toBe(409);
    expect(await json<ErrorBody>(again)).toMatchObject({ code: 'already_exists', fields: [{ field: 'version' }] });

    // A draft is not in the library; once published, `latest` names it.
    expect((await importVersion(importer, source, '2')).status).toBe(404);
    const published = await call('POST', `/o/${owner.organisationId}/connectors/${source}/versions/2/publish`, {
      apiKey: owner.apiKey,
    });
    expect(published.status).toBe(200);
    const second = await importVersion(importer, source, 'latest');
    expect(second.status, await second.clone().text()).toBe(200);
    const updated = await json<Connector>(second);
    expect(updated.id).toBe(first.id);
    expect(updated.versions.map((v) => v.name)).toEqual(['2', '1']);
    const mine = await rows<{ count: number }>(
      'SELECT count(*)::int AS count FROM connectors WHERE organisation_id = $1',
      [importer.organisationId],
    );
    expect(mine[0]?.count).toBe(1);
  });

  it('refuses what is not in the library: private connectors, unknown ones and drafts (404, nothing written)', async () => {
    const owner = await organisation();
    const importer = await organisation();
    const privateOne = await libraryConnector(owner, {
      name: `Private ${crypto.randomUUID()}`,
      public: false,
      versions: [{ name: '1', published: true }],
    });
    for (const [connectorId, version] of [
      [privateOne, '1'],
      ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '1'],
      [privateOne, 'latest'],
    ] as const) {
      const response = await importVersion(importer, connectorId, version);
      expect(response.status).toBe(404);
      expect((await json<ErrorBody>(response)).code).toBe('not_found');
    }
    // Another organisation's path is never the caller's, public or not.
    const foreign = await call('POST', importPath(owner, privateOne, '1'), { apiKey: importer.apiKey });
    expect(foreign.status).toBe(404);
    const written = await rows<{ count: number }>(
      'SELECT count(*)::int AS count FROM connectors WHERE organisation_id = $1',
      [importer.organisationId],
    );
    expect(written[0]?.count ?? 0).toBe(0);
  });

  it('leaves a public connector read-only to other organisations', async () => {
    const owner = await organisation();
    const other = await organisation();
    const source = await libraryConnector(owner, {
      name: `Shop ${crypto.randomUUID()}`,
      public: true,
      versions: [{ name: '1', published: true }],
    });
    for (const organisationId of [other.organisationId, owner.organisationId]) {
      const path = `/o/${organisationId}/connectors/${source}`;
      expect((await call('GET', path, { apiKey: other.apiKey })).status).toBe(404);
      expect(
        (await call('PUT', path, { apiKey: other.apiKey, body: { name: 'Taken', baseUrl: 'https://x.example.com' } }))
          .status,
      ).toBe(404);
      expect((await call('DELETE', path, { apiKey: other.apiKey })).status).toBe(404);
      expect((await call('POST', `${path}/versions/1/unpublish`, { apiKey: other.apiKey })).status).toBe(404);
    }
  });

  it('two first imports racing make one connector holding both versions', async () => {
    const owner = await organisation();
    const importer = await organisation();
    const source = await libraryConnector(owner, {
      name: `Shop ${crypto.randomUUID()}`,
      public: true,
      versions: [
        { name: 'a', published: true },
        { name: 'b', published: true },
      ],
    });
    const [a, b] = await Promise.all([importVersion(importer, source, 'a'), importVersion(importer, source, 'b')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const ids = new Set([(await json<Connector>(a)).id, (await json<Connector>(b)).id]);
    expect(ids.size).toBe(1);
    const versions = await rows<{ name: string }>(
      'SELECT v.name FROM connector_versions v JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1 ORDER BY v.name',
      [importer.organisationId],
    );
    expect(versions.map((v) => v.name)).toEqual(['a', 'b']);
  });

  it('keeps the copy when the public connector is deleted, and works through the typed client', async () => {
    const owner = await organisation();
    const importer = await organisation();
    const name = `Shop ${crypto.randomUUID()}`;
    const source = await libraryConnector(owner, { name, public: true, versions: [{ name: '1', published: true }] });
    const client = createClient({
      url: 'http://connect.test',
      apiKey: importer.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const page = await client.library.list.query({ name });
    expect(page.connectors.map((c) => c.id)).toEqual([source]);
    const copy = await client.library.importVersion.mutate({ connectorId: source, version: 'default' });
    expect(copy.versions.map((v) => v.name)).toEqual(['1']);

    const deleted = await call('DELETE', `/o/${owner.organisationId}/connectors/${source}?force=true`, {
      apiKey: owner.apiKey,
    });
    expect(deleted.status).toBe(204);
    const kept = await call('GET', `/o/${importer.organisationId}/connectors/${copy.id}/versions/1/definitions`, {
      apiKey: importer.apiKey,
    });
    expect(kept.status).toBe(200);
    expect((await json<DefinitionPage>(kept)).definitions).toHaveLength(4);
  });
});
