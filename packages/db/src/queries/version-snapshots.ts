import type { VersionSnapshot } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { OperationRef } from '../child-json.js';
import type { Db } from '../client.js';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { definitionLinks, definitions } from '../schema/definitions.js';
import { joinLatest, scopeConnector as c, versionIdFor } from '../sql-fragments.js';
import { sql } from '../sql-names.js';

// Two versions of a connector as the diff reads them (`VersionSnapshot`), in one statement: their
// actions, triggers and definitions, with linked definitions by name. A definition's schema text is
// left out where the other version's definition of the same name has the same text, so that the
// answer stays small when most of two large versions is alike.

/** The linked definitions' names of one body of operation row `o` (its request body, or response `responseId`). */
function bodyNames(kind: OperationKind, o: OperationRef, responseId: SQL): SQL {
  const { bodyDefinitions } = operationTables[kind];
  const b = alias(bodyDefinitions, 'b');
  const bd = alias(definitions, 'bd');
  return sql`(SELECT coalesce(json_agg(${bd.name} ORDER BY ${b.position}, ${b.id}), '[]'::json)
    FROM ${bodyDefinitions} ${b} JOIN ${definitions} ${bd} ON ${bd.id} = ${b.definitionId}
    WHERE ${b.versionId} = ${o.versionId} AND ${b.operationId} = ${o.id} AND ${b.responseId} IS NOT DISTINCT FROM ${responseId})`;
}

/** The operations of kind `kind` of version id `versionId`, as a JSON array sorted by name. */
function operationsOf(kind: OperationKind, versionId: SQL): SQL {
  const { operations, responses } = operationTables[kind];
  const o = alias(operations, 'o');
  const r = alias(responses, 'r');
  return sql`(SELECT coalesce(json_agg(json_build_object(
      'name', ${o.name}, 'summary', ${o.summary}, 'description', ${o.description}, 'method', ${o.method},
      ${kind === 'action' ? sql`'path', ${o.path},` : sql``}
      'parameters', ${o.parameters},
      'requestBody', CASE WHEN ${o.requestBodyRequired} IS NOT NULL THEN json_build_object(
        'required', ${o.requestBodyRequired}, 'definitions', ${bodyNames(kind, o, sql`NULL`)}) END,
      'responses', (SELECT coalesce(json_agg(json_build_object('status', ${r.status}, 'definitions', ${bodyNames(kind, o, sql`${r.id}`)})
                                    ORDER BY ${r.position}, ${r.id}), '[]'::json)
                    FROM ${responses} ${r} WHERE ${r.versionId} = ${o.versionId} AND ${r.operationId} = ${o.id})
    ) ORDER BY ${o.name}), '[]'::json)
    FROM ${operations} ${o} WHERE ${o.versionId} = ${versionId})`;
}

/** The definitions of version id `versionId`; schema text only where `otherId`'s same-named one differs. */
function definitionsOf(versionId: SQL, otherId: SQL): SQL {
  const d = alias(definitions, 'd');
  const other = alias(definitions, 'other');
  const l = alias(definitionLinks, 'l');
  const target = alias(definitions, 'target');
  return sql`(SELECT coalesce(json_agg(json_build_object(
      'id', ${d.id}, 'name', ${d.name}, 'description', ${d.description}, 'accept', to_json(${d.accept}),
      'contentType', ${d.schemaContentType},
      'content', CASE WHEN EXISTS (SELECT 1 FROM ${definitions} ${other}
                                   WHERE ${other.versionId} = ${otherId} AND ${other.name} = ${d.name}
                                     AND ${other.schemaContent} = ${d.schemaContent}) THEN NULL ELSE ${d.schemaContent} END,
      'refs', (SELECT coalesce(json_agg(DISTINCT ${target.name}), '[]'::json)
               FROM ${definitionLinks} ${l} JOIN ${definitions} ${target} ON ${target.id} = ${l.targetId}
               WHERE ${l.versionId} = ${d.versionId} AND ${l.definitionId} = ${d.id})
    ) ORDER BY ${d.name}), '[]'::json)
    FROM ${definitions} ${d} WHERE ${d.versionId} = ${versionId})`;
}

const snapshotOf = (versionId: SQL, otherId: SQL): SQL => {
  const sv = alias(connectorVersions, 'sv');
  return sql`(SELECT json_build_object('name', ${sv.name},
      'actions', ${operationsOf('action', versionId)},
      'triggers', ${operationsOf('trigger', versionId)},
      'definitions', ${definitionsOf(versionId, otherId)})
    FROM ${connectorVersions} ${sv} WHERE ${sv.id} = ${versionId})`;
};

/** Both versions `from` and `to` (names or aliases) of the caller's connector, read in one statement. */
export async function readVersionPair(
  db: Db,
  input: { organisationId: string; connectorId: string; from: string; to: string },
): Promise<
  Outcome<{ from: VersionSnapshot; to: VersionSnapshot }, 'connector_not_found' | 'from_not_found' | 'to_not_found'>
> {
  const result = await db.execute<{ from: VersionSnapshot | null; to: VersionSnapshot | null }>(sql`
    WITH pair AS MATERIALIZED (
      SELECT ${versionIdFor(c, input.from)} AS from_id, ${versionIdFor(c, input.to)} AS to_id
      FROM ${connectors} ${c} ${joinLatest(c)}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
    )
    SELECT ${snapshotOf(sql`pair.from_id`, sql`pair.to_id`)} AS from, ${snapshotOf(sql`pair.to_id`, sql`pair.from_id`)} AS to
    FROM pair`);
  const row = result.rows[0];
  if (!row) return refused('connector_not_found');
  if (!row.from) return refused('from_not_found');
  if (!row.to) return refused('to_not_found');
  return done({ from: row.from, to: row.to });
}
