import type {
  AuthSchemeConfig,
  CompatibilityPolicy,
  Connector,
  ConnectorFilters,
  Subscription,
} from '@connect/contracts';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { connectorJson, type ConnectorRef, etagMatches, organisationOnFirstUse } from '../sql-fragments.js';
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
  authSchemeConfigs?: AuthSchemeConfig[] | undefined;
  /** Left out: `none` on create, unchanged on update. */
  compatibilityPolicy?: CompatibilityPolicy | undefined;
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
        connectors.authSchemeConfigs,
        connectors.compatibilityPolicy,
      )})
      SELECT ${input.organisationId}, ${input.name}, ${input.baseUrl}, ${input.public ?? false},
              ${input.documentationURL ?? null}, ${input.imageURL ?? null},
              ${JSON.stringify(input.tags ?? {})}::jsonb, ${JSON.stringify(input.connectionVariables ?? [])}::jsonb,
              ${JSON.stringify(input.authSchemeConfigs ?? [])}::jsonb, ${input.compatibilityPolicy ?? 'none'}
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
  input: { organisationId: string; page: PageRequest; filters?: ConnectorFilters; scope: string },
): Promise<Page<ConnectorRow>> {
  const mine = sql`${c.organisationId} = ${input.organisationId} AND ${connectorConditions(c, input.filters ?? {})}`;
  return connectorPage(db, { ...input, shown: mine, body: connectorJson(c) });
}

/**
 * A page of the connectors (row `c`) for which `shown` holds, each as `body` shows it, most recently
 * updated first: ListConnectors, and the public library's list.
 */
export async function connectorPage(
  db: Db,
  input: { page: PageRequest; scope: string; shown: SQL; body: SQL },
): Promise<Page<ConnectorRow>> {
  const { where, order, other } = keyset(c, input.page);
  const { shown } = input;
  const result = await db.execute<{ total: number; other_side: boolean; page: BudgetedItems<ConnectorRow> }>(sql`
    SELECT
      (SELECT count(*)::int FROM ${connectors} ${c} WHERE ${shown}) AS total,
      EXISTS (SELECT 1 FROM ${connectors} ${c} WHERE ${shown} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${input.body} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${connectors} ${c}
        WHERE ${shown} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page
  `);
  const row = result.rows[0];
  if (!row) throw new Error('aggregate query returned no row');
  return pageFrom(row.page.items, input.page, input.scope, row.total, row.other_side, row.page.cut);
}

/** `ILIKE` pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** A text[] parameter (sent as JSON: drizzle spreads an array into a list of parameters). */
const textArray = (items: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(items)}::jsonb))`;

/** The conditions of ListConnectors' filters on connector row `c`: each one given must hold. */
export function connectorConditions(c: ConnectorRef, filters: ConnectorFilters): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filters.name !== undefined) conditions.push(sql`${c.name} ILIKE ${containing(filters.name)}`);
  if (filters.protocol !== undefined) conditions.push(sql`${c.protocol} ILIKE ${containing(filters.protocol)}`);
  if (filters.tags !== undefined) {
    // Every key present, and each value given among its key's values (jsonb containment).
    const keys = filters.tags.map((term) => term.key);
    const values = filters.tags
      .filter((term) => term.value !== undefined)
      .map((term) => ({ [term.key]: [term.value] }));
    conditions.push(sql`jsonb_exists_all(${c.tags}, ${textArray(keys)})`);
    for (const value of values) conditions.push(sql`${c.tags} @> ${JSON.stringify(value)}::jsonb`);
  }
  if (filters.categories !== undefined && filters.categories.length > 0)
    conditions.push(sql`${c.categories} @> ${textArray(filters.categories)}`);
  return sql.join(conditions, sql` AND `);
}

/**
 * A connector's configs after an update: `configs` (a JSON list) replaces them; `ids` (a JSON list
 * of their ids) reorders them; neither leaves them as they are.
 */
const reorderedConfigs = (current: SQLWrapper, ids: string | null, configs: string | null): SQL => sql`
  CASE
    WHEN ${configs}::jsonb IS NOT NULL THEN ${configs}::jsonb
    WHEN ${ids}::jsonb IS NULL THEN ${current}
    ELSE (
      SELECT coalesce(jsonb_agg(e.config ORDER BY o.ord), '[]'::jsonb)
      FROM jsonb_array_elements(${current}) e(config)
      JOIN jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY o(id, ord) ON o.id = e.config->>'id'
    )
  END`;

/** Whether `ids` (when given) names each of the current configs exactly once. */
const idsMatch = (current: SQLWrapper, ids: string | null): SQL => sql`
  (${ids}::jsonb IS NULL OR (
    jsonb_array_length(${ids}::jsonb) = jsonb_array_length(${current})
    AND (SELECT count(DISTINCT t.id) FROM jsonb_array_elements_text(${ids}::jsonb) t(id)) = jsonb_array_length(${current})
    AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements_text(${ids}::jsonb) t(id)
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(${current}) e(config) WHERE e.config->>'id' = t.id)
    )
  ))`;

/**
 * Replaces a connector's mutable fields, when the organisation has it and, with `ifMatch`, when its
 * entity tag is still that one. The row is locked before its tag is computed, so a concurrent write
 * with the same tag waits and then sees the changed row: exactly one of them passes.
 */
export async function updateConnector(
  db: Db,
  /** `ifMatch`: the entity tags (unquoted, comma-separated) of which the connector must still have one. */
  input: NewConnector & {
    connectorId: string;
    ifMatch?: string | undefined;
    /** The configs' new order (exactly their ids); left out with `authSchemeConfigs`: unchanged. */
    authSchemeConfigIds?: string[] | undefined;
  },
): Promise<Outcome<Tagged<ConnectorRow>, 'connector_not_found' | 'etag_mismatch' | 'auth_scheme_config_ids_differ'>> {
  const ids = input.authSchemeConfigIds === undefined ? null : JSON.stringify(input.authSchemeConfigIds);
  const configs = input.authSchemeConfigs === undefined ? null : JSON.stringify(input.authSchemeConfigs);
  const result = await execute(
    db,
    statement<{ found: boolean; ids_ok: boolean | null; body: ConnectorRow | null; etag: string | null }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, ${connectorEtag(c)} AS etag,
        ${reorderedConfigs(c.authSchemeConfigs, ids, configs)} AS configs,
        ${idsMatch(c.authSchemeConfigs, ids)} AS ids_ok
      FROM ${connectors} ${c}
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
        ${bare(connectors.authSchemeConfigs)} = cur.configs,
        ${bare(connectors.compatibilityPolicy)} = coalesce(${input.compatibilityPolicy ?? null}::text, ${connectors.compatibilityPolicy}),
        ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM cur
      WHERE ${connectors.id} = cur.id AND cur.ids_ok AND ${etagMatches(sql`cur.etag`, input.ifMatch)}
      RETURNING ${connectors}.*
    ),
    shown AS (SELECT ${connectorJson(c)} AS body FROM ${c})
    SELECT EXISTS (SELECT 1 FROM cur) AS found, (SELECT cur.ids_ok FROM cur) AS ids_ok, shown.body,
      md5(shown.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN shown ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (row.ids_ok === false) return refused('auth_scheme_config_ids_differ');
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
