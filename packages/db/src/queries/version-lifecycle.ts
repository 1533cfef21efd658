import type { ConnectorVersion } from '@connect/contracts';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { latestVersionOf, versionIdFor, versionJson } from '../sql-fragments.js';

// Publish, unpublish, update and delete of a version. Each is one round trip: a batch in one
// transaction — the change, then a read of the version as it now is (a fresh snapshot, so
// isLatest/isDefault are right); publish locks the rows it checks first, and delete is one statement. Every change first locks the connector row, so the
// lifecycle requests of one connector take turns; the database's triggers hold the default rules.

export interface Target {
  organisationId: string;
  connectorId: string;
  /** A version name, `latest` or `default`. */
  version: string;
}

/** The connector row, locked, then the version the selector names with its derived flags. */
const lockedTarget = (t: Target): SQL => sql`
  c AS (
    SELECT c.* FROM connectors c WHERE c.id = ${t.connectorId} AND c.organisation_id = ${t.organisationId}
    FOR UPDATE
  ),
  v AS (
    SELECT v.*, coalesce(v.id = latest.id, false) AS is_latest,
           coalesce(v.id = coalesce(c.default_version_id, latest.id), false) AS is_default,
           coalesce(c.default_version_id = v.id, false) AS is_explicit_default
    FROM c LEFT JOIN LATERAL (${sql.raw(latestVersionOf('c'))}) latest ON true
    JOIN connector_versions v ON v.id = ${versionIdFor('c', t.version)}
  ),
  remembered AS (SELECT set_config('connect.version_id', coalesce((SELECT id FROM v), ''), true) AS id)`;

/** The version the first statement remembered, as the API shows it. */
const readBack = sql.raw(`
  SELECT ${versionJson('v', 'c')} AS version
  FROM connector_versions v JOIN connectors c ON c.id = v.connector_id
  LEFT JOIN LATERAL (${latestVersionOf('c')}) latest ON true
  WHERE v.id = current_setting('connect.version_id', true)`);

type Found = {
  connector_found: boolean;
  version_found: boolean;
  remembered: string;
};

// T is the shape of the row the caller's SQL selects, as with db.execute<T>.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
async function run<T extends Found>(db: Db, change: SQL): Promise<{ row: T; version: ConnectorVersion | null }> {
  const [changed, read] = await db.batch([db.execute<T>(change), db.execute<{ version: ConnectorVersion }>(readBack)]);
  return firstRow(changed.rows, read.rows);
}

function firstRow<T>(
  changed: T[],
  read: { version: ConnectorVersion }[],
): { row: T; version: ConnectorVersion | null } {
  const row = changed[0];
  if (!row) throw new Error('the change returned no row');
  return { row, version: read[0]?.version ?? null };
}

export type LifecycleResult<Failure extends string> =
  | { outcome: 'done'; version: ConnectorVersion }
  | { outcome: 'connector_not_found' | 'version_not_found' | Failure; messages?: string[] };

const notFound = (row: Found) =>
  !row.connector_found ? ('connector_not_found' as const) : !row.version_found ? ('version_not_found' as const) : null;

/**
 * Publishes a draft that passes the checks: every action and trigger has at least one response.
 * (Links always resolve: foreign keys keep them inside the version, and a definition cannot be
 * deleted while something refers to it.) `published_at` is the time of the
 * change, taken after the connector lock, so publishes of one connector are ordered in time.
 */
