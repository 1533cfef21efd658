import { describe, expect, it } from 'vitest';
import { call, json, organisation, rows } from '../helpers';
import { idToken } from '../support/id-tokens';

const planted = {
  id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  organisationId: '01BX5ZZKBKACTAV9WEVGEMMVRZ',
  createdAt: '2001-01-01T00:00:00.000Z',
  updatedAt: '2001-01-01T00:00:00.000Z',
  publishedAt: '2001-01-01T00:00:00.000Z',
};
const recent = (iso: string) => Math.abs(Date.parse(iso) - Date.now()) < 60_000;

describe('fields a caller may not set are ignored, never stored', () => {
  it('in a connector', async () => {
    const org = await organisation();
    const response = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: {
        ...planted,
        name: 'c',
        baseUrl: 'https://c.example.com',
        protocol: 'bigquery',
        versions: [{ name: '9', publishedAt: planted.publishedAt }],
        connections: [{ id: planted.id }],
      },
    });
    expect(response.status).toBe(201);
    const connector = await json<{
      id: string;
      organisationId: string;
      createdAt: string;
      protocol: string;
      versions: unknown[];
    }>(response);
    expect(connector.id).not.toBe(planted.id);
    expect(connector.organisationId).toBe(org.organisationId);
    expect(recent(connector.createdAt)).toBe(true);
    expect(connector.protocol).toBe('http');
    expect(connector.versions).toEqual([]);
    expect(
      await rows('SELECT 1 FROM connectors WHERE id = $1 OR organisation_id = $2', [
        planted.id,
        planted.organisationId,
      ]),
    ).toEqual([]);
  });

  it('in a connection and its credentials: ids, organisations and secrets are the server’s', async () => {
    const org = await organisation();
    const c = await org.connector();
    const response = await call('POST', `/o/${org.organisationId}/connectors/${c}/connections`, {
      apiKey: org.apiKey,
      body: {
        ...planted,
        name: 'n',
        credentials: {
          action: [
            {
              id: planted.id,
              authSchemeConfig: {
                id: 'key',
                schemeType: 'api-key',
                name: 'X-Key',
                in: 'header',
                validationMessages: [],
              },
              credential: {
                ...planted,
                name: 'k',
                type: 'string',
                data: { value: 'the-secret' },
                secret: 'v1.attacker.AAAAAAAAAAAAAAAA.AAAA',
                expiresAt: planted.createdAt,
              },
            },
          ],
        },
        variables: [],
      },
    });
    expect(response.status).toBe(200);
    const connection = await json<{
      id: string;
      createdAt: string;
      credentials: { action: { id: string; credential: { id: string; organisationId: string; expiresAt?: string } }[] };
    }>(response);
    const [entry] = connection.credentials.action;
    expect(connection.id).not.toBe(planted.id);
    expect(recent(connection.createdAt)).toBe(true);
    expect(entry?.id).not.toBe(planted.id);
    expect(entry?.credential.id).not.toBe(planted.id);
    expect(entry?.credential.organisationId).toBe(org.organisationId);
    expect(entry?.credential.expiresAt).toBeUndefined();
    const [stored] = await rows<{ secret: string; organisation_id: string }>(
      'SELECT secret, organisation_id FROM connection_credentials WHERE connection_id = $1',
      [connection.id],
    );
    expect(stored?.organisation_id).toBe(org.organisationId);
    expect(stored?.secret).toMatch(/^v1\.test2\./);
    expect(
      await rows('SELECT 1 FROM connections WHERE id = $1 OR organisation_id = $2', [
        planted.id,
        planted.organisationId,
      ]),
    ).toEqual([]);
  });

  it('in a version', async () => {
    const org = await organisation();
    const c = await org.connector();
    const response = await org.createVersion(c, {
      ...planted,
      name: '1',
      isLatest: true,
      isDefault: true,
      connectorId: planted.id,
      deprecatedAt: '2026-01-01T00:00:00.000Z',
      sunsetAt: '2026-02-01T00:00:00.000Z',
      deprecationMessage: 'planted',
    });
    expect(response.status).toBe(201);
    const version = await json<{
      id: string;
      createdAt: string;
      publishedAt: string | null;
      isLatest: boolean;
      isDefault: boolean;
    }>(response);
    expect(version).toMatchObject({
      publishedAt: null,
      isLatest: false,
      isDefault: false,
      deprecatedAt: null,
      sunsetAt: null,
      deprecationMessage: null,
    });
    expect(version.id).not.toBe(planted.id);
    expect(recent(version.createdAt)).toBe(true);
    const [stored] = await rows<{ connector_id: string; published_at: string | null }>(
      'SELECT connector_id, published_at FROM connector_versions WHERE id = $1',
      [version.id],
    );
    expect(stored).toEqual({ connector_id: c, published_at: null });
  });

  it('in an API key', async () => {
    const org = await organisation();
    const response = await call('POST', `/o/${org.organisationId}/api-keys`, {
      token: await idToken(org.organisationId),
      body: {
        ...planted,
        name: 'k',
        key: 'ck_planted',
        prefix: 'ck_planted',
        keyHash: '0'.repeat(64),
        revokedAt: planted.createdAt,
        lastUsedAt: planted.createdAt,
      },
    });
    expect(response.status).toBe(201);
    const key = await json<{
      id: string;
      key: string;
      prefix: string;
      revokedAt: string | null;
      lastUsedAt: string | null;
    }>(response);
    expect(key.id).not.toBe(planted.id);
    expect(key.key).not.toBe('ck_planted');
    expect(key.prefix).toBe(key.key.slice(0, 9));
    expect(key).toMatchObject({ revokedAt: null, lastUsedAt: null });
    const [stored] = await rows<{ organisation_id: string; key_hash: string }>(
      'SELECT organisation_id, key_hash FROM api_keys WHERE id = $1',
      [key.id],
    );
    expect(stored?.organisation_id).toBe(org.organisationId);
    expect(stored?.key_hash).not.toBe('0'.repeat(64));
  });
});
