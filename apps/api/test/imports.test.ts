import type { ErrorBody, ImportHttpConnectorResult } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { newOrganisation, rows } from './helpers';
import { importSession, upload, type Sent } from './import-session';

const shop = {
  openapi: '3.0.3',
  info: { title: 'Shop', version: '2024-01' },
  servers: [{ url: 'https://shop.example.com/v1' }],
  paths: {
    '/orders/{id}': {
      get: {
        operationId: 'getOrder',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'the order',
            headers: { 'X-Rate': { schema: { type: 'integer' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
          },
        },
      },
    },
    '/orders': {
      post: {
        operationId: 'createOrder',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
        responses: { '201': { description: 'created' } },
      },
    },
  },
  components: {
    schemas: {
      Order: {
        type: 'object',
        properties: { id: { type: 'string' }, lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } } },
      },
      Line: { type: 'object', properties: { sku: { type: 'string' } } },
    },
    securitySchemes: {
      key: { type: 'apiKey', name: 'X-Key', in: 'header' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  },
};
const shopYaml = `openapi: 3.0.3
info: { title: Shop, version: "2" }
paths:
  /ping:
    get:
      operationId: ping
      responses: { "204": { description: pong } }
`;

const connectorImport = (o: string) => `/o/${o}/protocols/http/import`;
const versionImport = (o: string, c: string) => `/o/${o}/connector/${c}/http/import`;

function created(sent: Sent): ImportHttpConnectorResult {
  expect(sent.status, JSON.stringify(sent.body).slice(0, 600)).toBe(201);
  return sent.body as ImportHttpConnectorResult;
}

function refused(sent: Sent, status: number, code: string): ErrorBody {
  expect(sent.status, JSON.stringify(sent.body).slice(0, 600)).toBe(status);
  const body = sent.body as ErrorBody;
  expect(body.code).toBe(code);
  return body;
}

/** What the organisation holds: connectors, versions and children, counted. */
async function holdings(organisationId: string) {
  const [row] = await rows<{ connectors: number; versions: number; children: number }>(
    `SELECT (SELECT count(*)::int FROM connectors WHERE organisation_id = $1) AS connectors,
            (SELECT count(*)::int FROM connector_versions v JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1) AS versions,
            (SELECT count(*)::int FROM definitions d JOIN connector_versions v ON v.id = d.version_id JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1)
            + (SELECT count(*)::int FROM actions a JOIN connector_versions v ON v.id = a.version_id JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1)
            + (SELECT count(*)::int FROM triggers t JOIN connector_versions v ON v.id = t.version_id JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1) AS children`,
    [organisationId],
  );
  return row;
}

describe('ImportHTTPConnector', () => {
  it('creates the connector and its first draft version from an uploaded document, in one round trip', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    // The first request of a key looks it up; the import's own round trips are counted after.
    await s.get(`/o/${org.organisationId}/connectors`, org.apiKey);
    const before = await s.databaseRequests();
    const result = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
      ),
    );
    expect(await s.databaseRequests()).toBe(before + 1);
    expect(result.connector).toMatchObject({ name: 'Shop', baseUrl: 'https://shop.example.com/v1' });
    expect(result.connector.versions.map((version) => [version.name, version.publishedAt])).toEqual([
      ['2024-01', null],
    ]);
    expect(result.connector.authSchemeConfigs).toEqual([expect.objectContaining({ id: 'key', schemeType: 'api-key' })]);
    expect(result.actions.map((action) => action.name).sort()).toEqual(['createOrder', 'getOrder']);
    const getOrder = result.actions.find((action) => action.name === 'getOrder');
    expect(getOrder?.path).toBe('/orders/{{ param.id }}');
    expect(getOrder?.responses[0]?.definitions[0]?.definition.name).toBe('Order');
    expect(result.definitions.map((definition) => definition.name).sort()).toEqual(['Line', 'Order']);
    // Order's $ref to Line is a link: Line is referred to by Order.
    const line = result.definitions.find((definition) => definition.name === 'Line');
    expect(line?.referencedBy).toEqual([expect.objectContaining({ name: 'Order' })]);
    // What has no place in a version is reported, not dropped silently.
    const texts = result.messages.map((message) => message.text);
    expect(texts).toContain(
      '/paths/~1orders~1{id}/get/responses/200/headers: response headers are not part of a version',
    );
    expect(
      result.messages.find((message) => message.text.startsWith('/components/securitySchemes/bearer'))?.severity,
    ).toBe('warning');
    // The version reads back as the import answered.
    const listed = await s.get(
      `/o/${org.organisationId}/connectors/${result.connector.id}/versions/2024-01/definitions`,
      org.apiKey,
    );
    expect((listed.body as { totalCount: number }).totalCount).toBe(2);
  });

  it('takes the name and version from the metadata, over the document', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const result = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(
          shopYaml,
          { format: 'openapi', name: 'Pinger', version: 'first', baseUrl: 'https://ping.example.com' },
          'application/yaml',
          'ping.yaml',
        ),
      ),
    );
    expect(result.connector).toMatchObject({ name: 'Pinger', baseUrl: 'https://ping.example.com' });
    expect(result.connector.versions.map((version) => version.name)).toEqual(['first']);
  });

  it('refuses a document without a server URL unless the metadata gives one, writing nothing', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const body = refused(
      await s.send(connectorImport(org.organisationId), org.apiKey, upload(shopYaml, { format: 'openapi' })),
      400,
      'invalid_argument',
    );
    expect(body.fields?.map((field) => field.field)).toEqual(['baseUrl']);
    expect(await holdings(org.organisationId)).toEqual({ connectors: 0, versions: 0, children: 0 });
  });

  it('refuses a title that cannot name a connector, unless the metadata names it', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const text = JSON.stringify({ ...shop, info: { title: 'Shop\u0000', version: '1' } });
    const body = refused(
      await s.send(connectorImport(org.organisationId), org.apiKey, upload(text, { format: 'openapi' })),
      400,
      'invalid_argument',
    );
    expect(body.fields?.map((field) => field.field)).toEqual(['name']);
    created(
      await s.send(connectorImport(org.organisationId), org.apiKey, upload(text, { format: 'openapi', name: 'Shop' })),
    );
  });

  it('refuses an invalid document with the JSON pointer of each problem, writing nothing', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const invalid = {
      ...shop,
      info: { title: 'Shop' },
      paths: { '/a': { get: { responses: { '200': { description: 7 } } } } },
    };
    const body = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(invalid), { format: 'openapi' }),
      ),
      400,
      'invalid_argument',
    );
    expect(body.fields).toEqual([
      { field: 'file', message: '/info: value does not have required property "version"' },
      {
        field: 'file',
        message: '/paths/~1a/get/responses/200/description: value type "number" is invalid. Expected "string"',
      },
    ]);
    expect(body.messages?.map((message) => [message.severity, message.detail])).toEqual([
      ['error', ['/info']],
      ['error', ['/paths/~1a/get/responses/200/description']],
    ]);
    const external = { ...shop, components: { schemas: { Order: { $ref: 'https://evil.example.com/order.json' } } } };
    const refusedExternal = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(external), { format: 'openapi' }),
      ),
      400,
      'invalid_argument',
    );
    expect(refusedExternal.fields?.[0]?.message).toMatch(
      /^\/components\/schemas\/Order\/\$ref: refers to https:\/\/evil/,
    );
    const notYaml = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload('openapi: [3.0\n  : :', { format: 'openapi' }, 'text/plain', 'x.txt'),
      ),
      400,
      'invalid_argument',
    );
    expect(notYaml.fields?.[0]?.message).toMatch(/^\(the document\): is not valid YAML/);
    expect(await holdings(org.organisationId)).toEqual({ connectors: 0, versions: 0, children: 0 });
  });

  it('refuses bad metadata and a missing file by name', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const wrongFormat = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'postman' }),
      ),
      400,
      'invalid_argument',
    );
    expect(wrongFormat.fields?.map((field) => field.field)).toEqual(['metadata.format']);
    const form = new FormData();
    form.append('metadata', JSON.stringify({ format: 'openapi' }));
    const noFile = refused(
      await s.send(connectorImport(org.organisationId), org.apiKey, { form }),
      400,
      'invalid_argument',
    );
    expect(noFile.fields?.map((field) => field.field)).toEqual(['file']);
  });

  it('converts Swagger 2.0 and says so', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const swagger = {
      swagger: '2.0',
      info: { title: 'Pets', version: '1' },
      host: 'pets.example.com',
      schemes: ['https'],
      paths: {
        '/pets': {
          get: {
            operationId: 'listPets',
            produces: ['application/json'],
            responses: {
              '200': { description: 'pets', schema: { type: 'array', items: { $ref: '#/definitions/Pet' } } },
            },
          },
        },
      },
      definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    const result = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(swagger), { format: 'openapi' }),
      ),
    );
    expect(result.connector.baseUrl).toBe('https://pets.example.com');
    expect(result.actions.map((action) => action.name)).toEqual(['listPets']);
    expect(result.definitions.map((definition) => definition.name)).toContain('Pet');
    expect(result.messages[0]).toMatchObject({ severity: 'info', text: expect.stringMatching(/Swagger 2\.0/) });
  });

  it('refuses a schemaURL the deployment may not read (a private address), naming it', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const body = refused(
      await s.send(connectorImport(org.organisationId), org.apiKey, {
        json: { schemaURL: 'https://169.254.169.254/openapi.json', format: 'openapi', filetype: 'json' },
      }),
      400,
      'invalid_argument',
    );
    expect(body.fields?.map((field) => field.field)).toEqual(['schemaURL']);
    refused(
      await s.send(connectorImport(org.organisationId), org.apiKey, { json: { format: 'openapi' } }),
      400,
      'invalid_argument',
    );
  });

  it('is over the connectors quota: refused, nothing written', async () => {
    const s = importSession({ connectorsPerOrganisation: 1 });
    const org = await newOrganisation('import');
    created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
      ),
    );
    const body = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
      ),
      409,
      'quota_exceeded',
    );
    expect(body.limit).toEqual({ name: 'connectorsPerOrganisation', value: 1 });
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 1, children: 4 });
  });

  it('is over the children quota: refused before anything is written', async () => {
    const s = importSession({ childrenPerVersion: 3 });
    const org = await newOrganisation('import');
    const body = refused(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
      ),
      409,
      'quota_exceeded',
    );
    expect(body.limit).toEqual({ name: 'childrenPerVersion', value: 3 });
    expect(await holdings(org.organisationId)).toEqual({ connectors: 0, versions: 0, children: 0 });
  });

  it('replays its answer to a retry with the same Idempotency-Key', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const key = { 'idempotency-key': crypto.randomUUID() };
    const first = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
        key,
      ),
    );
    const retry = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
        key,
      ),
    );
    expect(retry).toEqual(first);
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 1, children: 4 });
  });
});