export async function publishVersion(db: Db, t: Target): Promise<LifecycleResult<'version_published' | 'invalid'>> {
  // Locks first, in the order every lifecycle change takes them (connector, then version), so the
  // checks below start after any change to the version's children has committed and see it.
  const lock = sql`
    WITH c AS (SELECT c.* FROM connectors c WHERE c.id = ${t.connectorId} AND c.organisation_id = ${t.organisationId}
               FOR UPDATE),
    v AS (SELECT v.id FROM c LEFT JOIN LATERAL (${sql.raw(latestVersionOf('c'))}) latest ON true
          JOIN connector_versions v ON v.id = ${versionIdFor('c', t.version)} FOR UPDATE OF v)
    SELECT count(*) AS locked FROM v`;
  const change = sql`
    WITH ${lockedTarget(t)},
    problems AS (
      SELECT format('action "%s" has no response', a.name) AS text
      FROM actions a JOIN v ON a.version_id = v.id
      WHERE NOT EXISTS (SELECT 1 FROM action_responses r WHERE r.version_id = v.id AND r.action_id = a.id)
      UNION ALL
      SELECT format('trigger "%s" has no response', tr.name)
      FROM triggers tr JOIN v ON tr.version_id = v.id
      WHERE NOT EXISTS (SELECT 1 FROM trigger_responses r WHERE r.version_id = v.id AND r.trigger_id = tr.id)
    ),
    changed AS (
      UPDATE connector_versions SET published_at = clock_timestamp(), updated_at = clock_timestamp()
      FROM v
      WHERE connector_versions.id = v.id AND connector_versions.published_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM problems)
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM c) AS connector_found, EXISTS (SELECT 1 FROM v) AS version_found,
           (SELECT id FROM remembered) AS remembered,
           (SELECT coalesce(json_agg(text ORDER BY text), '[]'::json) FROM problems) AS problems,
           EXISTS (SELECT 1 FROM changed) AS changed
  `;
  const [, changed, read] = await db.batch([
    db.execute(lock),
    db.execute<Found & { problems: string[]; changed: boolean }>(change),
    db.execute<{ version: ConnectorVersion }>(readBack),
  ]);
  const { row, version } = firstRow(changed.rows, read.rows);
  const missing = notFound(row);
  if (missing) return { outcome: missing };
  if (row.changed && version) return { outcome: 'done', version };
  if (version?.publishedAt) return { outcome: 'version_published' };
  return { outcome: 'invalid', messages: row.problems };
}

/** Makes a published version a draft again; refused for the connector's chosen default. */
export async function unpublishVersion(
  db: Db,
  t: Target,
): Promise<LifecycleResult<'version_not_published' | 'version_is_default'>> {
  const { row, version } = await run<Found & { is_default: boolean; changed: boolean }>(
    db,
    sql`
    WITH ${lockedTarget(t)},
    changed AS (
      UPDATE connector_versions SET published_at = NULL, updated_at = clock_timestamp()
      FROM v, c
      WHERE connector_versions.id = v.id AND connector_versions.published_at IS NOT NULL
        AND c.default_version_id IS DISTINCT FROM v.id
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM c) AS connector_found, EXISTS (SELECT 1 FROM v) AS version_found,
           (SELECT id FROM remembered) AS remembered,
           coalesce((SELECT is_explicit_default FROM v), false) AS is_default,
           EXISTS (SELECT 1 FROM changed) AS changed
  `,
  );
  const missing = notFound(row);
  if (missing) return { outcome: missing };
  if (row.changed && version) return { outcome: 'done', version };
  return { outcome: row.is_default ? 'version_is_default' : 'version_not_published' };
}

export interface VersionChanges {
  /** Read-only fields as the caller sent them: each must match the version. */
  id?: string | undefined;
  name?: string | undefined;
  createdAt?: string | undefined;
  publishedAt?: string | null | undefined;
  isLatest?: boolean | undefined;
  description?: string | undefined;
  isDefault?: boolean | undefined;
}

export type UpdateFailure = 'read_only' | 'version_published' | 'default_not_published' | 'default_is_latest';

/**
 * Updates a version: its description (drafts only) and whether it is the connector's chosen
 * default (published versions only; clearing it lets the default fall back to latest).
 */
