import { type Name, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { connectorVersions } from '../schema/connectors.js';
import { definitionLinks, definitions } from '../schema/definitions.js';
import { bare, sql } from '../sql-names.js';
import { definitionInsertColumns, operationFieldValues, operationFields } from '../written-columns.js';

// The CTEs that copy every child of version `src` into the version `nv` just inserted, inside
// the same statement as that insert. Each `*_map` pairs a source row's id with a fresh id
// (materialised once, so every reference to it agrees); links are rewritten through the maps,
// so the copy never points at the source's rows. When `nv` is empty (the name was taken), the
// maps are empty and nothing is copied.

/** CTE `src`: the id of the version copied from. */
export const src = alias(connectorVersions, 'src');
/** CTE `nv`: the version row just inserted (`RETURNING *`). */
export const nv = alias(connectorVersions, 'nv');

/**
 * A fresh ULID for a copied row: the statement's millisecond time part (taken once, from one
 * gen_ulid()) and 16 random hex characters — hex digits are ULID characters, so the id is well
 * formed. A copy of 1,000 children makes ~2,500 ids; this is 4× cheaper than gen_ulid() for each.
 */
const newId = sql`((SELECT p FROM id_prefix) || upper(encode(substring(uuid_send(gen_random_uuid()) FROM 1 FOR 8), 'hex')))`;

/**
 * Definitions and their links. A schema may refer to another definition of its version by that
 * definition's URL (…/schemas/{connector}/{version}/{id}.{ext}): in the copy each such URL is made
 * to name the copy and the copied definition's new id, so the copy refers only to itself. Only
 * schemas holding such a URL are looked at (`#/$defs/{name}` links read the same in both); their
 * links come by index and their new ids from one jsonb map (`id_map`), since joins with the
 * materialised maps run as nested loops (the planner guesses a handful of rows: 1,000 schemas
 * with URLs took 290 ms that way).
 */
const definitionsCopy = (() => {
  const d = alias(definitions, 'd');
  const l = alias(definitionLinks, 'l');
  const v = alias(connectorVersions, 'v');
  const sv = alias(connectorVersions, 'sv');
  return sql`
  id_prefix AS MATERIALIZED (SELECT left(gen_ulid(), 10) AS p),
  definition_map AS MATERIALIZED (
    SELECT ${d.id} AS old_id, ${newId} AS new_id
    FROM ${definitions} ${d} JOIN ${src} ON ${d.versionId} = ${src.id}
    WHERE EXISTS (SELECT 1 FROM ${nv})
  ),
  id_map AS MATERIALIZED (SELECT jsonb_object_agg(old_id, new_id) AS m FROM definition_map),
  src_version AS MATERIALIZED (SELECT ${v.name} FROM ${connectorVersions} ${v} JOIN ${src} ON ${v.id} = ${src.id}),
  definitions_copied AS (
    INSERT INTO ${definitions} (${definitionInsertColumns})
    SELECT m.new_id, ${nv.id}, ${d.name}, ${d.description}, ${d.accept}, ${d.schemaContentType},
           CASE WHEN strpos(${d.schemaContent}, '/schemas/') = 0 THEN ${d.schemaContent} ELSE (
             SELECT replace_each(${d.schemaContent},
                      array_agg('/' || ${sv.name} || '/' || ${l.targetId}), array_agg('/' || ${nv.name} || '/' || (im.m ->> ${l.targetId})))
             FROM ${definitionLinks} ${l} CROSS JOIN id_map im CROSS JOIN src_version ${sv}
             WHERE ${l.definitionId} = ${d.id}
           ) END
    FROM ${definitions} ${d} JOIN definition_map m ON m.old_id = ${d.id} CROSS JOIN ${nv}
    RETURNING 1
  ),
  definition_links_copied AS (
    INSERT INTO ${definitionLinks} (${bare(definitionLinks.versionId, definitionLinks.definitionId, definitionLinks.targetId)})
    SELECT ${nv.id}, source.new_id, target.new_id
    FROM ${definitionLinks} ${l}
    JOIN ${src} ON ${l.versionId} = ${src.id}
    JOIN definition_map source ON source.old_id = ${l.definitionId}
    JOIN definition_map target ON target.old_id = ${l.targetId}
    CROSS JOIN ${nv}
    RETURNING 1
  )`;
})();

/** The names of each kind's copy CTEs: a statement copies both kinds, so they differ by kind. */
const copyCteNames: Record<
  OperationKind,
  Record<'map' | 'copied' | 'responseMap' | 'responsesCopied' | 'bodiesCopied', Name>
> = {
  action: {
    map: sql.identifier('action_map'),
    copied: sql.identifier('actions_copied'),
    responseMap: sql.identifier('action_response_map'),
    responsesCopied: sql.identifier('action_responses_copied'),
    bodiesCopied: sql.identifier('action_body_definitions_copied'),
  },
  trigger: {
    map: sql.identifier('trigger_map'),
    copied: sql.identifier('triggers_copied'),
    responseMap: sql.identifier('trigger_response_map'),
    responsesCopied: sql.identifier('trigger_responses_copied'),
    bodiesCopied: sql.identifier('trigger_body_definitions_copied'),
  },
};

/** Actions and triggers have the same three tables, one set per kind. */
function operationsCopy(kind: OperationKind): SQL {
  const { operations, responses, bodyDefinitions } = operationTables[kind];
  const names = copyCteNames[kind];
  const o = alias(operations, 'o');
  const r = alias(responses, 'r');
  const b = alias(bodyDefinitions, 'b');
  return sql`
  ${names.map} AS MATERIALIZED (
    SELECT ${o.id} AS old_id, ${newId} AS new_id
    FROM ${operations} ${o} JOIN ${src} ON ${o.versionId} = ${src.id}
    WHERE EXISTS (SELECT 1 FROM ${nv})
  ),
  ${names.copied} AS (
    INSERT INTO ${operations} (${bare(operations.id, operations.versionId, operations.name, ...operationFields(operations))})
    SELECT m.new_id, ${nv.id}, ${o.name}, ${operationFieldValues(o)}
    FROM ${operations} ${o} JOIN ${names.map} m ON m.old_id = ${o.id} CROSS JOIN ${nv}
    RETURNING 1
  ),
  ${names.responseMap} AS MATERIALIZED (
    SELECT ${r.id} AS old_id, ${newId} AS new_id
    FROM ${responses} ${r} JOIN ${src} ON ${r.versionId} = ${src.id}
    WHERE EXISTS (SELECT 1 FROM ${nv})
  ),
  ${names.responsesCopied} AS (
    INSERT INTO ${responses} (${bare(responses.id, responses.versionId, responses.operationId, responses.status, responses.position)})
    SELECT rm.new_id, ${nv.id}, om.new_id, ${r.status}, ${r.position}
    FROM ${responses} ${r}
    JOIN ${src} ON ${r.versionId} = ${src.id}
    JOIN ${names.responseMap} rm ON rm.old_id = ${r.id}
    JOIN ${names.map} om ON om.old_id = ${r.operationId}
    CROSS JOIN ${nv}
    RETURNING 1
  ),
  ${names.bodiesCopied} AS (
    INSERT INTO ${bodyDefinitions} (${bare(
      bodyDefinitions.id,
      bodyDefinitions.versionId,
      bodyDefinitions.operationId,
      bodyDefinitions.responseId,
      bodyDefinitions.definitionId,
      bodyDefinitions.position,
    )})
    SELECT ${newId}, ${nv.id}, om.new_id, rm.new_id, dm.new_id, ${b.position}
    FROM ${bodyDefinitions} ${b}
    JOIN ${src} ON ${b.versionId} = ${src.id}
    JOIN ${names.map} om ON om.old_id = ${b.operationId}
    LEFT JOIN ${names.responseMap} rm ON rm.old_id = ${b.responseId}
    JOIN definition_map dm ON dm.old_id = ${b.definitionId}
    CROSS JOIN ${nv}
    RETURNING 1
  )`;
}

/** The copy CTEs, to follow `src` (the source version's id) and `nv` (the new version row). */
export const copyChildrenCtes: SQL = sql.join(
  [definitionsCopy, operationsCopy('action'), operationsCopy('trigger')],
  sql`,`,
);
