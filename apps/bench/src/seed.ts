import { createOrganisationWithKey } from '@connect/db/seed';
import type { SqlBackend } from '@connect/sql-endpoint';

export interface Seed {
  organisationId: string;
  apiKey: string;
  /** Receives the versions that create and create-trpc make. */
  createConnectorId: string;
  /** Thirty versions, the newest published: for get-latest and list. */
  readConnectorId: string;
  /** Where the baseline inserts its rows. */
  baselineConnectorId: string;
  /** Per N, a connector whose version `source` holds N children. */
  copyConnectorIds: Map<number, string>;
}

/**
 * Children of a version, N in all: half definitions, 40% actions (each with a default response
 * and two body links), 10% triggers (each with a request-body link); every definition after the
 * first refers to the one before it.
 */
async function seedChildren(backend: SqlBackend, versionId: string, n: number): Promise<void> {
  const definitions = Math.max(1, Math.floor(n / 2));
  const actions = Math.floor((n * 2) / 5);
  const triggers = n - definitions - actions;
  const run = (query: string, params: (string | null)[]) => backend.query({ query, params });
  await run(
    `INSERT INTO definitions (version_id, name, accept, schema_content_type, schema_content)
     SELECT $1, 'def_' || i, '{application/json}', 'application/schema+json', '{"type":"object"}'
     FROM generate_series(1, $2::int) i`,
    [versionId, String(definitions)],
  );
  await run(
    `INSERT INTO definition_links (version_id, definition_id, target_id)
     SELECT $1, d.id, p.id FROM definitions d JOIN definitions p
       ON p.version_id = d.version_id AND p.name = 'def_' || (substr(d.name, 5)::int - 1)
     WHERE d.version_id = $1`,
    [versionId],
  );
  for (const [kind, count] of [
    ['action', actions],
    ['trigger', triggers],
  ] as const) {
    await run(
      `INSERT INTO ${kind}s (version_id, name, method, path, request_body_required)
       SELECT $1, '${kind}_' || i, 'POST', '/things/' || i, true FROM generate_series(1, $2::int) i`,
      [versionId, String(count)],
    );
    await run(
      `INSERT INTO ${kind}_responses (version_id, ${kind}_id, status) SELECT $1, id, NULL FROM ${kind}s WHERE version_id = $1`,
      [versionId],
    );
    await run(
      `INSERT INTO ${kind}_body_definitions (version_id, ${kind}_id, response_id, definition_id)
       SELECT $1, o.id, NULL, d.id FROM ${kind}s o JOIN definitions d ON d.version_id = o.version_id AND d.name = 'def_1'
       WHERE o.version_id = $1
       UNION ALL
       SELECT $1, r.${kind}_id, r.id, d.id FROM ${kind}_responses r JOIN definitions d ON d.version_id = r.version_id AND d.name = 'def_1'
       WHERE r.version_id = $1 AND '${kind}' = 'action'`,
      [versionId],
    );
  }
}

export async function seed(backend: SqlBackend, copySizes: number[]): Promise<Seed> {
  const run = async (query: string, params: (string | null)[] = []) => (await backend.query({ query, params })).rows;
  const { organisationId, apiKey } = await createOrganisationWithKey(
    async (query, params) => ({ rows: await run(query, params) }),
    `bench-${Date.now()}`,
  );
  const connector = async (name: string) => {
    const [row] = await run(
      `INSERT INTO connectors (organisation_id, name, base_url) VALUES ($1, $2, 'https://bench.example.com') RETURNING id`,
      [organisationId, name],
    );
    const id = row?.[0];
    if (typeof id !== 'string') throw new Error('no connector id');
    return id;
  };
  const version = async (connectorId: string, name: string, publishedAt: string | null = null) => {
    const [row] = await run(
      `INSERT INTO connector_versions (connector_id, name, published_at) VALUES ($1, $2, $3) RETURNING id`,
      [connectorId, name, publishedAt],
    );
    const id = row?.[0];
    if (typeof id !== 'string') throw new Error('no version id');
    return id;
  };

  const readConnectorId = await connector('read');
  for (let i = 1; i <= 30; i++) {
    await version(readConnectorId, `1.0.${i}`, i === 30 ? new Date().toISOString() : null);
  }
  const copyConnectorIds = new Map<number, string>();
  for (const n of copySizes) {
    const id = await connector(`copy-${n}`);
    await seedChildren(backend, await version(id, 'source', new Date().toISOString()), n);
    copyConnectorIds.set(n, id);
  }
  return {
    organisationId,
    apiKey,
    createConnectorId: await connector('create'),
    baselineConnectorId: await connector('baseline'),
    readConnectorId,
    copyConnectorIds,
  };
}
