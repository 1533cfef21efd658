import { type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { operationTables, type OperationKind } from './operation-tables.js';
import { danglingLinks } from './schema/dangling-links.js';
import { definitions } from './schema/definitions.js';
import { actionBodyDefinitions, actions, triggerBodyDefinitions, triggers } from './schema/operations.js';
import { isoTime, scopeVersion as v } from './sql-fragments.js';
import { type Aliased, sql } from './sql-names.js';

// A version's children as the API shows them, built by the database in the statement that reads
// them. Each fragment takes table aliases; `schemaBase` is the URL prefix of the raw schemas of
// the connector (a parameter), and version row `v` must be in scope for its name.

export type { OperationKind };

/** A definition row under some alias. */
export type DefinitionRef = Aliased<typeof definitions>;
/** An action or trigger row under some alias. */
export type OperationRef = Aliased<(typeof operationTables)[OperationKind]['operations']>;

/**
 * The `errors` entries of the links a forced delete cut from a referrer (`owner`, the column of
 * `dangling_links` naming its kind, equal to `ownerId`), as a JSON array, by field.
 */
export const danglingErrors = (owner: 'action' | 'trigger' | 'definition', ownerId: SQL | PgColumn): SQL => {
  const dl = alias(danglingLinks, 'dl');
  const column = owner === 'action' ? dl.actionId : owner === 'trigger' ? dl.triggerId : dl.definitionId;
  const message =
    owner === 'definition'
      ? sql`format('refers to definition "%s", which was deleted; change the schema before publishing', ${dl.targetName})`
      : sql`format('linked definition "%s", which was deleted; link another definition or none before publishing', ${dl.targetName})`;
  return sql`(SELECT coalesce(json_agg(json_build_object('field', ${dl.field}, 'message', ${message}, 'severity', 'error') ORDER BY ${dl.field}, ${dl.targetName}), '[]'::json)
    FROM ${danglingLinks} ${dl} WHERE ${column} = ${ownerId})`;
};

/** The extension of a raw schema's URL, from its content type. */
const schemaExtension = (d: DefinitionRef) => sql`(CASE
    WHEN split_part(${d.schemaContentType}, ';', 1) ~ 'json' THEN '.json'
    WHEN split_part(${d.schemaContentType}, ';', 1) ~ 'yaml' THEN '.yaml'
    WHEN split_part(${d.schemaContentType}, ';', 1) ~ 'xml' THEN '.xml'
    ELSE '' END)`;

/**
 * What refers to definition row `d`: definitions whose schema `$ref`s it, and the actions and
 * triggers whose bodies link it — each once, sorted by kind then name.
 */
export const referrersOf = (d: DefinitionRef): SQL => {
  const s = alias(definitions, 's');
  const ab = alias(actionBodyDefinitions, 'b');
  const a = alias(actions, 'a');
  const tb = alias(triggerBodyDefinitions, 'b');
  const t = alias(triggers, 't');
  return sql`(
  SELECT coalesce(json_agg(json_build_object('type', r.type, 'id', r.id, 'name', r.name) ORDER BY r.type, r.name), '[]'::json)
  FROM (
    SELECT 'definition' AS type, ${s.id}, ${s.name} FROM ${definitions} ${s}
    WHERE ${s.versionId} = ${d.versionId} AND ${s.name} = ANY(${d.referrerNames})
    UNION
    SELECT 'action', ${a.id}, ${a.name} FROM ${actionBodyDefinitions} ${ab} JOIN ${actions} ${a} ON ${a.id} = ${ab.operationId}
    WHERE ${ab.versionId} = ${d.versionId} AND ${ab.definitionId} = ${d.id}
    UNION
    SELECT 'trigger', ${t.id}, ${t.name} FROM ${triggerBodyDefinitions} ${tb} JOIN ${triggers} ${t} ON ${t.id} = ${tb.operationId}
    WHERE ${tb.versionId} = ${d.versionId} AND ${tb.definitionId} = ${d.id}
  ) r)`;
};

/** The `url` of definition row `d` (of version row `v`): where its raw schema is served. */
export const definitionUrl = (d: DefinitionRef, schemaBase: SQL): SQL =>
  sql`${schemaBase}::text || url_path_segment(${v.name}) || '/' || ${d.id} || ${schemaExtension(d)}`;

/**
 * Definition row `d` (of version row `v`) as the API's Definition JSON. Linked from an action's or
 * trigger's body (`linked`) it comes without its schema text (its `url` serves that) and without
 * `referencedBy` (its own read has that): a shared definition — an error shape every action links —
 * would otherwise repeat its schema and its whole list of referrers once per link, in every read.
 */
export const definitionJson = (d: DefinitionRef, schemaBase: SQL, linked = false): SQL => sql`json_build_object(
    'id', ${d.id},
    'name', ${d.name},
    'description', ${d.description},
    'accept', to_json(${d.accept}),
    ${linked ? sql`` : sql`'schema', json_build_object('contentType', ${d.schemaContentType}, 'content', ${d.schemaContent}),`}
    'url', ${definitionUrl(d, schemaBase)},
    ${linked ? sql`` : sql`'referencedBy', ${referrersOf(d)}, 'errors', ${danglingErrors('definition', d.id)},`}
    'createdAt', ${isoTime(d.createdAt)},
    'updatedAt', ${isoTime(d.updatedAt)}
  )`;

/** The linked definitions of one body of operation row `o`: its request body or a response's. */
const bodyJson = (kind: OperationKind, o: OperationRef, responseId: SQL, schemaBase: SQL): SQL => {
  const { bodyDefinitions } = operationTables[kind];
  const b = alias(bodyDefinitions, 'b');
  const bd = alias(definitions, 'bd');
  return sql`(
  SELECT coalesce(json_agg(json_build_object('id', ${b.id}, 'definition', ${definitionJson(bd, schemaBase, true)})
                  ORDER BY ${b.position}, ${b.id}), '[]'::json)
  FROM ${bodyDefinitions} ${b} JOIN ${definitions} ${bd} ON ${bd.id} = ${b.definitionId}
  WHERE ${b.versionId} = ${o.versionId} AND ${b.operationId} = ${o.id}
    AND ${b.responseId} IS NOT DISTINCT FROM ${responseId})`;
};

/**
 * Operation row `o` (an action or trigger of version row `v`) as the API shows it. `requestBody`
 * and a response's `status` come back null when absent; `tidyOperation` drops them.
 * `errors` lists what would stop the version from being published: an action needs a response; a
 * trigger does not (the platform answers a webhook with its default when none is configured).
 */
export const operationJson = (kind: OperationKind, o: OperationRef, schemaBase: SQL): SQL => {
  const { responses } = operationTables[kind];
  const r = alias(responses, 'r');
  return sql`json_build_object(
    'id', ${o.id},
    'type', 'http',
    'name', ${o.name},
    'summary', ${o.summary},
    'description', ${o.description},
    'method', ${o.method},
    ${kind === 'action' ? sql`'path', ${o.path},` : sql``}
    'parameters', ${o.parameters},
    'requestBody', CASE WHEN ${o.requestBodyRequired} IS NOT NULL THEN json_build_object(
      'required', ${o.requestBodyRequired},
      'definitions', ${bodyJson(kind, o, sql`NULL`, schemaBase)}) END,
    'responses', (
      SELECT coalesce(json_agg(json_build_object('id', ${r.id}, 'status', ${r.status}, 'definitions', ${bodyJson(kind, o, sql`${r.id}`, schemaBase)})
                      ORDER BY ${r.position}, ${r.id}), '[]'::json)
      FROM ${responses} ${r} WHERE ${r.versionId} = ${o.versionId} AND ${r.operationId} = ${o.id}),
    'errors', ${
      kind === 'trigger'
        ? danglingErrors(kind, o.id)
        : sql`(CASE WHEN EXISTS (SELECT 1 FROM ${responses} ${r} WHERE ${r.versionId} = ${o.versionId} AND ${r.operationId} = ${o.id})
      THEN '[]'::jsonb
      ELSE jsonb_build_array(jsonb_build_object('field', 'responses', 'message', 'needs at least one response before the version can be published',
        'severity', 'error')) END || ${danglingErrors(kind, o.id)}::jsonb)::json`
    },
    'createdAt', ${isoTime(o.createdAt)},
    'updatedAt', ${isoTime(o.updatedAt)}
  )`;
};

interface RawOperation {
  requestBody?: unknown;
  responses: { status?: number | null }[];
}

/** Drops the nulls `operationJson` leaves for an absent request body and default statuses. */
export function tidyOperation<T extends RawOperation>(row: T): T {
  if (row.requestBody === null) delete row.requestBody;
  for (const response of row.responses) if (response.status === null) delete response.status;
  return row;
}
