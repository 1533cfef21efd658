import { createClient } from '@connect/client';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, organisation } from './helpers';

/** One config of each of the six scheme types, as a client would send them. */
const everyScheme = [
  { id: 'none', description: 'public endpoints', schemeType: 'none' },
  { id: 'key', description: 'API key', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' },
  { id: 'basic', description: '', schemeType: 'basic-auth' },
  {
    id: 'oauth',
    description: 'sign in with Example',
    schemeType: 'oauth2',
    authorizeUrl: 'https://auth.example.com/authorize',
    tokenUrl: 'https://auth.example.com/token',
    scopes: [{ name: 'orders:read', description: 'read orders' }],
    defaultScopes: ['orders:read'],
    grant: { grantType: 'authorization_code', clientId: 'client-1' },
  },
  {
    id: 'hook',
    description: 'webhook signature',
    schemeType: 'hmac',
    name: 'X-Signature',
    in: 'header',
    algorithm: 'sha256',
    digestInputs: ['body'],
  },
  { id: 'mtls', description: 'client certificate', schemeType: 'certificate' },
];

/** What a read shows of each: the sent fields, with the defaults the server fills in. */
const everySchemeRead = everyScheme.map((config) =>
  config.schemeType === 'oauth2' ? { ...config, pkce: true } : config,
);

async function connectorWith(org: Awaited<ReturnType<typeof organisation>>, authSchemeConfigs: unknown) {
  return call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
    apiKey: org.apiKey,
    body: { name: 'Shop', baseUrl: 'https://shop.example.com', authSchemeConfigs },
  });
}

