import { createOrganisationWithKey } from '@connect/db/seed';
import type { SqlBackend } from '@connect/sql-endpoint';

export interface Seed {
  organisationId: string;
  apiKey: string;
  /**
   * Receive the versions the create scenarios make, one connector each: a create counts its
   * connector's versions (the quota) under the connector's lock, so scenarios sharing one would
   * each start where the one before left it, the later ones on a longer count.
   */
  createConnectorIds: { create: string; idempotent: string; trpc: string };
  /**
   * Thirty versions, the newest published: for get-latest and list. The oldest is published too,
   * a day earlier, and deprecated with a sunset (the newest is its successor): for get-deprecated.
   */
  readConnectorId: string;
  /** Where the baseline inserts its rows. */
  baselineConnectorId: string;
  /** Per N, a connector whose version `source` holds N children. */
  copyConnectorIds: Map<number, string>;
  /** Receives the connections connection-create makes, and holds the one connection-get reads. */
  connectionConnectorId: string;
  /** A connector whose version `source` is the costliest copy to rewrite (see `seedBomb`). */
  bomb: Bomb;
  /**
   * A connector with versions `1.0.0` and `2.0.0` of `diffSize` children each, every schema changed
   * (see `seedDiffPair`), under the `backward` compatibility policy (for publish-check).
   */
  diff: { connectorId: string; size: number };
  /**
   * A public connector of `libraryVersions` published versions (`lib-0`, `lib-1`, …) of 50
   * children each, for library-list and library-import (each import takes the next version).
   */
  library: { connectorId: string; versions: number };
}

/** Published versions of the public library's connector: more than library-import sends. */
export const libraryVersions = 150;

/** What the bomb's source version holds. */
export interface Bomb {
  connectorId: string;
  /** Definitions whose schemas are full of URLs. */
  schemas: number;
  /** Characters in each of those schemas. */
  schemaLength: number;
  /** Distinct definitions each of those schemas refers to by URL (a link each). */
  urlsPerSchema: number;
  definitions: number;
  links: number;
}

/** The API's bound on a schema's text (`maxSchemaBytes` in @connect/contracts). */
const maxSchemaCharacters = 256 * 1024;

/**
 * The costliest version to copy that the API's bounds allow, for its schema URL rewrite: `schemas`
 * definitions whose schemas are each as long as a schema may be and made only of `$ref`s, by URL,
 * to as many other definitions as fit (about 1,700; each a link), written as the API writes a URL
 * (…/o/{organisation}/schemas/{connector}/{version}/{id}.json). A copy must rewrite every one of
 * those URLs and copy every link. Inserted directly: 1,700 definitions and 100 × 1,700 links
 * through the API would take minutes to seed.
 */
