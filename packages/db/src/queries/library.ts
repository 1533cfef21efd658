import type { Connector, ConnectorFilters } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { writeStatement } from '../idempotency.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import {
  connectorJsonWith,
  draftVersionJson,
  embeddedVersionsAfter,
  joinLatest,
  organisationOnFirstUse,
  publicConnectorJson,
  type ConnectorRef,
  versionIdFor,
} from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';
import { copyChildrenInto, nv, src } from './copy-version.js';
import { connectorConditions, connectorPage } from './connectors.js';
import type { Page, PageRequest } from './page.js';
import {
  exceededQuota,
  firstExceeded,
  largestSchemaBytes,
  lockOrganisation,
  quotaValue,
  recheckVersionsQuota,
  versionChildren,
  versionSchemaBytes,
  type QuotaDetail,
  type Quotas,
  type VersionsRecheck,
} from './quotas.js';

// The public library: connectors their organisations marked `public`, readable by every caller
// (their published versions only), and copied into the caller's organisation on import.

const c = alias(connectors, 'c');

/** A public connector: marked public and with something published to import. */
const pv = alias(connectorVersions, 'pv');
const listed = (row: ConnectorRef) => sql`${row.public} AND EXISTS (
  SELECT 1 FROM ${connectorVersions} ${pv} WHERE ${pv.connectorId} = ${row.id} AND ${pv.publishedAt} IS NOT NULL)`;

/**
 * A page of public connectors across organisations, most recently updated first, each with its
 * published versions only; filtered as ListConnectors is.
 */
export async function listPublicConnectors(
  db: Db,
  input: { page: PageRequest; filters?: ConnectorFilters; scope: string },
): Promise<Page<Connector>> {
  const shown = sql`${listed(c)} AND ${connectorConditions(c, input.filters ?? {})}`;
  return connectorPage(db, { ...input, shown, body: publicConnectorJson(c) });
}

export interface LibraryImport {
  organisationId: string;
  /** The public connector, of any organisation. */
  connectorId: string;
  /** One of its published versions: a name, `latest` or `default`. */
  version: string;
  quotas: Pick<
    Quotas,
    'connectorsPerOrganisation' | 'versionsPerConnector' | 'childrenPerVersion' | 'versionBytes' | 'schemaBytes'
  >;
}

export type LibraryImportResult = Outcome<
  Connector,
  'connector_not_found' | 'version_not_found' | 'name_taken' | 'quota_exceeded',
  QuotaDetail
>;

/**
 * Copies a public connector's published version into the caller's organisation as a draft, with
 * every child, in one round trip. The first import from a public connector creates the caller's
 * connector (its settings copied, `public` false); later ones add versions to that same connector
 * (`library_source_id`), so a library connector's versions stay together. The organisation's row
 * is locked first: racing first imports take turns, and the second adds to the connector the first
 * created (a unique key backs this). A version added to an existing connector is counted again at
 * the end under the connector's lock (`recheckVersionsQuota`), as creates and copies of versions are.
 */
