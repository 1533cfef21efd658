import type { ConnectorVersion, VersionDeprecation } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import {
  deprecationJson,
  draftVersionJson,
  etagMatches,
  joinLatest,
  versionIdFor,
  versionJson,
} from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { bare, sql } from '../sql-names.js';
import { copyChildrenCtes, nv, src } from './copy-version.js';
import {
  exceededQuota,
  firstExceeded,
  largestSchemaBytes,
  holdConnector,
  quotaValue,
  recheckVersionsQuota,
  versionChildren,
  versionSchemaBytes,
  type QuotaDetail,
  type Quotas,
  type VersionsRecheck,
} from './quotas.js';
import type { VersionNotice } from './version-children.js';
import { budgetedItems, keyset, limitOf, pageFrom, type BudgetedItems, type Page, type PageRequest } from './page.js';

/** A version as the API shows it, built by the database (see `versionJson`). */
export type VersionRow = ConnectorVersion;

export type CreateVersionResult = Outcome<
  VersionRow,
  'connector_not_found' | 'source_not_found' | 'source_etag_mismatch' | 'name_taken' | 'quota_exceeded',
  QuotaDetail
>;

/** The caller's connector (a CTE or subquery of its id and default), and a version of it. */
const c = alias(connectors, 'c');
const v = alias(connectorVersions, 'v');

const connectorOf = (organisationId: string, connectorId: string) =>
  sql`SELECT ${c.id}, ${c.defaultVersionId} FROM ${connectors} ${c}
      WHERE ${c.id} = ${connectorId} AND ${c.organisationId} = ${organisationId}`;

/**
 * The write of CreateConnectorVersion: insert the draft and, with `fromVersion`, copy every child of
 * the source — all or nothing. A name already taken (also by a racing request) inserts nothing:
 * `ON CONFLICT DO NOTHING` waits for the other insert, then yields an empty `nv`. Without
 * `fromVersion` the copy CTEs are left out rather than run empty. It runs without the connector's
 * lock, so its versions count misses racing creates: the batch's last statement counts again after
 * the lock (`recheckVersionsQuota`), for the version remembered in `connect.version_id`.
 */
export function createConnectorVersionSql(input: NewVersion) {
  const copy = input.fromVersion !== undefined;
  const { quotas } = input;
  const counted = alias(connectorVersions, 'counted');
  // Within the connector's versions quota (as far as this snapshot sees: a connector already full
  // copies nothing) and, for a copy, the source's children and schemas within the per-version quotas
  // as they are now (a lowered quota applies to copies too).
  const srcId = sql`(SELECT id FROM ${src})`;
  const over = firstExceeded([
    [
      sql`(SELECT count(*) FROM ${connectorVersions} ${counted} WHERE ${counted.connectorId} = ${c.id}) >= ${quotaValue(quotas.versionsPerConnector)}`,
      'versionsPerConnector',
    ],
    ...(copy
      ? ([
          [sql`${versionChildren(srcId)} > ${quotaValue(quotas.childrenPerVersion)}`, 'childrenPerVersion'],
          [sql`${versionSchemaBytes(srcId)} > ${quotaValue(quotas.versionBytes)}`, 'versionBytes'],
          [sql`${largestSchemaBytes(srcId)} > ${quotaValue(quotas.schemaBytes)}`, 'schemaBytes'],
        ] satisfies Parameters<typeof firstExceeded>[0])
      : []),
  ]);
  // With `sourceIfMatch`, the source only when it still has one of those tags (compared in the
  // snapshot the copy reads it from, so what is copied is what was matched).
  const source = input.fromVersion
    ? sql`SELECT ${v.id}, md5((${versionJson(v, c)})::text) AS etag FROM ${c} ${joinLatest(c)}
          JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, input.fromVersion)}`
    : sql`SELECT NULL::text AS id, NULL::text AS etag WHERE false`;
  return writeStatement(
    sql`
    ${c} AS (${connectorOf(input.organisationId, input.connectorId)}),
    from_version AS MATERIALIZED (${source}),
    ${src} AS MATERIALIZED (SELECT id FROM from_version WHERE ${etagMatches(sql`from_version.etag`, input.sourceIfMatch)}),
    over AS MATERIALIZED (SELECT ${over} AS quota FROM ${c}),
    ${nv} AS (
      INSERT INTO ${connectorVersions} (${bare(connectorVersions.connectorId, connectorVersions.name, connectorVersions.description)})
      SELECT ${c.id}, ${input.name}, ${input.description ?? ''} FROM ${c}
      WHERE (${!copy} OR EXISTS (SELECT 1 FROM ${src})) AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)
      ON CONFLICT (${bare(connectorVersions.connectorId, connectorVersions.name)}) DO NOTHING
      RETURNING *
    )${copy ? sql`, ${copyChildrenCtes}` : sql``}`,
    sql`
    SELECT
      EXISTS (SELECT 1 FROM ${c}) AS connector_found,
      EXISTS (SELECT 1 FROM from_version) AS source_found,
      EXISTS (SELECT 1 FROM ${src}) AS source_matched,
      (SELECT quota FROM over) AS quota,
      (SELECT ${draftVersionJson(nv)} FROM ${nv}) AS version,
      set_config('connect.version_id', coalesce((SELECT id FROM ${nv}), ''), true) AS remembered`,
  );
}