async function seedBomb(
  backend: SqlBackend,
  organisationId: string,
  connectorId: string,
  versionId: string,
  schemas: number,
): Promise<Bomb> {
  const run = async (query: string, params: (string | null)[]) => (await backend.query({ query, params })).rows;
  const base = `https://api.example.com/api/connect/v1/o/${organisationId}/schemas/${connectorId}/source/`;
  const entryLength = `{"$ref":"${base}${'0'.repeat(26)}.json"}`.length;
  // `{"anyOf":[` + entries joined by commas + `]}`
  const urlsPerSchema = Math.floor((maxSchemaCharacters - '{"anyOf":[]}'.length + 1) / (entryLength + 1));
  await run(
    `INSERT INTO definitions (version_id, name, accept, schema_content_type, schema_content, referrer_names)
     SELECT $1, 'target_' || i, '{application/json}', 'application/schema+json', '{"type":"object"}',
            ARRAY(SELECT 'bomb_' || j FROM generate_series(1, $3::int) j ORDER BY 1)
     FROM generate_series(1, $2::int) i`,
    [versionId, String(urlsPerSchema), String(schemas)],
  );
  await run(
    `INSERT INTO definitions (version_id, name, accept, schema_content_type, schema_content)
     SELECT $1, 'bomb_' || j, '{application/json}', 'application/schema+json',
            '{"anyOf":[' || (SELECT string_agg('{"$ref":"' || $3::text || t.id || '.json"}', ',' ORDER BY t.name)
                            FROM definitions t WHERE t.version_id = $1 AND starts_with(t.name, 'target_')) || ']}'
     FROM generate_series(1, $2::int) j`,
    [versionId, String(schemas), base],
  );
  const [row] = await run(
    `SELECT max(length(schema_content))::text, count(*)::text,
            sum(cardinality(referrer_names))::text
     FROM definitions WHERE version_id = $1`,
    [versionId],
  );
  const [schemaLength, definitions, links] = (row ?? []).map(Number);
  if (schemaLength === undefined || schemaLength > maxSchemaCharacters) throw new Error('bomb schema too long');
  return { connectorId, schemas, schemaLength, urlsPerSchema, definitions: definitions ?? 0, links: links ?? 0 };
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
    `INSERT INTO definitions (version_id, name, accept, schema_content_type, schema_content, referrer_names)
     SELECT $1, 'def_' || i, '{application/json}', 'application/schema+json', '{"type":"object"}',
            CASE WHEN i < $2::int THEN ARRAY['def_' || (i + 1)] ELSE '{}' END
     FROM generate_series(1, $2::int) i`,
    [versionId, String(definitions)],
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

/**
 * Makes version `to` a changed copy of `from` (both seeded with `seedChildren`): every definition's
 * schema gains a required property (so every schema text differs and is compared), and every tenth
 * action changes method — the costliest diff of two versions this size.
 */
async function seedDiffPair(backend: SqlBackend, to: string): Promise<void> {
  const run = (query: string, params: (string | null)[]) => backend.query({ query, params });
  await run(
    `UPDATE definitions SET schema_content = '{"type":"object","properties":{"n":{"type":"string"}},"required":["n"]}'
     WHERE version_id = $1`,
    [to],
  );
  await run(`UPDATE actions SET method = 'PUT' WHERE version_id = $1 AND substr(name, 8)::int % 10 = 0`, [to]);
}

export async function seed(
  backend: SqlBackend,
  copySizes: number[],
  bombSchemas: number,
  diffSize: number,
): Promise<Seed> {
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
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  for (let i = 1; i <= 30; i++) {
    await version(readConnectorId, `1.0.${i}`, i === 30 ? new Date().toISOString() : i === 1 ? dayAgo : null);
  }
  await run(
    `UPDATE connector_versions SET deprecated_at = now(), sunset_at = now() + interval '90 days',
       deprecation_message = 'Move to 1.0.30' WHERE connector_id = $1 AND name = '1.0.1'`,
    [readConnectorId],
  );
  const copyConnectorIds = new Map<number, string>();
  for (const n of copySizes) {
    const id = await connector(`copy-${n}`);
    await seedChildren(backend, await version(id, 'source', new Date().toISOString()), n);
    copyConnectorIds.set(n, id);
  }
  const bombConnectorId = await connector('copy-bomb');
  const bomb = await seedBomb(
    backend,
    organisationId,
    bombConnectorId,
    await version(bombConnectorId, 'source'),
    bombSchemas,
  );
  const diffConnectorId = await connector('diff');
  await run(`UPDATE connectors SET compatibility_policy = 'backward' WHERE id = $1`, [diffConnectorId]);
  await seedChildren(backend, await version(diffConnectorId, '1.0.0', new Date().toISOString()), diffSize);
  const changed = await version(diffConnectorId, '2.0.0');
  await seedChildren(backend, changed, diffSize);
  await seedDiffPair(backend, changed);
  const libraryConnectorId = await connector('library');
  await run('UPDATE connectors SET public = true WHERE id = $1', [libraryConnectorId]);
  for (let i = 0; i < libraryVersions; i++) {
    await seedChildren(backend, await version(libraryConnectorId, `lib-${String(i)}`, new Date().toISOString()), 50);
  }
  // Statistics, as a database that has been in use has them: the planner's estimates right after a
  // bulk insert are guesses (the diff's statement read every version's links before this).
  await run('ANALYZE');
  return {
    organisationId,
    apiKey,
    diff: { connectorId: diffConnectorId, size: diffSize },
    library: { connectorId: libraryConnectorId, versions: libraryVersions },
    createConnectorIds: {
      create: await connector('create'),
      idempotent: await connector('create-idempotent'),
      trpc: await connector('create-trpc'),
    },
    baselineConnectorId: await connector('baseline'),
    connectionConnectorId: await connector('connections'),
    readConnectorId,
    copyConnectorIds,
    bomb,
  };
}
