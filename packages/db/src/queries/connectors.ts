import type { Connector, Subscription } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { connectorJson, etagMatches, organisationOnFirstUse } from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { bare, execute, statement, sql } from '../sql-names.js';
import { exceededQuota, firstExceeded, lockOrganisation, quotaValue, type QuotaDetail, type Quotas } from './quotas.js';
import { refusalNamesAtMost, subscriptionsOf } from './subscription-json.js';
import { budgetedItems, keyset, limitOf, pageFrom, type BudgetedItems, type Page, type PageRequest } from './page.js';

/** A connector as the API shows it, built by the database (see `connectorJson`). */
export type ConnectorRow = Connector;

export interface NewConnector {
  organisationId: string;
  name: string;
  baseUrl: string;
  public?: boolean | undefined;
  documentationURL?: string | undefined;
  imageURL?: string | undefined;
  tags?: Record<string, string[]> | undefined;
  connectionVariables?: { name: string; value: string }[] | undefined;
}

/** The connector row (table alias or CTE) every statement here reads. */
const c = alias(connectors, 'c');

/** The entity tag of a connector row as `connectorJson` shows it (computed in SQL; see `Tagged`). */
const connectorEtag = (ref: typeof c) => sql`md5((${connectorJson(ref)})::text)`;

/** A connector, or the organisation's connectors quota is full. */
export type CreateConnectorResult = Outcome<ConnectorRow, 'quota_exceeded', QuotaDetail>;

export async function createConnector(
  db: Db,
  input: NewConnector & { quotas: Pick<Quotas, 'connectorsPerOrganisation'> },
): Promise<CreateConnectorResult> {
  const quota = input.quotas.connectorsPerOrganisation;
  const counted = alias(connectors, 'counted');
  // The organisation's row is locked (and created on first use) first, so racing creates count
  // each other's connectors (see quotas.ts); the insert runs only within the quota.
  const [, result] = await db.batch([
    db.execute(lockOrganisation(input.organisationId)),
    execute(
      db,
      statement<{ body: ConnectorRow | null; quota: string | null }>(
        writeStatement(
          sql`
    o AS (${organisationOnFirstUse(input.organisationId)}),
    over AS MATERIALIZED (
      SELECT ${firstExceeded([
        [
          sql`(SELECT count(*) FROM ${connectors} ${counted} WHERE ${counted.organisationId} = ${input.organisationId}) >= ${quotaValue(quota)}`,
          'connectorsPerOrganisation',
        ],
      ])} AS quota
    ),
    ${c} AS (
      INSERT INTO ${connectors} (${bare(
        connectors.organisationId,
        connectors.name,
        connectors.baseUrl,
        connectors.public,
        connectors.documentationUrl,
        connectors.imageUrl,
        connectors.tags,
        connectors.connectionVariables,
      )})
      SELECT ${input.organisationId}, ${input.name}, ${input.baseUrl}, ${input.public ?? false},
              ${input.documentationURL ?? null}, ${input.imageURL ?? null},
              ${JSON.stringify(input.tags ?? {})}::jsonb, ${JSON.stringify(input.connectionVariables ?? [])}::jsonb
      FROM over WHERE over.quota IS NULL
      RETURNING *
    )`,
          sql`SELECT (SELECT ${connectorJson(c)} FROM ${c}) AS body, over.quota FROM over`,
        ),
      ),
    ),
  ]);
  const row = result.rows[0];
  const exceeded = exceededQuota(input.quotas, row?.quota);
  if (exceeded) return { ok: false, reason: 'quota_exceeded', quota: exceeded };
  if (!row?.body) throw new Error('INSERT … RETURNING returned no row');
  return done(row.body);
}

export async function getConnector(
  db: Db,
  input: { organisationId: string; connectorId: string },
): Promise<Outcome<Tagged<ConnectorRow>, 'connector_not_found'>> {
  const result = await execute(
    db,
    statement<Tagged<ConnectorRow>>(sql`
    SELECT s.body, md5(s.body::text) AS etag FROM (
      SELECT ${connectorJson(c)} AS body FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
    ) s
  `),
  );
  const row = result.rows[0];
  return row ? done({ body: row.body, etag: row.etag }) : refused('connector_not_found');
}

/**
 * A page of the organisation's connectors, most recently updated first: `first` of them, or fewer
 * when they pass `pageBudgetBytes` of JSON.
 */