export async function updateVersion(
  db: Db,
  t: Target,
  changes: VersionChanges,
): Promise<LifecycleResult<UpdateFailure> & { fields?: string[] }> {
  const { row, version } = await run<Found & { read_only: string[]; outcome: string; changed: boolean }>(
    db,
    sql`
    WITH ${lockedTarget(t)},
    decision AS (
      SELECT v.id,
        array_remove(ARRAY[
          CASE WHEN ${changes.id ?? null}::text IS NOT NULL AND ${changes.id ?? null}::text <> v.id THEN 'id' END,
          CASE WHEN ${changes.name ?? null}::text IS NOT NULL AND ${changes.name ?? null}::text <> v.name THEN 'name' END,
          CASE WHEN ${changes.createdAt ?? null}::timestamptz IS NOT NULL
                AND ${changes.createdAt ?? null}::timestamptz <> v.created_at THEN 'createdAt' END,
          CASE WHEN ${changes.publishedAt !== undefined}
                AND ${changes.publishedAt ?? null}::timestamptz IS DISTINCT FROM v.published_at THEN 'publishedAt' END,
          CASE WHEN ${changes.isLatest ?? null}::boolean IS NOT NULL AND ${changes.isLatest ?? null}::boolean <> v.is_latest
               THEN 'isLatest' END
        ], NULL) AS read_only,
        ${changes.description ?? null}::text IS NOT NULL AND ${changes.description ?? null}::text <> v.description AS new_description,
        -- Compared with the explicit choice: true on the version that is default only as latest pins it.
        ${changes.isDefault ?? null}::boolean IS NOT NULL AND ${changes.isDefault ?? null}::boolean <> v.is_explicit_default AS new_default,
        v.is_default,
        v.published_at IS NOT NULL AS published, v.is_explicit_default
      FROM v
    ),
    verdict AS (
      SELECT d.*, CASE
        WHEN cardinality(d.read_only) > 0 THEN 'read_only'
        WHEN d.new_description AND d.published THEN 'version_published'
        WHEN d.new_default AND ${changes.isDefault ?? null}::boolean AND NOT d.published THEN 'default_not_published'
        WHEN NOT ${changes.isDefault ?? null}::boolean AND d.is_default AND NOT d.is_explicit_default THEN 'default_is_latest'
        ELSE 'ok' END AS outcome
      FROM decision d
    ),
    described AS (
      UPDATE connector_versions SET description = ${changes.description ?? null}::text, updated_at = clock_timestamp()
      FROM verdict WHERE connector_versions.id = verdict.id AND verdict.outcome = 'ok' AND verdict.new_description
      RETURNING 1
    ),
    defaulted AS (
      UPDATE connectors SET default_version_id = CASE WHEN ${changes.isDefault ?? null}::boolean THEN verdict.id END,
                            updated_at = clock_timestamp()
      FROM verdict, c WHERE connectors.id = c.id AND verdict.outcome = 'ok' AND verdict.new_default
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM c) AS connector_found, EXISTS (SELECT 1 FROM v) AS version_found,
           (SELECT id FROM remembered) AS remembered,
           coalesce((SELECT to_json(read_only) FROM verdict), '[]'::json) AS read_only,
           coalesce((SELECT outcome FROM verdict), 'ok') AS outcome,
           EXISTS (SELECT 1 FROM described) OR EXISTS (SELECT 1 FROM defaulted) AS changed
  `,
  );
  const missing = notFound(row);
  if (missing) return { outcome: missing };
  if (row.outcome !== 'ok') return { outcome: row.outcome as UpdateFailure, fields: row.read_only };
  if (!version) return { outcome: 'version_not_found' };
  return { outcome: 'done', version };
}

/**
 * Deletes a version with its children. A published version only with `force`, which also clears
 * it as the connector's chosen default.
 */
export async function deleteVersion(
  db: Db,
  t: Target & { force: boolean },
): Promise<{ outcome: 'done' | 'connector_not_found' | 'version_not_found' | 'version_published' }> {
  const result = await db.execute<Found & { deleted: boolean }>(sql`
    WITH ${lockedTarget(t)},
    undefaulted AS (
      UPDATE connectors SET default_version_id = NULL
      FROM v, c WHERE connectors.id = c.id AND c.default_version_id = v.id AND ${t.force}
      RETURNING 1
    ),
    deleted AS (
      DELETE FROM connector_versions USING v
      WHERE connector_versions.id = v.id AND (connector_versions.published_at IS NULL OR ${t.force})
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM c) AS connector_found, EXISTS (SELECT 1 FROM v) AS version_found,
           (SELECT id FROM remembered) AS remembered, EXISTS (SELECT 1 FROM deleted) AS deleted
  `);
  const row = result.rows[0];
  if (!row) throw new Error('the delete returned no row');
  const missing = notFound(row);
  if (missing) return { outcome: missing };
  return { outcome: row.deleted ? 'done' : 'version_published' };
}
