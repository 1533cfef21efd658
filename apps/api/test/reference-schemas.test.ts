import { Validator, type Schema } from '@cfworker/json-schema';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// The reference's own OpenAPI document, copied into the repository as a test fixture.
import referenceText from './fixtures/versori-connect-api-v1.yaml?raw';
import { call, json, organisation, restRoot } from './helpers';

interface Document {
  components: { schemas: Record<string, Schema> };
}

const reference = parse(referenceText) as Document;

/**
 * `nullable: true` (OpenAPI 3.0, though the reference declares 3.1) as JSON Schema says it (`type: [t, "null"]`): the validator reads
 * JSON Schema, and would otherwise refuse the `null` the reference allows (a draft's `publishedAt`).
 */
function nullableAsType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableAsType);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableAsType(value)] as const);
  const out: Record<string, unknown> = Object.fromEntries(entries);
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  return out;
}

const defs = nullableAsType(
  JSON.parse(JSON.stringify(reference.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/')),
) as Record<string, Schema>;

const validate = (name: string, value: unknown) =>
  new Validator({ $ref: `#/$defs/${name}`, $defs: defs }, '2020-12', false).validate(value);

/** Asserts `value` is valid under the reference's schema `name`. */
function expectReference(name: string, value: unknown): void {
  expect(validate(name, value).errors.slice(-6), `${name}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
}

/** A PEM block of random bytes (well-formed PEM, which is what is checked). */
function pemBlock(label: string) {
  const base64 = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(64))));
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----`;
}

// Responses of the connection and auth-scheme-config routes, validated against the reference's
// schemas. Credentials of type basic-auth are left out: the reference's Credential `data` is a
// oneOf in which basic-auth and oauth2-password data have the same shape, so no value of either
// can be valid under it.
describe("the authentication routes' answers, under the reference's own schemas", () => {
  it('Connector with auth scheme configs, Connection, its page and Error', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const created = await call('POST', `${o}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: {
        name: 'Shop',
        baseUrl: 'https://shop.example.com',
        authSchemeConfigs: [
          { id: 'none', description: '', schemeType: 'none' },
          { id: 'key', description: 'key', schemeType: 'api-key', name: 'X-Key', in: 'query' },
          { id: 'basic', description: '', schemeType: 'basic-auth' },
          {
            id: 'oauth',
            description: '',
            schemeType: 'oauth2',
            authorizeUrl: 'https://auth.example.com/authorize',
            tokenUrl: 'https://auth.example.com/token',
            scopes: [{ name: 'read' }],
            defaultScopes: ['read'],
            grant: { grantType: 'client_credentials' },
          },
          {
            id: 'hook',
            description: '',
            schemeType: 'hmac',
            name: 'X-Sig',
            in: 'header',
            algorithm: 'sha1',
            digestInputs: ['url', 'body'],
          },
          { id: 'mtls', description: '', schemeType: 'certificate' },
        ],
      },
    });
    const connector = await json<{ id: string }>(created);
    expectReference('Connector', connector);
    const c = `${o}/connectors/${connector.id}`;

    const upserted = await call('PUT', `${c}/auth-scheme-configs/key2`, {
      apiKey: org.apiKey,
      body: { id: 'key2', description: '', schemeType: 'api-key', name: 'k', in: 'cookie' },
    });
    expect(upserted.status).toBe(200);
    expectReference('Connector', await json(upserted));
    const deleted = await call('DELETE', `${c}/auth-scheme-configs/key2`, { apiKey: org.apiKey });
    expect(deleted.status).toBe(200);
    expectReference('Connector', await json(deleted));

    const body = {
      name: 'production',
      credentials: {
        action: [
          {
            authSchemeConfig: { id: 'key', description: '', schemeType: 'api-key', name: 'X-Key', in: 'query' },
            credential: { name: 'key', type: 'string', data: { value: 'secret-value' } },
          },
        ],
        trigger: [
          {
            authSchemeConfig: { id: 'mtls', description: '', schemeType: 'certificate' },
            credential: {
              name: 'cert',
              type: 'certificate',
              data: { certificate: pemBlock('CERTIFICATE'), key: pemBlock('PRIVATE KEY'), ca: pemBlock('CERTIFICATE') },
            },
          },
        ],
      },
      variables: [{ name: 'region', value: 'eu' }],
    };
    expectReference('ConnectionCreate', body);
    const connection = await call('POST', `${c}/connections`, { apiKey: org.apiKey, body });
    expect(connection.status).toBe(200);
    const made = await json<{ id: string }>(connection);
    expectReference('Connection', made);
    // The check has teeth: the same body without its credentials is not a Connection.
    expect(validate('Connection', { ...made, name: 7 }).valid).toBe(false);
    expectReference('Connection', await json(await call('GET', `${c}/connections/${made.id}`, { apiKey: org.apiKey })));
    const update = { id: made.id, name: 'staging', variables: [] };
    expectReference('ConnectionUpdate', update);
    const updated = await call('PUT', `${c}/connections/${made.id}`, { apiKey: org.apiKey, body: update });
    expectReference('Connection', await json(updated));
    expectReference(
      'ConnectorConnectionPage',
      await json(await call('GET', `${c}/connections?first=1`, { apiKey: org.apiKey })),
    );
    const refused = await call('POST', `${c}/connections`, { apiKey: org.apiKey, body: { name: '' } });
    expect(refused.status).toBe(400);
    expectReference('Error', await json(refused));
    expect((await call('DELETE', `${c}/connections/${made.id}`, { apiKey: org.apiKey })).status).toBe(204);
    expectReference('Error', await json(await call('GET', `${c}/connections/${made.id}`, { apiKey: org.apiKey })));
  });
});

// The connector, label and protocol routes' answers, under the same schemas: CreateHTTPConnector,
// GetConnector, UpdateConnector, ListConnectors (filtered), UpdateConnectorTags and
// UpdateConnectorCategories (204), ListCategories, ListProtocols, ListAuthSchemes and
// GetProtocolUploadURL, and an Error.
describe("the connector and protocol routes' answers, under the reference's own schemas", () => {
  it('Connector, ConnectorPage, Category, ProtocolPage, AuthSchemePage, SignedURL and Error', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const send = (method: string, path: string, body?: unknown) => call(method, path, { apiKey: org.apiKey, body });
    const connector = await json<{ id: string }>(
      await send('POST', `${o}/protocols/http/connectors`, {
        name: 'Shop',
        baseUrl: 'https://shop.example.com',
        tags: { env: ['prod'] },
      }),
    );
    expectReference('Connector', connector);
    const c = `${o}/connectors/${connector.id}`;
    // UpdateConnector first: it unsets the tags its body leaves out.
    expectReference(
      'Connector',
      await json(await send('PUT', c, { name: 'Shop 2', baseUrl: 'https://shop.example.com' })),
    );
    expect((await send('PUT', `${c}/tags`, { tags: { env: ['prod', 'eu'], team: [] } })).status).toBe(204);
    expect((await send('PUT', `${c}/categories`, { categories: ['ERP'] })).status).toBe(204);
    await send('POST', `${c}/versions`, { name: '2024-01 beta' });
    const read = await json(await send('GET', c));
    expectReference('Connector', read);
    const page = await json(await send('GET', `${o}/connectors?name=shop&tags=env:eu&categories=ERP&first=500`));
    expectReference('ConnectorPage', page);
    expect((page as { connectors: unknown[] }).connectors).toHaveLength(1);

    const categories = await json<unknown[]>(await send('GET', '/categories'));
    for (const category of categories) expectReference('Category', category);
    expectReference('ProtocolPage', await json(await send('GET', `${o}/protocols`)));
    expectReference('AuthSchemePage', await json(await send('GET', `${o}/protocols/http/auth-schemes`)));
    // GetProtocolUploadURL: a SignedURL, and an Error for a protocol that does not exist.
    const signed = await send('GET', `${o}/protocols/http/upload-url?content_type=application/json&content_length=120`);
    expect(signed.status).toBe(200);
    expectReference('SignedURL', await json(signed));
    expect(validate('SignedURL', { uploadUrl: 7, url: 'x' }).valid).toBe(false);
    const noProtocol = await send(
      'GET',
      `${o}/protocols/bigquery/upload-url?content_type=application/json&content_length=1`,
    );
    expect(noProtocol.status).toBe(404);
    expectReference('Error', await json(noProtocol));
    const missing = await send('GET', `${o}/protocols/bigquery/auth-schemes`);
    expect(missing.status).toBe(404);
    expectReference('Error', await json(missing));
    const wrong = await send('GET', `${o}/connectors?categories=Gardening`);
    expect(wrong.status).toBe(400);
    expectReference('Error', await json(wrong));
  });

  it('InitialiseOAuth2Connection: its request and answer, and the Connection once the tokens are stored', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const provider = env.OAUTH2_PROVIDER_URL;
    const send = (method: string, path: string, body?: unknown) => call(method, path, { apiKey: org.apiKey, body });
    const connectorId = await org.connector();
    const c = `${o}/connectors/${connectorId}`;
    const created = await send('POST', `${c}/connections`, {
      name: 'crm',
      credentials: {
        action: [
          {
            authSchemeConfig: {
              id: 'oauth',
              description: '',
              schemeType: 'oauth2',
              authorizeUrl: `${provider}/authorize`,
              tokenUrl: `${provider}/token`,
              scopes: [{ name: 'read' }],
              defaultScopes: ['read'],
              grant: { grantType: 'authorization_code', clientId: 'reference-app' },
            },
            credential: {
              name: 'client',
              type: 'oauth2-client',
              data: { clientId: 'reference-app', clientSecret: 'reference-secret', tokenUrl: `${provider}/token` },
            },
          },
        ],
      },
    });
    const connection = await json<{ id: string; credentials: { action: { credential: { id: string } }[] } }>(created);
    const request = {
      credential: { id: connection.credentials.action[0]?.credential.id ?? '', organisationId: org.organisationId },
      authorizeUrl: `${provider}/authorize`,
      clientId: 'reference-app',
      scopes: ['read'],
      prompt: 'consent',
      additionalParams: 'access_type=offline',
    };
    expectReference('InitialiseOAuth2ConnectionRequest', request);
    const started = await send('POST', `${c}/oauth2/initialise`, request);
    expect(started.status).toBe(200);
    const { url } = await json<{ url: string }>(started);
    expectReference('InitialiseOAuth2ConnectionResponse', { url });
    const authorized = await fetch(url, { redirect: 'manual' });
    await authorized.arrayBuffer();
    const arrived = await exports.default.fetch(new Request(authorized.headers.get('location') ?? ''));
    expect(arrived.status).toBe(200);
    await arrived.arrayBuffer();
    expectReference('Connection', await json(await send('GET', `${c}/connections/${connection.id}`)));
  });
});

// The public library's answers: ListPublicConnectors (a ConnectorPage) and
// ImportPublicConnectorVersion (the caller's Connector), and the Error of a draft asked for.
describe("the public library's answers, under the reference's own schemas", () => {
  it('ConnectorPage, Connector and Error', async () => {
    const owner = await organisation();
    const importer = await organisation();
    const name = `Library ${crypto.randomUUID()}`;
    const source = await json<{ id: string }>(
      await call('POST', `/o/${owner.organisationId}/protocols/http/connectors`, {
        apiKey: owner.apiKey,
        body: { name, baseUrl: 'https://shop.example.com', public: true, tags: { env: ['prod'] } },
      }),
    );
    for (const version of ['1', '2'])
      expect((await owner.createVersion(source.id, { name: version })).status).toBe(201);
    const published = await call('POST', `/o/${owner.organisationId}/connectors/${source.id}/versions/1/publish`, {
      apiKey: owner.apiKey,
    });
    expect(published.status).toBe(200);

    const page = await json(
      await call('GET', `/connectors?name=${encodeURIComponent(name)}`, { apiKey: importer.apiKey }),
    );
    expectReference('ConnectorPage', page);
    expect((page as { connectors: unknown[] }).connectors).toHaveLength(1);
    const imported = await call(
      'POST',
      `/o/${importer.organisationId}/connectors/${source.id}/versions/1/library/import`,
      {
        apiKey: importer.apiKey,
      },
    );
    expect(imported.status).toBe(200);
    expectReference('Connector', await json(imported));
    const draft = await call(
      'POST',
      `/o/${importer.organisationId}/connectors/${source.id}/versions/2/library/import`,
      {
        apiKey: importer.apiKey,
      },
    );
    expect(draft.status).toBe(404);
    expectReference('Error', await json(draft));
  });
});

describe("the import routes' answers, under the reference's own schemas", () => {
  // A document that maps to every kind of child: actions with linked bodies, a trigger (an
  // OpenAPI 3.1 webhook), definitions linking each other, and an auth scheme config.
  const document = JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Shop', version: '1' },
    servers: [{ url: 'https://shop.example.com' }],
    paths: {
      '/orders/{id}': {
        get: {
          operationId: 'getOrder',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            default: { description: 'error', headers: { 'X-Trace': { schema: { type: 'string' } } } },
          },
        },
      },
    },
    webhooks: {
      orderPaid: {
        post: {
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        Order: { type: 'object', properties: { line: { $ref: '#/components/schemas/Line' } } },
        Line: { type: 'object' },
      },
      securitySchemes: { key: { type: 'apiKey', name: 'X-Key', in: 'header' } },
    },
  });

  it('ImportHTTPConnectorResult of both imports, and ImportHTTPConnectorError', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const connectorImport = await call('POST', `${o}/protocols/http/import`, {
      apiKey: org.apiKey,
      body: { format: 'openapi', document },
    });
    expect(connectorImport.status).toBe(201);
    const result = await json<{
      connector: { id: string };
      actions: unknown[];
      triggers: unknown[];
      messages: unknown[];
    }>(connectorImport);
    expect([result.actions.length, result.triggers.length, result.messages.length]).toEqual([1, 1, 1]);
    expectReference('ImportHTTPConnectorResult', result);

    const form = new FormData();
    form.append('file', new File([document], 'shop.json', { type: 'application/json' }));
    form.append('metadata', JSON.stringify({ format: 'openapi', version: '2' }));
    const versionImport = await exports.default.fetch(
      new Request(`${restRoot}${o}/connector/${result.connector.id}/http/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}` },
        body: form,
      }),
    );
    expect(versionImport.status).toBe(201);
    expectReference('ImportHTTPConnectorResult', await versionImport.json());

    const refused = await call('POST', `${o}/protocols/http/import`, {
      apiKey: org.apiKey,
      body: { format: 'openapi', document: '{"openapi": "3.1.0", "info": {"title": 7}}' },
    });
    expect(refused.status).toBe(400);
    const error = await json<{ messages: unknown[] }>(refused);
    expect(error.messages.length).toBeGreaterThan(0);
    expectReference('ImportHTTPConnectorError', error);
  });
});