export async function listConnectors(
  db: Db,
  input: { organisationId: string; page: PageRequest },
): Promise<Page<ConnectorRow>> {
  const { where, order, other } = keyset(c, input.page);
  const mine = sql`${c.organisationId} = ${input.organisationId}`;
  const result = await db.execute<{ total: number; other_side: boolean; page: BudgetedItems<ConnectorRow> }>(sql`
    SELECT
      (SELECT count(*)::int FROM ${connectors} ${c} WHERE ${mine}) AS total,
      EXISTS (SELECT 1 FROM ${connectors} ${c} WHERE ${mine} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${connectorJson(c)} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${connectors} ${c}
        WHERE ${mine} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page
  `);
  const row = result.rows[0];
  if (!row) throw new Error('aggregate query returned no row');
  const scope = connectorCursorScope(input.organisationId);
  return pageFrom(row.page.items, input.page, scope, row.total, row.other_side, row.page.cut);
}

/** Connector cursors are valid only for the organisation they were issued for. */
export const connectorCursorScope = (organisationId: string) => `connectors:${organisationId}`;

/**
 * Replaces a connector's mutable fields, when the organisation has it and, with `ifMatch`, when its
 * entity tag is still that one. The row is locked before its tag is computed, so a concurrent write
 * with the same tag waits and then sees the changed row: exactly one of them passes.
 */
export async function updateConnector(
  db: Db,
  /** `ifMatch`: the entity tags (unquoted, comma-separated) of which the connector must still have one. */
  input: NewConnector & { connectorId: string; ifMatch?: string | undefined },
): Promise<Outcome<Tagged<ConnectorRow>, 'connector_not_found' | 'etag_mismatch'>> {
  const result = await execute(
    db,
    statement<{ found: boolean; body: ConnectorRow | null; etag: string | null }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, ${connectorEtag(c)} AS etag FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
      FOR UPDATE
    ),
    ${c} AS (
      UPDATE ${connectors} SET
        ${bare(connectors.name)} = ${input.name}, ${bare(connectors.baseUrl)} = ${input.baseUrl},
        ${bare(connectors.public)} = ${input.public ?? false},
        ${bare(connectors.documentationUrl)} = ${input.documentationURL ?? null},
        ${bare(connectors.imageUrl)} = ${input.imageURL ?? null},
        ${bare(connectors.tags)} = ${JSON.stringify(input.tags ?? {})}::jsonb,
        ${bare(connectors.connectionVariables)} = ${JSON.stringify(input.connectionVariables ?? [])}::jsonb,
        ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM cur
      WHERE ${connectors.id} = cur.id AND ${etagMatches(sql`cur.etag`, input.ifMatch)}
      RETURNING ${connectors}.*
    ),
    shown AS (SELECT ${connectorJson(c)} AS body FROM ${c})
    SELECT EXISTS (SELECT 1 FROM cur) AS found, shown.body, md5(shown.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN shown ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (row.body === null || row.etag === null) return refused('etag_mismatch');
  return done({ body: row.body, etag: row.etag });
}

/**
 * Deletes a connector with all its versions and their children; one whose versions products
 * subscribe to only with `force` (the refusal names the subscriptions). The row is locked in a
 * statement of its own first, so a subscribe that committed while this waited is seen.
 */
export async function deleteConnector(
  db: Db,
  input: { organisationId: string; connectorId: string; force: boolean; ifMatch?: string | undefined },
): Promise<
  Outcome<null, 'connector_not_found' | 'has_subscriptions' | 'etag_mismatch', { subscriptions?: Subscription[] }>
> {
  const v = alias(connectorVersions, 'v');
  const lock = sql`SELECT 1 FROM ${connectors} ${c}
    WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId} FOR UPDATE`;
  const [, result] = await db.batch([
    db.execute(lock),
    db.execute<{ found: boolean; matched: boolean; deleted: boolean; subscriptions: Subscription[] }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, ${connectorEtag(c)} AS etag FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
    ),
    ${c} AS (SELECT cur.id FROM cur WHERE ${etagMatches(sql`cur.etag`, input.ifMatch)}),
    subscribed AS (
      SELECT ${subscriptionsOf(sql`SELECT ${v.id} FROM ${connectorVersions} ${v} JOIN ${c} ON ${v.connectorId} = ${c.id}`, refusalNamesAtMost)} AS list
    ),
    deleted AS (
      DELETE FROM ${connectors} USING ${c}, subscribed
      WHERE ${connectors.id} = ${c.id} AND (${input.force} OR json_array_length(subscribed.list) = 0)
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM cur) AS found, EXISTS (SELECT 1 FROM ${c}) AS matched,
      EXISTS (SELECT 1 FROM deleted) AS deleted, (SELECT list FROM subscribed) AS subscriptions
  `),
  ]);
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (!row.matched) return refused('etag_mismatch');
  return row.deleted ? done(null) : { ...refused('has_subscriptions'), subscriptions: row.subscriptions };
}
