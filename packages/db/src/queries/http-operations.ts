import type { Action, Trigger } from '@connect/contracts';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { operationJson, tidyOperation, type OperationKind } from '../child-json.js';
import type { FieldProblem } from './definitions.js';
import type { Page, PageRequest } from './page.js';
import {
  listChildren,
  lockedDraft,
  lockedVersion,
  missingOf,
  scopeColumns,
  touchVersion,
  versionScope,
  writeChildren,
  type ChildWrite,
  type Missing,
  type ScopeRow,
  type VersionTarget,
} from './version-children.js';

// Actions and triggers: the same statements over each kind's three tables (the operation, its
// responses, and the links from its bodies to definitions).

export type HttpOperation = Action | Trigger;

/** A link to a definition of the version, as the caller chose to name it. */
export type DefinitionLink = { id: string } | { name: string };

/** An action or trigger to write (triggers have no path: ''). */
export interface OperationInput {
  name: string;
  summary: string;
  description: string;
  method: string;
  path: string;
  parameters: unknown[];
  requestBody: { required: boolean; definitions: DefinitionLink[] } | null;
  responses: { status: number | null; definitions: DefinitionLink[] }[];
}

const json = (kind: OperationKind, t: VersionTarget) => operationJson(kind, 'o', sql`${t.schemaBase}`);

export async function listOperations(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  options: { page: PageRequest; scope: string; name?: string | undefined },
): Promise<Page<HttpOperation> | Missing> {
  const page = await listChildren<HttpOperation>(db, t, { table: `${kind}s`, json: json(kind, t), ...options });
  if (typeof page === 'string') return page;
  page.items.forEach(tidyOperation);
  return page;
}

export async function getOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  name: string,
): Promise<HttpOperation | Missing | 'not_found'> {
  const result = await db.execute<ScopeRow & { item: HttpOperation | null }>(sql`
    WITH ${versionScope(t)}
    SELECT ${scopeColumns},
      (SELECT ${json(kind, t)} FROM ${sql.raw(kind)}s o, v WHERE o.version_id = v.id AND o.name = ${name}) AS item`);
  const row = result.rows[0];
  const missing = missingOf(row);
  if (missing) return missing;
  return row?.item ? tidyOperation(row.item) : 'not_found';
}

/**
 * CTEs shared by create and update: `p` (the payload), `resolved` (every body link with the
 * definition it names, or none) and `link_problems` (links naming nothing, and two definitions
 * of one body that accept the same media type). Field paths are the request body's.
 */
function linkCtes(payload: string): SQL {
  return sql`
    p AS (SELECT ${payload}::jsonb AS j),
    links AS (
      SELECT 0::bigint AS body, l.ord, l.ref,
             format('requestBody.definitions[%s].definition', l.ord - 1) AS field
      FROM p, jsonb_array_elements(coalesce(p.j->'requestBody'->'definitions', '[]'::jsonb)) WITH ORDINALITY l(ref, ord)
      UNION ALL
      SELECT r.ord, l.ord, l.ref, format('responses[%s].definitions[%s].definition', r.ord - 1, l.ord - 1)
      FROM p, jsonb_array_elements(p.j->'responses') WITH ORDINALITY r(value, ord),
           jsonb_array_elements(r.value->'definitions') WITH ORDINALITY l(ref, ord)
    ),
    resolved AS (
      SELECT links.*, d.id AS definition_id, d.name AS definition_name, d.accept
      FROM links CROSS JOIN v
      LEFT JOIN definitions d ON d.version_id = v.id
        AND CASE WHEN links.ref ? 'id' THEN d.id = links.ref->>'id' ELSE d.name = links.ref->>'name' END
    ),
    link_problems AS (
      SELECT field, CASE WHEN ref ? 'id' THEN format('no definition with id %s in this version', ref->>'id')
                         ELSE format('no definition named "%s" in this version', ref->>'name') END AS message
      FROM resolved WHERE definition_id IS NULL
      UNION ALL
      SELECT b.field, CASE WHEN a.definition_id = b.definition_id
          THEN format('links "%s" a second time in the same body', b.definition_name)
          ELSE format('"%s" and "%s" both accept %s; a body links one definition per media type', a.definition_name,
                      b.definition_name, array_to_string(ARRAY(SELECT unnest(a.accept) INTERSECT SELECT unnest(b.accept)), ', '))
        END
      FROM resolved a JOIN resolved b ON a.body = b.body AND a.ord < b.ord
      WHERE a.accept && b.accept
    )`;
}

/** Inserts the responses and body links of operation `op` (columns id, version_id) from `p`. */
function childInserts(kind: OperationKind): SQL {
  const owner = sql.raw(`${kind}_id`);
  return sql`
    response_ids AS MATERIALIZED (
      SELECT r.ord, r.value, gen_ulid() AS id FROM op, p, jsonb_array_elements(p.j->'responses') WITH ORDINALITY r(value, ord)
    ),
    responses_in AS (
      INSERT INTO ${sql.raw(kind)}_responses (id, version_id, ${owner}, status, position)
      SELECT ri.id, op.version_id, op.id, (ri.value->>'status')::int, ri.ord - 1 FROM response_ids ri, op
      RETURNING 1
    ),
    bodies_in AS (
      INSERT INTO ${sql.raw(kind)}_body_definitions (version_id, ${owner}, response_id, definition_id, position)
      SELECT op.version_id, op.id, ri.id, rs.definition_id, rs.ord - 1
      FROM resolved rs CROSS JOIN op LEFT JOIN response_ids ri ON ri.ord = rs.body
      RETURNING 1
    )`;
}

