import type { Connector } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { connectorJson, organisationOnFirstUse } from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';
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

/** A statement whose rows are connectors as the API shows them. */
const connectorBodies = (query: SQL) => statement<{ body: ConnectorRow }>(query);

export async function createConnector(db: Db, input: NewConnector): Promise<ConnectorRow> {
  // An organisation known only from a verified id_token gets its row with its first connector.
  const result = await execute(
    db,
    connectorBodies(sql`
    WITH o AS (${organisationOnFirstUse(input.organisationId)}),
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
      VALUES (${input.organisationId}, ${input.name}, ${input.baseUrl}, ${input.public ?? false},
              ${input.documentationURL ?? null}, ${input.imageURL ?? null},
              ${JSON.stringify(input.tags ?? {})}::jsonb, ${JSON.stringify(input.connectionVariables ?? [])}::jsonb)
      RETURNING *
    )
    SELECT ${connectorJson(c)} AS body FROM ${c}
  `),
  );
  const row = result.rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row.body;
}

export async function getConnector(
  db: Db,
  input: { organisationId: string; connectorId: string },
): Promise<Outcome<ConnectorRow, 'connector_not_found'>> {
  const result = await execute(
    db,
    connectorBodies(sql`
    SELECT ${connectorJson(c)} AS body FROM ${connectors} ${c}
    WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
  `),
  );
  const row = result.rows[0];
  return row ? done(row.body) : refused('connector_not_found');
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

/** Replaces a connector's mutable fields, when the organisation has it. */
export async function updateConnector(
  db: Db,
  input: NewConnector & { connectorId: string },
): Promise<Outcome<ConnectorRow, 'connector_not_found'>> {
  const result = await execute(
    db,
    connectorBodies(sql`
    WITH ${c} AS (
      UPDATE ${connectors} SET
        ${bare(connectors.name)} = ${input.name}, ${bare(connectors.baseUrl)} = ${input.baseUrl},
        ${bare(connectors.public)} = ${input.public ?? false},
        ${bare(connectors.documentationUrl)} = ${input.documentationURL ?? null},
        ${bare(connectors.imageUrl)} = ${input.imageURL ?? null},
        ${bare(connectors.tags)} = ${JSON.stringify(input.tags ?? {})}::jsonb,
        ${bare(connectors.connectionVariables)} = ${JSON.stringify(input.connectionVariables ?? [])}::jsonb,
        ${bare(connectors.updatedAt)} = clock_timestamp()
      WHERE ${connectors.id} = ${input.connectorId} AND ${connectors.organisationId} = ${input.organisationId}
      RETURNING *
    )
    SELECT ${connectorJson(c)} AS body FROM ${c}
  `),
  );
  const row = result.rows[0];
  return row ? done(row.body) : refused('connector_not_found');
}

/**
 * Deletes a connector with all its versions and their children. One with published versions
 * only with `force` (the row is locked, so a publish cannot slip in between the check and the delete).
 */
export async function deleteConnector(
  db: Db,
  input: { organisationId: string; connectorId: string; force: boolean },
): Promise<Outcome<null, 'connector_not_found' | 'has_published_versions'>> {
  const v = alias(connectorVersions, 'v');
  const result = await db.execute<{ found: boolean; deleted: boolean }>(sql`
    WITH ${c} AS (
      SELECT ${connectors.id} FROM ${connectors}
      WHERE ${connectors.id} = ${input.connectorId} AND ${connectors.organisationId} = ${input.organisationId}
      FOR UPDATE
    ),
    deleted AS (
      DELETE FROM ${connectors} USING ${c}
      WHERE ${connectors.id} = ${c.id}
        AND (${input.force} OR NOT EXISTS (
          SELECT 1 FROM ${connectorVersions} ${v} WHERE ${v.connectorId} = ${c.id} AND ${v.publishedAt} IS NOT NULL))
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM ${c}) AS found, EXISTS (SELECT 1 FROM deleted) AS deleted
  `);
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  return row.deleted ? done(null) : refused('has_published_versions');
}
