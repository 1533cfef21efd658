import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors } from '../schema/connectors.js';
import { connectorJson, etagMatches } from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';

const c = alias(connectors, 'c');

/** What UpdateConnectorTags or UpdateConnectorCategories replaces: one of the two. */
export type ConnectorLabels = { tags: Record<string, string[]> } | { categories: string[] };

/**
 * Replaces a connector's tags or its categories, leaving the rest as it is; with `ifMatch`, only
 * while its entity tag is one of those. The row is locked before its tag is computed, as in
 * `updateConnector`, so of two writes holding the same tag exactly one passes. Answers the new tag.
 */
export async function updateConnectorLabels(
  db: Db,
  input: { organisationId: string; connectorId: string; labels: ConnectorLabels; ifMatch?: string | undefined },
): Promise<Outcome<{ etag: string }, 'connector_not_found' | 'etag_mismatch'>> {
  const set =
    'tags' in input.labels
      ? sql`${bare(connectors.tags)} = ${JSON.stringify(input.labels.tags)}::jsonb`
      : sql`${bare(connectors.categories)} = ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(input.labels.categories)}::jsonb))`;
  const result = await execute(
    db,
    statement<{ found: boolean; etag: string | null }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, md5((${connectorJson(c)})::text) AS etag FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
      FOR UPDATE
    ),
    ${c} AS (
      UPDATE ${connectors} SET ${set}, ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM cur
      WHERE ${connectors.id} = cur.id AND ${etagMatches(sql`cur.etag`, input.ifMatch)}
      RETURNING ${connectors}.*
    )
    SELECT EXISTS (SELECT 1 FROM cur) AS found, (SELECT md5((${connectorJson(c)})::text) FROM ${c}) AS etag
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (row.etag === null) return refused('etag_mismatch');
  return done({ etag: row.etag });
}
