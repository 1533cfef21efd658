import type { AuthSchemeConfig, VersionDeprecation } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { deprecationJson, isoTime, joinLatest, scopeConnector as c, versionIdFor } from '../sql-fragments.js';
import { sql } from '../sql-names.js';
import { operationCtes } from './version-snapshots.js';

type Links = string[];
type ExportedOperation = {
  name: string;
  summary: string;
  description: string;
  method: string;
  path?: string;
  parameters: { name: string; in: string; required: boolean; type: string; default?: string | number | boolean }[];
  requestBody: { required: boolean; definitions: Links } | null;
  responses: { status: number | null; definitions: Links }[];
};

/** A version with everything its OpenAPI export is built from, as one statement reads it. */
export interface VersionExportRow {
  connector: { name: string; baseUrl: string; authSchemeConfigs: AuthSchemeConfig[] };
  version: { id: string; name: string; description: string; publishedAt: string | null };
  deprecation: VersionDeprecation | null;
  actions: ExportedOperation[];
  triggers: ExportedOperation[];
  definitions: {
    id: string;
    name: string;
    description: string;
    accept: string[];
    contentType: string;
    content: string;
  }[];
}

/**
 * The version `version` (a name or an alias) of the caller's connector with its actions, triggers
 * (body links by definition name), definitions and the connector's fields the export uses — in
 * one statement, so an export costs one round trip.
 */
export async function readVersionExport(
  db: Db,
  input: { organisationId: string; connectorId: string; version: string },
): Promise<Outcome<VersionExportRow, 'connector_not_found' | 'version_not_found'>> {
  const ev = alias(connectorVersions, 'ev');
  const d = alias(definitions, 'd');
  const result = await db.execute<{ found: VersionExportRow | null; connector_found: boolean }>(sql`
    WITH target AS MATERIALIZED (
      SELECT ${c.id} AS connector_id, ${versionIdFor(c, input.version)} AS version_id
      FROM ${connectors} ${c} ${joinLatest(c)}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
    ),
    vs AS MATERIALIZED (SELECT version_id AS id, NULL::text AS other FROM target WHERE version_id IS NOT NULL),
    ${operationCtes('action')},
    ${operationCtes('trigger')}
    SELECT EXISTS (SELECT 1 FROM target) AS connector_found, (
      SELECT json_build_object(
        'connector', json_build_object('name', ${c.name}, 'baseUrl', ${c.baseUrl}, 'authSchemeConfigs', ${c.authSchemeConfigs}),
        'version', json_build_object('id', ${ev.id}, 'name', ${ev.name}, 'description', ${ev.description},
          'publishedAt', ${isoTime(ev.publishedAt)}),
        'deprecation', ${deprecationJson(ev)},
        'actions', coalesce((SELECT list FROM action_ops WHERE version_id = ${ev.id}), '[]'::json),
        'triggers', coalesce((SELECT list FROM trigger_ops WHERE version_id = ${ev.id}), '[]'::json),
        'definitions', (SELECT coalesce(json_agg(json_build_object(
            'id', ${d.id}, 'name', ${d.name}, 'description', ${d.description}, 'accept', to_json(${d.accept}),
            'contentType', ${d.schemaContentType}, 'content', ${d.schemaContent}) ORDER BY ${d.name}), '[]'::json)
          FROM ${definitions} ${d} WHERE ${d.versionId} = ${ev.id})
      )
      FROM target JOIN ${connectors} ${c} ON ${c.id} = target.connector_id
      JOIN ${connectorVersions} ${ev} ON ${ev.id} = target.version_id
    ) AS found`);
  const row = result.rows[0];
  if (!row?.connector_found) return refused('connector_not_found');
  if (!row.found) return refused('version_not_found');
  return done(row.found);
}
