import { sql, type SQL } from 'drizzle-orm';
import { isoTime } from './sql-fragments.js';

// A version's children as the API shows them, built by the database in the statement that reads
// them. Each fragment takes table aliases; `schemaBase` is the URL prefix of the raw schemas of
// the connector (a parameter), and version row `v` must be in scope for its name.

export type OperationKind = 'action' | 'trigger';

/** The extension of a raw schema's URL, from its content type. */
const schemaExtension = (d: string) => `(CASE
    WHEN split_part(${d}.schema_content_type, ';', 1) ~ 'json' THEN '.json'
    WHEN split_part(${d}.schema_content_type, ';', 1) ~ 'yaml' THEN '.yaml'
    WHEN split_part(${d}.schema_content_type, ';', 1) ~ 'xml' THEN '.xml'
    ELSE '' END)`;

/**
 * What refers to definition row `d`: definitions whose schema `$ref`s it, and the actions and
 * triggers whose bodies link it — each once, sorted by kind then name.
 */
export const referrersOf = (d: string): string => `(
  SELECT coalesce(json_agg(json_build_object('type', r.type, 'id', r.id, 'name', r.name) ORDER BY r.type, r.name), '[]'::json)
  FROM (
    SELECT 'definition' AS type, s.id, s.name FROM definition_links l JOIN definitions s ON s.id = l.definition_id
    WHERE l.version_id = ${d}.version_id AND l.target_id = ${d}.id
    UNION
    SELECT 'action', a.id, a.name FROM action_body_definitions b JOIN actions a ON a.id = b.action_id
    WHERE b.version_id = ${d}.version_id AND b.definition_id = ${d}.id
    UNION
    SELECT 'trigger', t.id, t.name FROM trigger_body_definitions b JOIN triggers t ON t.id = b.trigger_id
    WHERE b.version_id = ${d}.version_id AND b.definition_id = ${d}.id
  ) r)`;

/** The `url` of definition row `d` (of version row `v`): where its raw schema is served. */
export const definitionUrl = (d: string, schemaBase: SQL): SQL =>
  sql`${schemaBase}::text || v.name || '/' || ${sql.raw(d)}.id || ${sql.raw(schemaExtension(d))}`;

/**
 * Definition row `d` (of version row `v`) as the API's Definition JSON. Linked from an action's or
 * trigger's body (`linked`) it comes without its schema text (its `url` serves that) and without
 * `referencedBy` (its own read has that): a shared definition — an error shape every action links —
 * would otherwise repeat its schema and its whole list of referrers once per link, in every read.
 */
export const definitionJson = (d: string, schemaBase: SQL, linked = false): SQL => sql`json_build_object(
    'id', ${sql.raw(d)}.id,
    'name', ${sql.raw(d)}.name,
    'description', ${sql.raw(d)}.description,
    'accept', to_json(${sql.raw(d)}.accept),
    ${linked ? sql`` : sql`'schema', json_build_object('contentType', ${sql.raw(d)}.schema_content_type, 'content', ${sql.raw(d)}.schema_content),`}
    'url', ${definitionUrl(d, schemaBase)},
    ${linked ? sql`` : sql`'referencedBy', ${sql.raw(referrersOf(d))},`}
    'createdAt', ${sql.raw(isoTime(`${d}.created_at`))},
    'updatedAt', ${sql.raw(isoTime(`${d}.updated_at`))}
  )`;

/** The linked definitions of one body of operation row `o`: its request body or a response's. */
const bodyJson = (kind: OperationKind, o: string, responseId: string, schemaBase: SQL): SQL => sql`(
  SELECT coalesce(json_agg(json_build_object('id', b.id, 'definition', ${definitionJson('bd', schemaBase, true)})
                  ORDER BY b.position, b.id), '[]'::json)
  FROM ${sql.raw(kind)}_body_definitions b JOIN definitions bd ON bd.id = b.definition_id
  WHERE b.version_id = ${sql.raw(o)}.version_id AND b.${sql.raw(kind)}_id = ${sql.raw(o)}.id
    AND b.response_id IS NOT DISTINCT FROM ${sql.raw(responseId)})`;

/**
 * Operation row `o` (an action or trigger of version row `v`) as the API shows it. `requestBody`
 * and a response's `status` come back null when absent; `tidyOperation` drops them.
 * `errors` lists what would stop the version from being published.
 */
export const operationJson = (kind: OperationKind, o: string, schemaBase: SQL): SQL => {
  const alias = sql.raw(o);
  const responses = sql.raw(`${kind}_responses`);
  const owner = sql.raw(`${kind}_id`);
  return sql`json_build_object(
    'id', ${alias}.id,
    'type', 'http',
    'name', ${alias}.name,
    'summary', ${alias}.summary,
    'description', ${alias}.description,
    'method', ${alias}.method,
    ${kind === 'action' ? sql`'path', ${alias}.path,` : sql``}
    'parameters', ${alias}.parameters,
    'requestBody', CASE WHEN ${alias}.request_body_required IS NOT NULL THEN json_build_object(
      'required', ${alias}.request_body_required,
      'definitions', ${bodyJson(kind, o, 'NULL', schemaBase)}) END,
    'responses', (
      SELECT coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'definitions', ${bodyJson(kind, o, 'r.id', schemaBase)})
                      ORDER BY r.position, r.id), '[]'::json)
      FROM ${responses} r WHERE r.version_id = ${alias}.version_id AND r.${owner} = ${alias}.id),
    'errors', CASE WHEN EXISTS (SELECT 1 FROM ${responses} r WHERE r.version_id = ${alias}.version_id AND r.${owner} = ${alias}.id)
      THEN '[]'::json
      ELSE json_build_array(json_build_object('field', 'responses', 'severity', 'error',
        'message', 'needs at least one response before the version can be published')) END,
    'createdAt', ${sql.raw(isoTime(`${o}.created_at`))},
    'updatedAt', ${sql.raw(isoTime(`${o}.updated_at`))}
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
