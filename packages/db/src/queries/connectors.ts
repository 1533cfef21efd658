import type { Connector } from '@connect/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { connectorJson } from '../sql-fragments.js';
import { keyset, limitOf, pageFrom, type Page, type PageRequest } from './page.js';

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

export async function createConnector(db: Db, input: NewConnector): Promise<ConnectorRow> {
  // An organisation known only from a verified id_token gets its row with its first connector.
  const result = await db.execute<{ body: ConnectorRow }>(sql`
    WITH o AS (
      INSERT INTO organisations (id, name) VALUES (${input.organisationId}, ${input.organisationId})
      ON CONFLICT (id) DO NOTHING
    ),
    c AS (
      INSERT INTO connectors (organisation_id, name, base_url, public, documentation_url, image_url, tags, connection_variables)
      VALUES (${input.organisationId}, ${input.name}, ${input.baseUrl}, ${input.public ?? false},
              ${input.documentationURL ?? null}, ${input.imageURL ?? null},
              ${JSON.stringify(input.tags ?? {})}::jsonb, ${JSON.stringify(input.connectionVariables ?? [])}::jsonb)
      RETURNING *
    )
    SELECT ${sql.raw(connectorJson('c'))} AS body FROM c
  `);
  const row = result.rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row.body;
}

export async function getConnector(
  db: Db,
  input: { organisationId: string; connectorId: string },
): Promise<ConnectorRow | null> {
  const result = await db.execute<{ body: ConnectorRow }>(sql`
    SELECT ${sql.raw(connectorJson('c'))} AS body FROM connectors c
    WHERE c.id = ${input.connectorId} AND c.organisation_id = ${input.organisationId}
  `);
  return result.rows[0]?.body ?? null;
}

/** A page of the organisation's connectors, most recently updated first. */
export async function listConnectors(
  db: Db,
  input: { organisationId: string; page: PageRequest },
): Promise<Page<ConnectorRow>> {
  const { where, order, other } = keyset('c', input.page);
  const mine = sql`c.organisation_id = ${input.organisationId}`;
  const result = await db.execute<{ total: number; other_side: boolean; items: ConnectorRow[] }>(sql`
    SELECT
      (SELECT count(*)::int FROM connectors c WHERE ${mine}) AS total,
      EXISTS (SELECT 1 FROM connectors c WHERE ${mine} AND ${other}) AS other_side,
      (SELECT coalesce(json_agg(p.body ORDER BY p.ord), '[]'::json) FROM (
         SELECT ${sql.raw(connectorJson('c'))} AS body, row_number() OVER (ORDER BY ${order}) AS ord
         FROM connectors c
         WHERE ${mine} AND ${where}
         ORDER BY ${order}
         LIMIT ${limitOf(input.page)}
      ) p) AS items
  `);
  const row = result.rows[0];
  if (!row) throw new Error('aggregate query returned no row');
  return pageFrom(row.items, input.page, connectorCursorScope(input.organisationId), row.total, row.other_side);
}

/** Connector cursors are valid only for the organisation they were issued for. */
export const connectorCursorScope = (organisationId: string) => `connectors:${organisationId}`;

/** Replaces a connector's mutable fields; null when the organisation has no such connector. */
export async function updateConnector(
  db: Db,
  input: NewConnector & { connectorId: string },
): Promise<ConnectorRow | null> {
  const result = await db.execute<{ body: ConnectorRow }>(sql`
    WITH c AS (
      UPDATE connectors SET
        name = ${input.name}, base_url = ${input.baseUrl}, public = ${input.public ?? false},
        documentation_url = ${input.documentationURL ?? null}, image_url = ${input.imageURL ?? null},
        tags = ${JSON.stringify(input.tags ?? {})}::jsonb,
        connection_variables = ${JSON.stringify(input.connectionVariables ?? [])}::jsonb,
        updated_at = clock_timestamp()
      WHERE id = ${input.connectorId} AND organisation_id = ${input.organisationId}
      RETURNING *
    )
    SELECT ${sql.raw(connectorJson('c'))} AS body FROM c
  `);
  return result.rows[0]?.body ?? null;
}

/**
 * Deletes a connector with all its versions and their children. One with published versions
 * only with `force` (the row is locked, so a publish cannot slip in between the check and the delete).
 */
export async function deleteConnector(
  db: Db,
  input: { organisationId: string; connectorId: string; force: boolean },
): Promise<'done' | 'not_found' | 'has_published_versions'> {
  const result = await db.execute<{ found: boolean; deleted: boolean }>(sql`
    WITH c AS (
      SELECT id FROM connectors WHERE id = ${input.connectorId} AND organisation_id = ${input.organisationId}
      FOR UPDATE
    ),
    deleted AS (
      DELETE FROM connectors USING c
      WHERE connectors.id = c.id
        AND (${input.force} OR NOT EXISTS (
          SELECT 1 FROM connector_versions v WHERE v.connector_id = c.id AND v.published_at IS NOT NULL))
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM c) AS found, EXISTS (SELECT 1 FROM deleted) AS deleted
  `);
  const row = result.rows[0];
  if (!row?.found) return 'not_found';
  return row.deleted ? 'done' : 'has_published_versions';
}