describe('ImportHTTPConnectorVersion', () => {
  async function withConnector(s: ReturnType<typeof importSession>) {
    const org = await newOrganisation('import');
    const result = created(
      await s.send(
        connectorImport(org.organisationId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi' }),
      ),
    );
    return { org, connectorId: result.connector.id };
  }

  it('adds a draft version from YAML; the name taken is a 409 and writes nothing', async () => {
    const s = importSession();
    const { org, connectorId } = await withConnector(s);
    const result = created(
      await s.send(
        versionImport(org.organisationId, connectorId),
        org.apiKey,
        upload(shopYaml, { format: 'openapi', version: '2' }, 'application/yaml', 'shop.yaml'),
      ),
    );
    expect(result.connector.versions.map((version) => version.name).sort()).toEqual(['2', '2024-01']);
    expect(result.actions.map((action) => action.name)).toEqual(['ping']);
    const again = refused(
      await s.send(
        versionImport(org.organisationId, connectorId),
        org.apiKey,
        upload(JSON.stringify(shop), { format: 'openapi', version: '2' }),
      ),
      409,
      'already_exists',
    );
    expect(again.fields?.map((field) => field.field)).toEqual(['version']);
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 2, children: 5 });
  });

  it('takes the version name as required metadata, and leaves the connector as it is', async () => {
    const s = importSession();
    const { org, connectorId } = await withConnector(s);
    const missing = refused(
      await s.send(versionImport(org.organisationId, connectorId), org.apiKey, upload(shopYaml, { format: 'openapi' })),
      400,
      'invalid_argument',
    );
    expect(missing.fields?.map((field) => field.field)).toEqual(['metadata.version']);
    const other = { ...shop, servers: [{ url: 'https://other.example.com' }] };
    const result = created(
      await s.send(
        versionImport(org.organisationId, connectorId),
        org.apiKey,
        upload(JSON.stringify(other), { format: 'openapi', version: '3' }),
      ),
    );
    expect(result.connector.baseUrl).toBe('https://shop.example.com/v1');
    expect(result.messages.map((message) => message.text)).toContain(
      "servers[0] (https://other.example.com) is not the connector's baseUrl, which a version import leaves as it is",
    );
  });

  it("is a 404 for another organisation's connector, writing nothing", async () => {
    const s = importSession();
    const { org, connectorId } = await withConnector(s);
    const stranger = await newOrganisation('import');
    refused(
      await s.send(
        versionImport(stranger.organisationId, connectorId),
        stranger.apiKey,
        upload(shopYaml, { format: 'openapi', version: 'x' }),
      ),
      404,
      'not_found',
    );
    // Its own organisation in the path, with the stranger's key, is refused too.
    const crossed = await s.send(
      versionImport(org.organisationId, connectorId),
      stranger.apiKey,
      upload(shopYaml, { format: 'openapi', version: 'x' }),
    );
    expect(crossed.status).toBe(404);
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 1, children: 4 });
  });

  it('makes the webhooks of OpenAPI 3.1 triggers', async () => {
    const s = importSession();
    const { org, connectorId } = await withConnector(s);
    const document = {
      openapi: '3.1.0',
      info: { title: 'Shop', version: '3' },
      webhooks: {
        orderPaid: {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Paid' } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
      components: { schemas: { Paid: { type: ['object', 'null'] } } },
    };
    const result = created(
      await s.send(versionImport(org.organisationId, connectorId), org.apiKey, {
        json: { format: 'openapi', version: 'hooks', document: JSON.stringify(document) },
      }),
    );
    expect(result.triggers.map((trigger) => [trigger.name, trigger.method])).toEqual([['orderPaid_post', 'POST']]);
    expect(result.triggers[0]?.requestBody?.definitions[0]?.definition.name).toBe('Paid');
  });

  it('races creates of versions at the versions quota: exactly one of them all adds a version', async () => {
    const s = importSession({ versionsPerConnector: 2 });
    const { org, connectorId } = await withConnector(s);
    const versions = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
    const attempts = await Promise.all([
      ...['i1', 'i2'].map((version) =>
        s.send(
          versionImport(org.organisationId, connectorId),
          org.apiKey,
          upload(JSON.stringify(shop), { format: 'openapi', version }),
        ),
      ),
      ...['c1', 'c2'].map((name) => s.send(versions, org.apiKey, { json: { name } })),
    ]);
    expect(attempts.filter((attempt) => attempt.status === 201)).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status !== 201)) {
      expect(refused(attempt, 409, 'quota_exceeded').limit).toEqual({ name: 'versionsPerConnector', value: 2 });
    }
    // The first import's 4 children, and 4 more only when an import won.
    const importWon = attempts.findIndex((attempt) => attempt.status === 201) < 2;
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 2, children: importWon ? 8 : 4 });
  });

  it('lets one of two concurrent imports of one version name win; the other is a 409', async () => {
    const s = importSession();
    const { org, connectorId } = await withConnector(s);
    const attempts = await Promise.all(
      [shop, { ...shop, paths: {} }].map((document) =>
        s.send(
          versionImport(org.organisationId, connectorId),
          org.apiKey,
          upload(JSON.stringify(document), { format: 'openapi', version: 'race' }),
        ),
      ),
    );
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual([201, 409]);
    const winner = attempts.find((attempt) => attempt.status === 201)?.body as ImportHttpConnectorResult;
    const [counts] = await rows<{ actions: number; definitions: number }>(
      `SELECT (SELECT count(*)::int FROM actions WHERE version_id = v.id) AS actions,
              (SELECT count(*)::int FROM definitions WHERE version_id = v.id) AS definitions
       FROM connector_versions v WHERE v.connector_id = $1 AND v.name = 'race'`,
      [connectorId],
    );
    expect(counts).toEqual({ actions: winner.actions.length, definitions: winner.definitions.length });
  });
});

