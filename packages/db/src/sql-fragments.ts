import { embeddedVersionsBudgetBytes, embeddedVersionsMax } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { fittingRows } from './queries/page.js';
import { connectors, connectorVersions } from './schema/connectors.js';
import { organisations } from './schema/organisations.js';
import { versionSubscriptions } from './schema/subscriptions.js';
import { type Aliased, bare, builtOnce, sql } from './sql-names.js';

// Fragments of SQL shared by the queries; they take table aliases (see sql-names.ts), and any value
// only as a bound parameter.

/** A connector row under some alias (a table alias, or a CTE of connector rows). */
export type ConnectorRef = Aliased<typeof connectors>;
/** A version row under some alias (a table alias, or a CTE of version rows). */
export type VersionRef = Aliased<typeof connectorVersions>;

/** A timestamp as the API prints it: UTC, milliseconds, `Z` (what `Date#toISOString` gives). */
export const isoTime = (column: PgColumn): SQL =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The connector and version a statement works on, as CTEs `c` and `v` (of their tables' rows) or
 * as table aliases; the fragments for a version's children read the version's name from `v`.
 */
export const scopeConnector = alias(connectors, 'c');
export const scopeVersion = alias(connectorVersions, 'v');

/** The row `joinLatest` brings into scope: only its id is read. */
export const latest = alias(connectorVersions, 'latest');

/**
 * The latest version of `connector`: the published one with the newest `published_at` (ties
 * broken by id), joined as `latest` (always a row; its id is null when nothing is published).
 */
export const joinLatest = builtOnce((connector: ConnectorRef): SQL => {
  const l = alias(connectorVersions, 'l');
  return sql`LEFT JOIN LATERAL (SELECT ${l.id} FROM ${connectorVersions} ${l}
    WHERE ${l.connectorId} = ${connector.id} AND ${l.publishedAt} IS NOT NULL
    ORDER BY ${l.publishedAt} DESC, ${l.id} DESC LIMIT 1) ${latest} ON true`;
});

/**
 * The id of the version `selector` names within `connector`: `latest`, `default` (the chosen
 * default, else latest; both in any case) or a version name. `latest` must be in scope.
 */
export const versionIdFor = (connector: ConnectorRef, selector: string): SQL => {
  const n = alias(connectorVersions, 'n');
  return sql`(CASE lower(${selector}::text)
    WHEN 'latest' THEN ${latest.id}
    WHEN 'default' THEN coalesce(${connector.defaultVersionId}, ${latest.id})
    ELSE (SELECT ${n.id} FROM ${connectorVersions} ${n}
          WHERE ${n.connectorId} = ${connector.id} AND ${n.name} = ${selector}::text)
  END)`;
};

/**
 * Version row `v` of `connector` as the API's ConnectorVersion JSON; `latest` must be in scope.
 * isLatest/isDefault are derived on read, so no interleaving of writes can make two versions of
 * one connector claim either.
 */
export const versionJson = builtOnce(
  (v: VersionRef, connector: ConnectorRef): SQL =>
    versionJsonWith(v, {
      isLatest: sql`coalesce(${v.id} = ${latest.id}, false)`,
      isDefault: sql`coalesce(${v.id} = coalesce(${connector.defaultVersionId}, ${latest.id}), false)`,
      // Counted in the same statement as the version, so a read stays one round trip.
      subscriptionCount: sql`(SELECT count(*)::int FROM ${versionSubscriptions} WHERE ${versionSubscriptions.versionId} = ${v.id})`,
    }),
);

/**
 * A version just created as a draft: by the rules it is neither latest (only published versions
 * are) nor default (an explicit default is published; the fallback is latest), so nothing is read.
 */
export const draftVersionJson = builtOnce(
  (v: VersionRef): SQL =>
    versionJsonWith(v, { isLatest: sql`false`, isDefault: sql`false`, subscriptionCount: sql`0` }),
);

const versionJsonWith = (v: VersionRef, flags: { isLatest: SQL; isDefault: SQL; subscriptionCount: SQL }): SQL =>
  sql`json_build_object(
    'id', ${v.id},
    'name', ${v.name},
    'description', ${v.description},
    'isLatest', ${flags.isLatest},
    'isDefault', ${flags.isDefault},
    'createdAt', ${isoTime(v.createdAt)},
    'updatedAt', ${isoTime(v.updatedAt)},
    'publishedAt', ${isoTime(v.publishedAt)},
    'subscriptionCount', ${flags.subscriptionCount},
    'deprecatedAt', ${isoTime(v.deprecatedAt)},
    'sunsetAt', ${isoTime(v.sunsetAt)},
    'deprecationMessage', ${v.deprecationMessage}
  )`;

/**
 * What the HTTP layer needs to say of version row `v` when it is deprecated (contracts'
 * `VersionDeprecation`), else null: its dates and its successor, the newest published version
 * that is not deprecated and was published after it. Read beside the answer, so a read of a
 * deprecated version (or of its children) stays one round trip.
 */
export const deprecationJson = builtOnce((v: VersionRef): SQL => {
  const s = alias(connectorVersions, 'successor');
  return sql`CASE WHEN ${v.deprecatedAt} IS NULL THEN NULL ELSE json_build_object(
    'deprecatedAt', ${isoTime(v.deprecatedAt)},
    'sunsetAt', ${isoTime(v.sunsetAt)},
    'successor', (SELECT ${s.name} FROM ${connectorVersions} ${s}
      WHERE ${s.connectorId} = ${v.connectorId} AND ${s.publishedAt} > ${v.publishedAt} AND ${s.deprecatedAt} IS NULL
      ORDER BY ${s.publishedAt} DESC, ${s.id} DESC LIMIT 1)
  ) END`;
});

/**
 * The versions `connector`'s JSON embeds: only its most recently updated ones, at most
 * `embeddedVersionsMax` and `embeddedVersionsBudgetBytes` of them (the first page of its versions
 * list, which pages the rest): with every version embedded, a connector of 5,000 versions was
 * larger than the database driver can answer. The bounds are written into the text (not bound as
 * values) so the fragment is built once. `publishedOnly`: drafts left out (the public library).
 */
const embeddedVersions = (connector: ConnectorRef, publishedOnly: boolean): SQL => {
  const cv = alias(connectorVersions, 'cv');
  const order = sql`${cv.updatedAt} DESC, ${cv.id} DESC`;
  return sql`(
      SELECT coalesce(json_agg(s.body ORDER BY s.ord) FILTER (WHERE s.fits), '[]'::json)
      FROM (${fittingRows(
        sql`
        SELECT ${versionJson(cv, connector)} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${connectorVersions} ${cv}
        ${joinLatest(connector)}
        WHERE ${cv.connectorId} = ${connector.id}${publishedOnly ? sql` AND ${cv.publishedAt} IS NOT NULL` : sql``}
        ORDER BY ${order}
        LIMIT ${sql.raw(String(embeddedVersionsMax))}`,
        sql.raw(String(embeddedVersionsBudgetBytes)),
      )}) s
    )`;
};

/** `connector` as the API's Connector JSON, embedding its recent versions (see `embeddedVersions`). */
export const connectorJson = builtOnce(
  (connector: ConnectorRef): SQL => connectorJsonWith(connector, embeddedVersions(connector, false)),
);

/** `connector` as the public library shows it to everyone: its published versions only. */
export const publicConnectorJson = builtOnce(
  (connector: ConnectorRef): SQL => connectorJsonWith(connector, embeddedVersions(connector, true)),
);

/**
 * `connector` as the API's Connector JSON with `versions` (a JSON array) embedded: a statement that
 * has just added a version, which its own snapshot cannot read back, embeds it this way.
 */
export const connectorJsonWith = (connector: ConnectorRef, versions: SQL): SQL => sql`json_build_object(
    'id', ${connector.id},
    'organisationId', ${connector.organisationId},
    'name', ${connector.name},
    'protocol', ${connector.protocol},
    'baseUrl', ${connector.baseUrl},
    'public', ${connector.public},
    'documentationURL', coalesce(${connector.documentationUrl}, ''),
    'imageURL', coalesce(${connector.imageUrl}, ''),
    'tags', ${connector.tags},
    'categories', to_json(${connector.categories}),
    'connectionVariables', ${connector.connectionVariables},
    'authSchemeConfigs', ${connector.authSchemeConfigs},
    'compatibilityPolicy', ${connector.compatibilityPolicy},
    'connections', '[]'::json,
    'versions', ${versions},
    'createdAt', ${isoTime(connector.createdAt)},
    'updatedAt', ${isoTime(connector.updatedAt)}
  )`;

/** The versions `connector` embeds with `first` (a version row's JSON) ahead of them, within the same bounds. */
export const embeddedVersionsAfter = (connector: ConnectorRef, first: SQL): SQL => sql`(
    SELECT json_agg(e.body ORDER BY e.ord) FROM (
      SELECT ${first} AS body, 0::bigint AS ord
      UNION ALL
      SELECT x.body, x.ord FROM json_array_elements(${embeddedVersions(connector, false)}) WITH ORDINALITY x(body, ord)
      WHERE x.ord < ${sql.raw(String(embeddedVersionsMax))}
    ) e
  )`;

/**
 * A CTE body giving the caller's organisation its row if it has none yet: an organisation known
 * only from a verified id_token gets it with its first write.
 */
export const organisationOnFirstUse = (organisationId: string): SQL => sql`
  INSERT INTO ${organisations} (${bare(organisations.id, organisations.name)})
  VALUES (${organisationId}, ${organisationId})
  ON CONFLICT (${bare(organisations.id)}) DO NOTHING`;

/**
 * True when the entity tag `etag` (SQL) is one of `ifMatch` (unquoted tags, comma-separated, as
 * the API passes an `If-Match` header), and always without `ifMatch`.
 */
export const etagMatches = (etag: SQL, ifMatch: string | undefined): SQL =>
  sql`(${ifMatch ?? null}::text IS NULL OR ${etag} = ANY (string_to_array(${ifMatch ?? null}::text, ',')))`;