describe('auth scheme configs', () => {
  it('are accepted on create, in all six scheme types, and read back in order', async () => {
    const org = await organisation();
    const created = await connectorWith(org, everyScheme);
    expect(created.status).toBe(201);
    const body = await json<{ id: string; authSchemeConfigs: unknown[] }>(created);
    expect(body.authSchemeConfigs).toEqual(everySchemeRead);
    const read = await json<{ authSchemeConfigs: unknown[] }>(
      await call('GET', `/o/${org.organisationId}/connectors/${body.id}`, { apiKey: org.apiKey }),
    );
    expect(read.authSchemeConfigs).toEqual(everySchemeRead);
  });

  it('refuses a config that breaks its scheme, naming the field, and stores nothing', async () => {
    const org = await organisation();
    const cases: [unknown, string][] = [
      [[{ id: 'k', schemeType: 'api-key', name: 'X-Key', in: 'body' }], 'authSchemeConfigs[0].in'],
      [[{ id: 'k', schemeType: 'api-key', in: 'header' }], 'authSchemeConfigs[0].name'],
      [[{ id: 'k', schemeType: 'api-key', name: 'has space', in: 'header' }], 'authSchemeConfigs[0].name'],
      [[{ id: 'k', schemeType: 'kerberos' }], 'authSchemeConfigs[0].schemeType'],
      [[{ id: 'a b', schemeType: 'none' }], 'authSchemeConfigs[0].id'],
      [
        [
          { id: 'same', schemeType: 'none' },
          { id: 'same', schemeType: 'basic-auth' },
        ],
        'authSchemeConfigs[1].id',
      ],
      [[{ ...everyScheme[3], tokenUrl: 'ftp://example.com/token' }], 'authSchemeConfigs[0].tokenUrl'],
      // Secrets and tokens go to these endpoints: plain http only to a loopback host.
      [[{ ...everyScheme[3], tokenUrl: 'http://auth.example.com/token' }], 'authSchemeConfigs[0].tokenUrl'],
      [[{ ...everyScheme[3], authorizeUrl: 'http://10.0.0.1/authorize' }], 'authSchemeConfigs[0].authorizeUrl'],
      [[{ ...everyScheme[3], grant: { grantType: 'implicit' } }], 'authSchemeConfigs[0].grant.grantType'],
      [
        [{ ...everyScheme[3], grant: { grantType: 'password', clientId: 'c', clientSecret: 'hunter2' } }],
        'authSchemeConfigs[0].grant.clientSecret',
      ],
      [[{ ...everyScheme[4], algorithm: 'md5' }], 'authSchemeConfigs[0].algorithm'],
      [[{ ...everyScheme[4], digestInputs: [] }], 'authSchemeConfigs[0].digestInputs'],
      [[{ ...everyScheme[4], digestInputs: ['body', 'body'] }], 'authSchemeConfigs[0].digestInputs'],
    ];
    for (const [configs, field] of cases) {
      const response = await connectorWith(org, configs);
      await expectInvalidFields(response, [field]);
    }
    const list = await json<{ totalCount: number }>(
      await call('GET', `/o/${org.organisationId}/connectors`, { apiKey: org.apiKey }),
    );
    expect(list.totalCount).toBe(0);
  });

  it('never keeps a client secret: the refusal does not echo it', async () => {
    const org = await organisation();
    const response = await connectorWith(org, [
      { ...everyScheme[3], grant: { grantType: 'authorization_code', clientSecret: 'shh-very-secret' } },
    ]);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('shh-very-secret');
  });

  it('are upserted by the client’s id: added at the end, replaced in place', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const path = `/o/${org.organisationId}/connectors/${connectorId}/auth-scheme-configs`;
    const first = await call('PUT', `${path}/key`, { apiKey: org.apiKey, body: everyScheme[1] });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    // The path names the config: a body may leave the id out.
    await call('PUT', `${path}/basic`, { apiKey: org.apiKey, body: { description: '', schemeType: 'basic-auth' } });
    const replaced = await call('PUT', `${path}/key`, {
      apiKey: org.apiKey,
      body: { ...everyScheme[1], in: 'query', name: 'api_key' },
    });
    const body = await json<{ id: string; authSchemeConfigs: { id: string; in?: string }[] }>(replaced);
    expect(body.id).toBe(connectorId);
    expect(body.authSchemeConfigs.map((config) => config.id)).toEqual(['key', 'basic']);
    expect(body.authSchemeConfigs[0]).toMatchObject({ in: 'query', name: 'api_key' });

    const mismatched = await call('PUT', `${path}/key`, {
      apiKey: org.apiKey,
      body: { ...everyScheme[1], id: 'other' },
    });
    await expectInvalidFields(mismatched, ['id']);
    const badId = await call('PUT', `${path}/not%20an%20id`, { apiKey: org.apiKey, body: everyScheme[0] });
    expect(badId.status).toBe(404);
  });

  it('are deleted one at a time, answering the connector without it; an unknown id is 404', async () => {
    const org = await organisation();
    const created = await json<{ id: string }>(await connectorWith(org, everyScheme.slice(0, 3)));
    const path = `/o/${org.organisationId}/connectors/${created.id}/auth-scheme-configs`;
    const deleted = await call('DELETE', `${path}/key`, { apiKey: org.apiKey });
    expect(deleted.status).toBe(200);
    const body = await json<{ authSchemeConfigs: { id: string }[] }>(deleted);
    expect(body.authSchemeConfigs.map((config) => config.id)).toEqual(['none', 'basic']);
    const again = await call('DELETE', `${path}/key`, { apiKey: org.apiKey });
    expect(again.status).toBe(404);
    expect(await json(again)).toMatchObject({ code: 'not_found', message: 'auth scheme config not found' });
  });

  it('are reordered by a connector PUT with their ids, replaced with a list, and kept when left out', async () => {
    const org = await organisation();
    const created = await json<{ id: string }>(await connectorWith(org, everyScheme.slice(0, 3)));
    const path = `/o/${org.organisationId}/connectors/${created.id}`;
    const base = { name: 'Shop', baseUrl: 'https://shop.example.com' };
    const ids = async (response: Response) =>
      (await json<{ authSchemeConfigs: { id: string }[] }>(response)).authSchemeConfigs.map((config) => config.id);

    expect(await ids(await call('PUT', path, { apiKey: org.apiKey, body: base }))).toEqual(['none', 'key', 'basic']);
    const reordered = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { ...base, authSchemeConfigIds: ['basic', 'none', 'key'] },
    });
    expect(await ids(reordered)).toEqual(['basic', 'none', 'key']);
    for (const wrong of [
      ['basic', 'none'],
      ['basic', 'none', 'none'],
      ['basic', 'none', 'nope'],
    ]) {
      const refused = await call('PUT', path, { apiKey: org.apiKey, body: { ...base, authSchemeConfigIds: wrong } });
      await expectInvalidFields(refused, ['authSchemeConfigIds']);
    }
    const replaced = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { ...base, authSchemeConfigs: [everyScheme[5]] },
    });
    expect(await ids(replaced)).toEqual(['mtls']);
  });

  it('are managed through the typed client as well', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const client = createClient({
      url: 'http://connect.test',
      apiKey: org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const upserted = await client.authSchemeConfigs.upsert.mutate({
      connectorId,
      authSchemeConfigId: 'hook',
      authSchemeConfig: {
        id: 'hook',
        description: '',
        schemeType: 'hmac',
        name: 'X-Signature',
        in: 'header',
        algorithm: 'sha512',
        digestInputs: ['url', 'body'],
      },
    });
    expect(upserted.authSchemeConfigs).toMatchObject([{ id: 'hook', algorithm: 'sha512' }]);
    const removed = await client.authSchemeConfigs.delete.mutate({ connectorId, authSchemeConfigId: 'hook' });
    expect(removed.authSchemeConfigs).toEqual([]);
  });
});
