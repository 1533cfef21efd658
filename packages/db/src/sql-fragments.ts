import { sql, type SQL } from 'drizzle-orm';

// Fragments of SQL text shared by the queries; they take table aliases, never user input.

/** A timestamp as the API prints it: UTC, milliseconds, `Z` (what `Date#toISOString` gives). */
export const isoTime = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The latest version of connector row `c`: the published one with the newest `published_at`
 * (ties broken by id). Used as `LEFT JOIN LATERAL (...) latest ON true`.
 */
export const latestVersionOf = (connector: string): string =>
  `SELECT l.id FROM connector_versions l
    WHERE l.connector_id = ${connector}.id AND l.published_at IS NOT NULL
    ORDER BY l.published_at DESC, l.id DESC LIMIT 1`;

/**
 * The id of the version `selector` names within connector row `c`: `latest`, `default` (the
 * chosen default, else latest; both in any case) or a version name. `latest` must be in scope.
 */
export const versionIdFor = (connector: string, selector: string): SQL => sql`(CASE lower(${selector}::text)
    WHEN 'latest' THEN latest.id
    WHEN 'default' THEN coalesce(${sql.raw(connector)}.default_version_id, latest.id)
    ELSE (SELECT n.id FROM connector_versions n
          WHERE n.connector_id = ${sql.raw(connector)}.id AND n.name = ${selector}::text)
  END)`;

/**
 * Version row `v` of connector row `c` as the API's ConnectorVersion JSON; `latest` must be in
 * scope. isLatest/isDefault are derived on read, so no interleaving of writes can make two
 * versions of one connector claim either.
 */
export const versionJson = (v: string, connector: string): string =>
  versionJsonWith(v, {
    isLatest: `coalesce(${v}.id = latest.id, false)`,
    isDefault: `coalesce(${v}.id = coalesce(${connector}.default_version_id, latest.id), false)`,
  });

/**
 * A version just created as a draft: by the rules it is neither latest (only published versions
 * are) nor default (an explicit default is published; the fallback is latest), so nothing is read.
 */
export const draftVersionJson = (v: string): string => versionJsonWith(v, { isLatest: 'false', isDefault: 'false' });

const versionJsonWith = (v: string, flags: { isLatest: string; isDefault: string }): string =>
  `json_build_object(
    'id', ${v}.id,
    'name', ${v}.name,
    'description', ${v}.description,
    'isLatest', ${flags.isLatest},
    'isDefault', ${flags.isDefault},
    'createdAt', ${isoTime(`${v}.created_at`)},
    'updatedAt', ${isoTime(`${v}.updated_at`)},
    'publishedAt', ${isoTime(`${v}.published_at`)}
  )`;

/** Connector row `c` as the API's Connector JSON, its versions newest-updated first. */
export const connectorJson = (connector: string): string =>
  `json_build_object(
    'id', ${connector}.id,
    'organisationId', ${connector}.organisation_id,
    'name', ${connector}.name,
    'protocol', ${connector}.protocol,
    'baseUrl', ${connector}.base_url,
    'public', ${connector}.public,
    'documentationURL', coalesce(${connector}.documentation_url, ''),
    'imageURL', coalesce(${connector}.image_url, ''),
    'tags', ${connector}.tags,
    'connectionVariables', ${connector}.connection_variables,
    'authSchemeConfigs', '[]'::json,
    'connections', '[]'::json,
    'versions', (
      SELECT coalesce(json_agg(${versionJson('cv', connector)} ORDER BY cv.updated_at DESC, cv.id DESC), '[]'::json)
      FROM connector_versions cv
      LEFT JOIN LATERAL (${latestVersionOf(connector)}) latest ON true
      WHERE cv.connector_id = ${connector}.id
    ),
    'createdAt', ${isoTime(`${connector}.created_at`)},
    'updatedAt', ${isoTime(`${connector}.updated_at`)}
  )`;