export async function importLibraryVersion(db: Db, input: LibraryImport): Promise<LibraryImportResult> {
  const pc = alias(connectors, 'pc');
  const sv = alias(connectorVersions, 'sv');
  const mine = alias(connectors, 'mine');
  const counted = alias(connectors, 'counted');
  const vc = alias(connectorVersions, 'vc');
  const created = alias(connectors, 'created');
  const tc = alias(connectors, 'tc');
  const srcId = sql`(SELECT id FROM ${src})`;
  const over = firstExceeded([
    [
      sql`NOT EXISTS (SELECT 1 FROM ${mine}) AND (SELECT count(*) FROM ${connectors} ${counted} WHERE ${counted.organisationId} = ${input.organisationId}) >= ${quotaValue(input.quotas.connectorsPerOrganisation)}`,
      'connectorsPerOrganisation',
    ],
    [
      sql`(SELECT count(*) FROM ${connectorVersions} ${vc} WHERE ${vc.connectorId} = (SELECT id FROM ${mine})) >= ${quotaValue(input.quotas.versionsPerConnector)}`,
      'versionsPerConnector',
    ],
    [sql`${versionChildren(srcId)} > ${quotaValue(input.quotas.childrenPerVersion)}`, 'childrenPerVersion'],
    [sql`${versionSchemaBytes(srcId)} > ${quotaValue(input.quotas.versionBytes)}`, 'versionBytes'],
    [sql`${largestSchemaBytes(srcId)} > ${quotaValue(input.quotas.schemaBytes)}`, 'schemaBytes'],
  ]);
  const copiedColumns = bare(
    connectors.name,
    connectors.protocol,
    connectors.baseUrl,
    connectors.documentationUrl,
    connectors.imageUrl,
    connectors.tags,
    connectors.connectionVariables,
    connectors.categories,
    connectors.authSchemeConfigs,
  );
  // The caller's connector from this source, when it has one, held as `holdConnector` holds one: a
  // delete of it waits, or this import sees it gone; creates of versions on it run alongside, and
  // the versions quota is counted again at the end (quotas.ts).
  const held = alias(connectors, 'held');
  const [, , result, recheck] = await db.batch([
    db.execute(lockOrganisation(input.organisationId)),
    db.execute(sql`SELECT ${held.id} FROM ${connectors} ${held}
      WHERE ${held.organisationId} = ${input.organisationId} AND ${held.librarySourceId} = ${input.connectorId}
      FOR KEY SHARE`),
    execute(
      db,
      statement<{ source_found: boolean; version_found: boolean; quota: string | null; body: Connector | null }>(
        writeStatement(
          sql`
    o AS (${organisationOnFirstUse(input.organisationId)}),
    ${pc} AS MATERIALIZED (SELECT * FROM ${connectors} ${c} WHERE ${c.id} = ${input.connectorId} AND ${listed(c)}),
    ${src} AS MATERIALIZED (
      SELECT ${sv.id} AS id FROM ${pc} ${joinLatest(pc)}
      JOIN ${connectorVersions} ${sv} ON ${sv.id} = ${versionIdFor(pc, input.version)}
      WHERE ${sv.publishedAt} IS NOT NULL
    ),
    ${mine} AS MATERIALIZED (
      SELECT * FROM ${connectors} WHERE organisation_id = ${input.organisationId} AND library_source_id = ${input.connectorId}
    ),
    over AS MATERIALIZED (SELECT ${over} AS quota),
    ${created} AS (
      INSERT INTO ${connectors} (${bare(connectors.organisationId, connectors.librarySourceId)}, ${copiedColumns})
      SELECT ${input.organisationId}, ${pc.id}, ${sql.join(
        [
          pc.name,
          pc.protocol,
          pc.baseUrl,
          pc.documentationUrl,
          pc.imageUrl,
          pc.tags,
          pc.connectionVariables,
          pc.categories,
          pc.authSchemeConfigs,
        ],
        sql`, `,
      )}
      FROM ${pc}
      WHERE EXISTS (SELECT 1 FROM ${src}) AND NOT EXISTS (SELECT 1 FROM ${mine})
        AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)
      RETURNING *
    ),
    ${tc} AS (SELECT * FROM ${mine} UNION ALL SELECT * FROM ${created}),
    ${nv} AS (
      INSERT INTO ${connectorVersions} (${bare(connectorVersions.connectorId, connectorVersions.name, connectorVersions.description)})
      SELECT ${tc.id}, ${sv.name}, ${sv.description}
      FROM ${tc} CROSS JOIN ${connectorVersions} ${sv}
      WHERE ${sv.id} = ${srcId} AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)
      ON CONFLICT (${bare(connectorVersions.connectorId, connectorVersions.name)}) DO NOTHING
      RETURNING *
    ),
    ${copyChildrenInto(sql`${input.organisationId}::text`)}`,
          sql`
    SELECT
      EXISTS (SELECT 1 FROM ${pc}) AS source_found,
      EXISTS (SELECT 1 FROM ${src}) AS version_found,
      (SELECT quota FROM over) AS quota,
      (SELECT ${connectorJsonWith(tc, embeddedVersionsAfter(tc, draftVersionJson(nv)))} FROM ${tc}, ${nv}) AS body,
      set_config('connect.version_id', coalesce((SELECT id FROM ${nv}), ''), true) AS remembered`,
        ),
      ),
    ),
    // A connector this import created has no racing versions: the recheck finds it within the quota.
    db.execute<VersionsRecheck>(recheckVersionsQuota(input.quotas.versionsPerConnector)),
  ]);
  const row = result.rows[0];
  if (!row?.source_found) return refused('connector_not_found');
  if (!row.version_found) return refused('version_not_found');
  // Over by the recheck: racing requests took the last places while this one wrote, and the version
  // is gone again; the same answer as when the write's own count found the connector full.
  const exceeded = exceededQuota(input.quotas, recheck.rows[0]?.over ? 'versionsPerConnector' : row.quota);
  if (exceeded) return { ok: false, reason: 'quota_exceeded', quota: exceeded };
  if (!row.body) return refused('name_taken');
  return done(row.body);
}
