import { createClient } from '@connect/client';
import { keyringFrom, openSecret } from '@connect/db';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, organisation, rows, type Organisation } from './helpers';

interface ConnectionBody {
  id: string;
  name: string;
  credentials: {
    action: {
      id: string;
      authSchemeConfig: { id: string };
      credential: { id: string; data: Record<string, unknown> };
    }[];
    trigger: {
      id: string;
      authSchemeConfig: { id: string };
      credential: { id: string; data: Record<string, unknown> };
    }[];
  };
  variables: { name: string; value: string }[];
}

const apiKeyScheme = { id: 'key', description: '', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' } as const;
const basicScheme = { id: 'basic', description: '', schemeType: 'basic-auth' } as const;

/** Secrets made per test run, so a search of the database for them can only find this test's. */
function secrets() {
  const tag = crypto.randomUUID();
  return { apiKey: `live-key-${tag}`, password: `pass-${tag}` };
}

function connectionBody(secret: ReturnType<typeof secrets>, name = 'production') {
  return {
    name,
    credentials: {
      action: [
        {
          authSchemeConfig: apiKeyScheme,
          credential: { name: 'key', type: 'string' as const, data: { value: secret.apiKey } },
        },
      ],
      trigger: [
        {
          authSchemeConfig: basicScheme,
          credential: {
            name: 'hook',
            type: 'basic-auth' as const,
            data: { username: 'shop', password: secret.password },
          },
        },
      ],
    },
    variables: [{ name: 'region', value: 'eu' }],
  };
}

async function createConnection(org: Organisation, connectorId: string, body: unknown) {
  return call('POST', `/o/${org.organisationId}/connectors/${connectorId}/connections`, { apiKey: org.apiKey, body });
}

/** A PEM block of random bytes: well-formed PEM, as the check requires. */
function pemBlock(label: string) {
  const bytes = crypto.getRandomValues(new Uint8Array(96));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, '$1\n').trim()}\n-----END ${label}-----\n`;
}

describe('connections', () => {
  it('are created with their credentials, answered and read back with every secret left out', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const secret = secrets();
    const created = await createConnection(org, connectorId, connectionBody(secret));
    expect(created.status).toBe(200);
    const text = await created.clone().text();
    expect(text).not.toContain(secret.apiKey);
    expect(text).not.toContain(secret.password);
    const body = await json<ConnectionBody>(created);
    expect(body).toMatchObject({
      name: 'production',
      variables: [{ name: 'region', value: 'eu' }],
      credentials: {
        action: [
          {
            authSchemeConfig: apiKeyScheme,
            credential: { organisationId: org.organisationId, type: 'string', name: 'key', data: { value: '' } },
          },
        ],
        trigger: [
          {
            authSchemeConfig: basicScheme,
            credential: { type: 'basic-auth', name: 'hook', data: { username: 'shop', password: '' } },
          },
        ],
      },
    });
    const read = await call('GET', `/o/${org.organisationId}/connectors/${connectorId}/connections/${body.id}`, {
      apiKey: org.apiKey,
    });
    expect(read.status).toBe(200);
    expect(await json(read)).toEqual(body);
  });

  it('keep secrets only as ciphertexts naming their key, bound to the organisation and credential', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const secret = secrets();
    const body = await json<ConnectionBody>(await createConnection(org, connectorId, connectionBody(secret)));
    const [action] = body.credentials.action;

    // No column of any row the connection wrote holds a secret in plain text.
    const stored = await rows<{ row: string }>(
      `SELECT row_to_json(k)::text AS row FROM connection_credentials k WHERE organisation_id = $1
       UNION ALL SELECT row_to_json(n)::text FROM connections n WHERE organisation_id = $1`,
      [org.organisationId],
    );
    expect(stored).toHaveLength(3);
    for (const { row } of stored) {
      expect(row).not.toContain(secret.apiKey);
      expect(row).not.toContain(secret.password);
    }
    const sealed = await rows<{ credential_id: string; secret: string; organisation_id: string }>(
      'SELECT credential_id, secret, organisation_id FROM connection_credentials WHERE organisation_id = $1 ORDER BY usage',
      [org.organisationId],
    );
    expect(sealed.map((r) => r.secret.split('.').slice(0, 2).join('.'))).toEqual(['v1.test2', 'v1.test2']);

    // The envelope opens only for its own organisation and credential.
    const keyring = await keyringFrom(env.CREDENTIALS_KEY ?? '');
    const [first, second] = sealed;
    if (!first || !second || !action) throw new Error('expected two credentials');
    expect(first.credential_id).toBe(action.credential.id);
    const opened = await openSecret(
      keyring,
      { organisationId: org.organisationId, credentialId: first.credential_id },
      first.secret,
    );
    expect(JSON.parse(opened)).toEqual({ value: secret.apiKey });
    await expect(
      openSecret(keyring, { organisationId: org.organisationId, credentialId: second.credential_id }, first.secret),
    ).rejects.toThrow('does not open');
    const other = await organisation();
    await expect(
      openSecret(keyring, { organisationId: other.organisationId, credentialId: first.credential_id }, first.secret),
    ).rejects.toThrow('does not open');
  });

  it('check credential data against the scheme, naming the field, and store nothing when refused', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const privateKey = pemBlock('PRIVATE KEY');
    const certificateScheme = { id: 'mtls', description: '', schemeType: 'certificate' };
    const one = (authSchemeConfig: unknown, credential: unknown) => ({
      name: 'c',
      credentials: { action: [{ authSchemeConfig, credential }] },
      variables: [],
    });
    const cases: [unknown, string][] = [
      [one(apiKeyScheme, { name: 'k', type: 'string', data: {} }), 'credentials.action[0].credential.data.value'],
      [
        one(apiKeyScheme, { name: 'k', type: 'string', data: { value: '' } }),
        'credentials.action[0].credential.data.value',
      ],
      [
        one(basicScheme, { name: 'b', type: 'basic-auth', data: { username: 'u' } }),
        'credentials.action[0].credential.data.password',
      ],
      [one(basicScheme, { name: 'b', type: 'string', data: { value: 'x' } }), 'credentials.action[0].credential.type'],
      [
        one(certificateScheme, {
          name: 'c',
          type: 'certificate',
          data: { certificate: 'not a certificate', key: privateKey, ca: '' },
        }),
        'credentials.action[0].credential.data.certificate',
      ],
      [
        one(certificateScheme, {
          name: 'c',
          type: 'certificate',
          data: { certificate: pemBlock('CERTIFICATE'), key: pemBlock('CERTIFICATE'), ca: '' },
        }),
        'credentials.action[0].credential.data.key',
      ],
      [{ credentials: {}, variables: [] }, 'name'],
    ];
    for (const [body, field] of cases) {
      const response = await createConnection(org, connectorId, body);
      const text = await response.clone().text();
      expect(text).not.toContain(privateKey.split('\n')[1]);
      await expectInvalidFields(response, [field]);
    }
    const [count] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM connections WHERE organisation_id = $1', [
      org.organisationId,
    ]);
    expect(count?.n).toBe(0);

    const good = await createConnection(
      org,
      connectorId,
      one(certificateScheme, {
        name: 'c',
        type: 'certificate',
        data: { certificate: pemBlock('CERTIFICATE'), key: privateKey, ca: pemBlock('CERTIFICATE') },
      }),
    );
    expect(good.status).toBe(200);
    const shown = (await json<ConnectionBody>(good)).credentials.action[0]?.credential.data;
    expect(shown?.key).toBe('');
    expect(shown?.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('refuse a name the connector already has (409) and an unknown connector (404), writing nothing', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    expect((await createConnection(org, connectorId, connectionBody(secrets()))).status).toBe(200);
    const again = await createConnection(org, connectorId, connectionBody(secrets()));
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ code: 'already_exists' });
    const nowhere = await createConnection(org, '01ARZ3NDEKTSV4RRFFQ69G5FAV', connectionBody(secrets()));
    expect(nowhere.status).toBe(404);
    const [count] = await rows<{ n: number }>(
      'SELECT count(*)::int AS n FROM connection_credentials WHERE organisation_id = $1',
      [org.organisationId],
    );
    expect(count?.n).toBe(2);
  });

  it('are listed most recently updated first, in pages', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    for (const name of ['a', 'b', 'c']) {
      expect((await createConnection(org, connectorId, connectionBody(secrets(), name))).status).toBe(200);
    }
    const path = `/o/${org.organisationId}/connectors/${connectorId}/connections`;
    const first = await json<{ totalCount: number; next?: string; items: { name: string }[] }>(
      await call('GET', `${path}?first=2`, { apiKey: org.apiKey }),
    );
    expect(first.totalCount).toBe(3);
    expect(first.items.map((item) => item.name)).toEqual(['c', 'b']);
    expect(Object.keys(first.items[0] ?? {}).sort()).toEqual(['createdAt', 'id', 'name', 'updatedAt']);
    const second = await json<{ items: { name: string }[]; prev?: string }>(
      await call('GET', `${path}?first=2&after=${encodeURIComponent(first.next ?? '')}`, { apiKey: org.apiKey }),
    );
    expect(second.items.map((item) => item.name)).toEqual(['a']);
    const other = await org.connector('Other');
    const foreignCursor = await call(
      'GET',
      `/o/${org.organisationId}/connectors/${other}/connections?after=${encodeURIComponent(first.next ?? '')}`,
      { apiKey: org.apiKey },
    );
    await expectInvalidFields(foreignCursor, ['after']);
  });

  it('are renamed, their variables replaced and their credentials reordered by PUT; secrets stay', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const body = {
      ...connectionBody(secrets()),
      credentials: {
        action: [
          connectionBody(secrets()).credentials.action[0],
          {
            authSchemeConfig: { ...apiKeyScheme, id: 'key2', name: 'X-Other' },
            credential: { name: 'second', type: 'string', data: { value: 'second-secret' } },
          },
        ],
      },
    };
    const created = await json<ConnectionBody>(await createConnection(org, connectorId, body));
    const [a, b] = created.credentials.action;
    if (!a || !b) throw new Error('expected two action credentials');
    const path = `/o/${org.organisationId}/connectors/${connectorId}/connections/${created.id}`;
    const before = await rows<{ secret: string }>('SELECT secret FROM connection_credentials WHERE id = $1', [a.id]);

    const renamed = await call('PUT', path, { apiKey: org.apiKey, body: { id: created.id, name: 'staging' } });
    expect(renamed.status).toBe(200);
    expect(await json(renamed)).toMatchObject({ name: 'staging', variables: [{ name: 'region', value: 'eu' }] });

    const reordered = await call('PUT', path, {
      apiKey: org.apiKey,
      body: {
        name: 'staging',
        variables: [],
        credentials: {
          action: [
            { id: b.id, authSchemeConfig: b.authSchemeConfig },
            { id: a.id, authSchemeConfig: { ...apiKeyScheme, in: 'query', name: 'api_key' } },
          ],
        },
      },
    });
    expect(reordered.status).toBe(200);
    const after = await json<ConnectionBody>(reordered);
    expect(after.variables).toEqual([]);
    expect(after.credentials.action.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(after.credentials.action[1]?.authSchemeConfig).toMatchObject({ in: 'query', name: 'api_key' });
    expect(await rows('SELECT secret FROM connection_credentials WHERE id = $1', [a.id])).toEqual(before);

    const missing = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { name: 'x', credentials: { action: [{ id: a.id, authSchemeConfig: apiKeyScheme }] } },
    });
    await expectInvalidFields(missing, ['credentials']);
    const schemeChanged = await call('PUT', path, {
      apiKey: org.apiKey,
      body: {
        name: 'x',
        credentials: {
          action: [
            { id: a.id, authSchemeConfig: basicScheme },
            { id: b.id, authSchemeConfig: b.authSchemeConfig },
          ],
        },
      },
    });
    await expectInvalidFields(schemeChanged, ['credentials']);
    const otherId = await call('PUT', path, { apiKey: org.apiKey, body: { id: b.id, name: 'x' } });
    await expectInvalidFields(otherId, ['id']);
    expect(await json(await call('GET', path, { apiKey: org.apiKey }))).toMatchObject({ name: 'staging' });
  });

  it('outlive the auth scheme config they were made through, and are deleted with their credentials', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await call('PUT', `/o/${org.organisationId}/connectors/${connectorId}/auth-scheme-configs/key`, {
      apiKey: org.apiKey,
      body: apiKeyScheme,
    });
    const created = await json<ConnectionBody>(await createConnection(org, connectorId, connectionBody(secrets())));
    const path = `/o/${org.organisationId}/connectors/${connectorId}/connections/${created.id}`;
    await call('DELETE', `/o/${org.organisationId}/connectors/${connectorId}/auth-scheme-configs/key`, {
      apiKey: org.apiKey,
    });
    expect(await json(await call('GET', path, { apiKey: org.apiKey }))).toEqual(created);

    expect((await call('DELETE', path, { apiKey: org.apiKey })).status).toBe(204);
    expect((await call('GET', path, { apiKey: org.apiKey })).status).toBe(404);
    expect((await call('DELETE', path, { apiKey: org.apiKey })).status).toBe(404);
    expect(await rows('SELECT 1 FROM connection_credentials WHERE organisation_id = $1', [org.organisationId])).toEqual(
      [],
    );
  });

  it('of another organisation do not exist, whichever connector the path names', async () => {
    const a = await organisation();
    const b = await organisation();
    const aConnector = await a.connector();
    const bConnector = await b.connector();
    const created = await json<ConnectionBody>(await createConnection(a, aConnector, connectionBody(secrets())));
    const attempts = [
      `/o/${b.organisationId}/connectors/${bConnector}/connections/${created.id}`,
      `/o/${b.organisationId}/connectors/${aConnector}/connections/${created.id}`,
      `/o/${a.organisationId}/connectors/${aConnector}/connections/${created.id}`,
    ];
    for (const path of attempts) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await call(method, path, {
          apiKey: b.apiKey,
          body: method === 'PUT' ? { name: 'x' } : undefined,
        });
        expect(response.status).toBe(404);
      }
    }
    const listed = await call('GET', `/o/${b.organisationId}/connectors/${aConnector}/connections`, {
      apiKey: b.apiKey,
    });
    expect(listed.status).toBe(404);
    const mine = await call('GET', `/o/${a.organisationId}/connectors/${aConnector}/connections/${created.id}`, {
      apiKey: a.apiKey,
    });
    expect(await json(mine)).toMatchObject({ name: 'production' });
  });

  it('are managed through the typed client, secrets left out of its answers too', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const client = createClient({
      url: 'http://connect.test',
      apiKey: org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const secret = secrets();
    const created = await client.connections.create.mutate({ connectorId, ...connectionBody(secret) });
    expect(JSON.stringify(created)).not.toContain(secret.apiKey);
    const read = await client.connections.get.query({ connectorId, connectionId: created.id });
    expect(read).toEqual(created);
    const page = await client.connections.list.query({ connectorId });
    expect(page.items.map((item) => item.id)).toEqual([created.id]);
    await client.connections.delete.mutate({ connectorId, connectionId: created.id });
    expect((await client.connections.list.query({ connectorId })).totalCount).toBe(0);
  });
});
