import { describe, expect, it } from 'vitest';
import { call, organisation, rows } from './helpers';

const apiKeyScheme = { id: 'key', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' };

describe('concurrent writes to connections and auth scheme configs', () => {
  it('of one connection name: exactly one create wins, the others are 409, and no credential is left over', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const body = (i: number) => ({
      name: 'production',
      credentials: {
        action: [
          {
            authSchemeConfig: apiKeyScheme,
            credential: { name: 'k', type: 'string', data: { value: `s${String(i)}` } },
          },
        ],
      },
      variables: [],
    });
    const statuses = await Promise.all(
      [0, 1, 2, 3, 4].map(
        async (i) =>
          (
            await call('POST', `/o/${org.organisationId}/connectors/${connectorId}/connections`, {
              apiKey: org.apiKey,
              body: body(i),
            })
          ).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 409, 409, 409, 409]);
    const [counts] = await rows<{ connections: number; credentials: number }>(
      `SELECT (SELECT count(*)::int FROM connections WHERE organisation_id = $1) AS connections,
              (SELECT count(*)::int FROM connection_credentials WHERE organisation_id = $1) AS credentials`,
      [org.organisationId],
    );
    expect(counts).toEqual({ connections: 1, credentials: 1 });
  });

  it('of different auth scheme configs to one connector: every one is kept', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const statuses = await Promise.all(
      ids.map(
        async (id) =>
          (
            await call('PUT', `/o/${org.organisationId}/connectors/${connectorId}/auth-scheme-configs/${id}`, {
              apiKey: org.apiKey,
              body: { ...apiKeyScheme, id },
            })
          ).status,
      ),
    );
    expect(statuses).toEqual(ids.map(() => 200));
    const [row] = await rows<{ ids: string[] }>(
      `SELECT array(SELECT e->>'id' FROM jsonb_array_elements(auth_scheme_configs) e ORDER BY 1) AS ids
       FROM connectors WHERE id = $1`,
      [connectorId],
    );
    expect(row?.ids).toEqual(ids);
  });
});