const operationColumns = sql`
  coalesce(p.j->>'summary', ''), coalesce(p.j->>'description', ''), p.j->>'method', coalesce(p.j->>'path', ''),
  coalesce(p.j->'parameters', '[]'::jsonb), (p.j->'requestBody'->>'required')::boolean`;

const problemsJson = (cte: string) =>
  sql.raw(`(SELECT coalesce(json_agg(json_build_object('field', field, 'message', message)), '[]'::json) FROM ${cte})`);

const readBack = (kind: OperationKind, t: VersionTarget) => sql`
  WITH ${lockedVersion}
  SELECT (SELECT ${json(kind, t)} FROM ${sql.raw(kind)}s o, v
          WHERE o.version_id = v.id AND o.id = current_setting('connect.child_id', true)) AS read`;

type CreateRow = { taken: boolean; problems: FieldProblem[] };

/** CreateAction / CreateTrigger: the operation, its responses and links, all or none. */
export async function createOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  input: OperationInput,
): Promise<ChildWrite<CreateRow, HttpOperation>> {
  const result = await writeChildren<CreateRow, HttpOperation>(
    db,
    t,
    sql`
    WITH ${lockedDraft}, ${linkCtes(JSON.stringify(input))},
    taken AS (SELECT 1 FROM ${sql.raw(kind)}s o JOIN v ON o.version_id = v.id WHERE o.name = ${input.name}),
    ok AS (SELECT v.id FROM v WHERE NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM link_problems)),
    op AS (
      INSERT INTO ${sql.raw(kind)}s (version_id, name, summary, description, method, path, parameters, request_body_required)
      SELECT ok.id, ${input.name}, ${operationColumns} FROM ok, p
      RETURNING id, version_id
    ),
    ${childInserts(kind)},
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM ok)`)})
    SELECT EXISTS (SELECT 1 FROM taken) AS taken, ${problemsJson('link_problems')} AS problems,
           set_config('connect.child_id', coalesce((SELECT id FROM op), ''), true) AS remembered`,
    readBack(kind, t),
  );
  if (result.outcome === 'ran' && result.read) tidyOperation(result.read);
  return result;
}

type UpdateRow = { found: boolean; problems: FieldProblem[] };

/**
 * UpdateAction / UpdateTrigger: replaces the operation's fields, responses and links. `id` and
 * `name` are read-only. The old responses are deleted and the new inserted in one statement;
 * "one response per status" is checked at commit (migration 0004) for that reason.
 */
export async function updateOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  name: string,
  input: OperationInput & { id?: string | undefined },
): Promise<ChildWrite<UpdateRow, HttpOperation>> {
  const owner = sql.raw(`${kind}_id`);
  const result = await writeChildren<UpdateRow, HttpOperation>(
    db,
    t,
    sql`
    WITH ${lockedDraft}, ${linkCtes(JSON.stringify(input))},
    target AS (SELECT o.* FROM ${sql.raw(kind)}s o JOIN v ON o.version_id = v.id WHERE o.name = ${name}),
    problems AS (
      SELECT 'id' AS field, format('is read-only and differs from the %s', ${kind}::text) AS message
      FROM target WHERE ${input.id ?? null}::text IS NOT NULL AND ${input.id ?? null}::text <> target.id
      UNION ALL
      SELECT 'name', format('is read-only and differs from the %s', ${kind}::text)
      FROM target WHERE ${input.name}::text <> target.name
      UNION ALL
      SELECT field, message FROM link_problems
    ),
    op AS (
      UPDATE ${sql.raw(kind)}s AS o
      SET (summary, description, method, path, parameters, request_body_required) = (SELECT ${operationColumns} FROM p),
          updated_at = clock_timestamp()
      FROM target WHERE o.id = target.id AND NOT EXISTS (SELECT 1 FROM problems)
      RETURNING o.id, o.version_id
    ),
    old_bodies AS (
      DELETE FROM ${sql.raw(kind)}_body_definitions b USING op WHERE b.version_id = op.version_id AND b.${owner} = op.id
      RETURNING 1
    ),
    old_responses AS (
      DELETE FROM ${sql.raw(kind)}_responses r USING op WHERE r.version_id = op.version_id AND r.${owner} = op.id
      RETURNING 1
    ),
    ${childInserts(kind)},
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM op)`)})
    SELECT EXISTS (SELECT 1 FROM target) AS found, ${problemsJson('problems')} AS problems,
           set_config('connect.child_id', coalesce((SELECT id FROM op), ''), true) AS remembered`,
    readBack(kind, t),
  );
  if (result.outcome === 'ran' && result.read) tidyOperation(result.read);
  return result;
}

/** DeleteAction / DeleteTrigger: the operation with its responses and links (cascades). */
export async function deleteOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  name: string,
): Promise<ChildWrite<{ deleted: boolean }, null>> {
  return writeChildren<{ deleted: boolean }, null>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    deleted AS (
      DELETE FROM ${sql.raw(kind)}s o USING v WHERE o.version_id = v.id AND o.name = ${name}
      RETURNING 1
    ),
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM deleted)`)})
    SELECT EXISTS (SELECT 1 FROM deleted) AS deleted`,
    sql`SELECT NULL AS read`,
  );
}
