import { call, json, organisation, rows } from '../helpers';
import { seedChildren, versionId } from '../seed-children';

/**
 * An organisation holding something every route case can name: connector `c`, its version `1`
 * with every kind of child, and the id `k` of its API key; the connector has an auth scheme config `key` and a connection `n`.
 */
export async function seededOrganisation() {
  const org = await organisation();
  const c = await org.connector();
  await call('PUT', `/o/${org.organisationId}/connectors/${c}/auth-scheme-configs/key`, {
    apiKey: org.apiKey,
    body: { schemeType: 'api-key', name: 'X-Key', in: 'header' },
  });
  await org.createVersion(c, { name: '1' });
  await seedChildren(await versionId(c, '1'));
  const [key] = await rows<{ id: string }>('SELECT id FROM api_keys WHERE organisation_id = $1', [org.organisationId]);
  const connection = await call('POST', `/o/${org.organisationId}/connectors/${c}/connections`, {
    apiKey: org.apiKey,
    body: {
      name: 'production',
      credentials: {
        action: [
          {
            authSchemeConfig: { id: 'key', schemeType: 'api-key', name: 'X-Key', in: 'header' },
            credential: { name: 'key', type: 'string', data: { value: 'seeded-secret' } },
          },
        ],
      },
      variables: [],
    },
  });
  const { id: n } = await json<{ id: string }>(connection);
  return { ...org, c, k: key?.id ?? '', n };
}

/** Everything an organisation holds, as one comparable value. */
export async function holdings(organisationId: string) {
  const [row] = await rows(
    `SELECT (SELECT count(*)::int FROM connectors WHERE organisation_id = $1) AS connectors,
            (SELECT count(*)::int FROM connector_versions v JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1) AS versions,
            (SELECT json_agg(json_build_object('name', name, 'updated', updated_at, 'policy', compatibility_policy) ORDER BY id)
             FROM connectors WHERE organisation_id = $1) AS connector_states,
            (SELECT count(*)::int FROM api_keys WHERE organisation_id = $1) AS keys,
            (SELECT json_agg(json_build_object('name', name, 'updated', updated_at) ORDER BY id)
             FROM connections WHERE organisation_id = $1) AS connection_states,
            (SELECT json_agg(json_build_object('secret', secret, 'position', position, 'updated', updated_at) ORDER BY id)
             FROM connection_credentials WHERE organisation_id = $1) AS credential_states,
            (SELECT count(*)::int FROM api_keys WHERE organisation_id = $1 AND revoked_at IS NOT NULL) AS revoked,
            (SELECT json_agg(json_build_object('updated', v.updated_at, 'published', v.published_at,
               'deprecation', json_build_array(v.deprecated_at, v.sunset_at, v.deprecation_message),
               'children', (SELECT count(*) FROM definitions d WHERE d.version_id = v.id)
                         + (SELECT coalesce(sum(cardinality(d.referrer_names)), 0) FROM definitions d WHERE d.version_id = v.id)
                         + (SELECT count(*) FROM actions a WHERE a.version_id = v.id)
                         + (SELECT count(*) FROM triggers t WHERE t.version_id = v.id)) ORDER BY v.id)
             FROM connector_versions v JOIN connectors c ON c.id = v.connector_id WHERE c.organisation_id = $1) AS version_states`,
    [organisationId],
  );
  return row;
}