describe('the tRPC procedures', () => {
  it('import a connector and a version from the document text', async () => {
    const s = importSession();
    const org = await newOrganisation('import');
    const connector = await s.send('/trpc/connectors.import', org.apiKey, {
      json: { format: 'openapi', document: JSON.stringify(shop), name: 'Typed shop' },
    });
    expect(connector.status, JSON.stringify(connector.body).slice(0, 400)).toBe(200);
    const result = (connector.body as { result: { data: ImportHttpConnectorResult } }).result.data;
    expect(result.connector.name).toBe('Typed shop');
    expect(result.actions).toHaveLength(2);
    const version = await s.send('/trpc/connectorVersions.import', org.apiKey, {
      json: {
        connectorId: result.connector.id,
        format: 'openapi',
        version: 'yaml',
        document: shopYaml,
        filetype: 'yaml',
      },
    });
    expect(version.status, JSON.stringify(version.body).slice(0, 400)).toBe(200);
    expect(
      (version.body as { result: { data: ImportHttpConnectorResult } }).result.data.actions.map((a) => a.name),
    ).toEqual(['ping']);
    const invalid = await s.send('/trpc/connectorVersions.import', org.apiKey, {
      json: { connectorId: result.connector.id, format: 'openapi', version: 'bad', document: '{"openapi": "3.0.3"}' },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('document');
    expect(await holdings(org.organisationId)).toEqual({ connectors: 1, versions: 2, children: 5 });
  });
});
