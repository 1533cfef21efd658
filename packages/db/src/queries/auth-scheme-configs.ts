import type { AuthSchemeConfig, Connector } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors } from '../schema/connectors.js';
import { connectorJson, etagMatches } from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';

const c = alias(connectors, 'c');

/** The connector's entity tag, as its reads give it (the MD5 of its JSON). */
const connectorEtag = sql`md5((${connectorJson(c)})::text)`;

/**
 * Adds a config to a connector, or replaces the one with its id in place (its position kept), in
 * one statement on the locked row: two upserts of the same id cannot both append it. Refused when
 * an append would pass `max` configs.
 */
export async function upsertAuthSchemeConfig(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    config: AuthSchemeConfig;
    max: number;
    /** The connector's entity tags (unquoted, comma-separated), one of which it must still have. */
    ifMatch?: string | undefined;
  },
): Promise<Outcome<Tagged<Connector>, 'connector_not_found' | 'etag_mismatch' | 'too_many_configs'>> {
  const config = JSON.stringify(input.config);
  const result = await execute(
    db,
    statement<{ found: boolean; matched: boolean; body: Connector | null; etag: string | null }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, ${c.authSchemeConfigs} AS configs, ${connectorEtag} AS etag,
        EXISTS (SELECT 1 FROM jsonb_array_elements(${c.authSchemeConfigs}) e(config)
                WHERE e.config->>'id' = ${input.config.id}) AS present
      FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
      FOR UPDATE
    ),
    ${c} AS (
      UPDATE ${connectors} SET
        ${bare(connectors.authSchemeConfigs)} = CASE
          WHEN cur.present THEN (
            SELECT jsonb_agg(CASE WHEN e.config->>'id' = ${input.config.id} THEN ${config}::jsonb ELSE e.config END
                             ORDER BY e.ord)
            FROM jsonb_array_elements(cur.configs) WITH ORDINALITY e(config, ord))
          ELSE cur.configs || jsonb_build_array(${config}::jsonb)
        END,
        ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM cur
      WHERE ${connectors.id} = cur.id AND ${etagMatches(sql`cur.etag`, input.ifMatch)}
        AND (cur.present OR jsonb_array_length(cur.configs) < ${input.max})
      RETURNING ${connectors}.*
    ),
    shown AS (SELECT ${connectorJson(c)} AS body FROM ${c})
    SELECT EXISTS (SELECT 1 FROM cur) AS found,
      EXISTS (SELECT 1 FROM cur WHERE ${etagMatches(sql`cur.etag`, input.ifMatch)}) AS matched,
      shown.body, md5(shown.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN shown ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (!row.matched) return refused('etag_mismatch');
  if (row.body === null || row.etag === null) return refused('too_many_configs');
  return done({ body: row.body, etag: row.etag });
}

/**
 * Removes a config from a connector. Connections made through it keep their own copy of it (see
 * connections.ts), so they stay usable.
 */
export async function deleteAuthSchemeConfig(
  db: Db,
  input: { organisationId: string; connectorId: string; authSchemeConfigId: string; ifMatch?: string | undefined },
): Promise<Outcome<Tagged<Connector>, 'connector_not_found' | 'etag_mismatch' | 'auth_scheme_config_not_found'>> {
  const result = await execute(
    db,
    statement<{ found: boolean; matched: boolean; body: Connector | null; etag: string | null }>(sql`
    WITH cur AS (
      SELECT ${c.id} AS id, ${c.authSchemeConfigs} AS configs, ${connectorEtag} AS etag FROM ${connectors} ${c}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
      FOR UPDATE
    ),
    ${c} AS (
      UPDATE ${connectors} SET
        ${bare(connectors.authSchemeConfigs)} = (
          SELECT coalesce(jsonb_agg(e.config ORDER BY e.ord), '[]'::jsonb)
          FROM jsonb_array_elements(cur.configs) WITH ORDINALITY e(config, ord)
          WHERE e.config->>'id' <> ${input.authSchemeConfigId}),
        ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM cur
      WHERE ${connectors.id} = cur.id AND ${etagMatches(sql`cur.etag`, input.ifMatch)}
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(cur.configs) e(config)
                    WHERE e.config->>'id' = ${input.authSchemeConfigId})
      RETURNING ${connectors}.*
    ),
    shown AS (SELECT ${connectorJson(c)} AS body FROM ${c})
    SELECT EXISTS (SELECT 1 FROM cur) AS found,
      EXISTS (SELECT 1 FROM cur WHERE ${etagMatches(sql`cur.etag`, input.ifMatch)}) AS matched,
      shown.body, md5(shown.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN shown ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  if (!row.matched) return refused('etag_mismatch');
  if (row.body === null || row.etag === null) return refused('auth_scheme_config_not_found');
  return done({ body: row.body, etag: row.etag });
}