export interface NewVersion {
  organisationId: string;
  connectorId: string;
  name: string;
  description?: string | undefined;
  fromVersion?: string | undefined;
  /** Entity tags (unquoted, comma-separated) of which `fromVersion` must still have one. */
  sourceIfMatch?: string | undefined;
  quotas: Pick<Quotas, 'versionsPerConnector' | 'childrenPerVersion' | 'versionBytes' | 'schemaBytes'>;
}

/**
 * Creates a draft version, optionally copying another, in one round trip: [hold the connector, the
 * write (`createConnectorVersionSql`), the versions quota's recheck under the connector's lock]. Only
 * the recheck takes turns, so creates and copies into one connector run side by side.
 */
export async function createConnectorVersion(db: Db, input: NewVersion): Promise<CreateVersionResult> {
  const [, result, recheck] = await db.batch([
    db.execute(holdConnector(input.organisationId, input.connectorId)),
    db.execute<{
      connector_found: boolean;
      source_found: boolean;
      source_matched: boolean;
      quota: string | null;
      version: VersionRow | null;
    }>(createConnectorVersionSql(input)),
    db.execute<VersionsRecheck>(recheckVersionsQuota(input.quotas.versionsPerConnector)),
  ]);

  const row = result.rows[0];
  if (!row?.connector_found) return refused('connector_not_found');
  if (input.fromVersion !== undefined && !row.source_found) return refused('source_not_found');
  if (input.fromVersion !== undefined && !row.source_matched) return refused('source_etag_mismatch');
  // Over by the recheck: racing requests took the last places while this one wrote, and the version
  // is gone again; the same answer as when the write's own count found the connector full.
  const exceeded = exceededQuota(input.quotas, recheck.rows[0]?.over ? 'versionsPerConnector' : row.quota);
  if (exceeded) return { ok: false, reason: 'quota_exceeded', quota: exceeded };
  if (!row.version) return refused('name_taken');
  return done(row.version);
}

export type GetVersionResult = Outcome<Tagged<VersionRow>, 'connector_not_found' | 'version_not_found'>;

/** One version by name, `latest` or `default`. */
export async function getConnectorVersion(
  db: Db,
  input: { organisationId: string; connectorId: string; version: string; notice?: VersionNotice | undefined },
): Promise<GetVersionResult> {
  const result = await db.execute<{
    version: VersionRow | null;
    etag: string | null;
    deprecation: VersionDeprecation | null;
  }>(sql`
    SELECT s.version, md5(s.version::text) AS etag, s.deprecation FROM (
      SELECT found.version, found.deprecation
      FROM (${connectorOf(input.organisationId, input.connectorId)}) ${c}
      ${joinLatest(c)}
      LEFT JOIN LATERAL (
        SELECT ${versionJson(v, c)} AS version, ${deprecationJson(v)} AS deprecation FROM ${connectorVersions} ${v}
        WHERE ${v.id} = ${versionIdFor(c, input.version)}
      ) found ON true
    ) s
  `);
  const row = result.rows[0];
  if (input.notice && row) input.notice.deprecation = row.deprecation;
  if (!row) return refused('connector_not_found');
  if (!row.version || row.etag === null) return refused('version_not_found');
  return done({ body: row.version, etag: row.etag });
}

/** A page of a connector's versions, most recently updated first. */
export async function listConnectorVersions(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    page: PageRequest;
    /** Only deprecated versions (true), only the others (false), or all (undefined). */
    deprecated?: boolean | undefined;
  },
): Promise<Outcome<Page<VersionRow>, 'connector_not_found'>> {
  const { where: after, order, other: beyond } = keyset(v, input.page);
  const filter =
    input.deprecated === undefined
      ? sql`true`
      : input.deprecated
        ? sql`${v.deprecatedAt} IS NOT NULL`
        : sql`${v.deprecatedAt} IS NULL`;
  const where = sql`${after} AND ${filter}`;
  const other = sql`${beyond} AND ${filter}`;
  const result = await db.execute<{ total: number; other_side: boolean; page: BudgetedItems<VersionRow> }>(sql`
    SELECT
      (SELECT count(*)::int FROM ${connectorVersions} ${v} WHERE ${v.connectorId} = ${c.id} AND ${filter}) AS total,
      EXISTS (SELECT 1 FROM ${connectorVersions} ${v} WHERE ${v.connectorId} = ${c.id} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${versionJson(v, c)} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${connectorVersions} ${v}
        WHERE ${v.connectorId} = ${c.id} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page
    FROM (${connectorOf(input.organisationId, input.connectorId)}) ${c}
    ${joinLatest(c)}
  `);
  const row = result.rows[0];
  if (!row) return refused('connector_not_found');
  const scope = versionCursorScope(input.connectorId, input.deprecated);
  return done(pageFrom(row.page.items, input.page, scope, row.total, row.other_side, row.page.cut));
}

/** Version cursors are valid only for the connector (and `deprecated` filter) they were issued for. */
export const versionCursorScope = (connectorId: string, deprecated?: boolean) =>
  `versions:${connectorId}${deprecated === undefined ? '' : `:deprecated=${String(deprecated)}`}`;
