import type { Action, Trigger } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { danglingLinks } from '../schema/dangling-links.js';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { operationJson, tidyOperation } from '../child-json.js';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { done, type Outcome, type Tagged } from '../outcome.js';
import { connectorVersions } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { scopeVersion as v } from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { bare, sql } from '../sql-names.js';
import { operationFields } from '../written-columns.js';
import type { FieldProblem } from './definitions.js';
import type { Page, PageRequest } from './page.js';
import { firstExceeded, quotaValue, versionChildren, type Quotas } from './quotas.js';
import {
  listChildren,
  lockedDraft,
  lockedVersion,
  readTaggedChild,
  touchVersion,
  writeChildren,
  type ChildWrite,
  type Missing,
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

/** The operation of `kind` a read builds its JSON from. */
const rowOf = (kind: OperationKind) => alias(operationTables[kind].operations, 'o');

const json = (kind: OperationKind, t: VersionTarget) => operationJson(kind, rowOf(kind), sql`${t.schemaBase}`);

/** The operation named `name` of the version `v`, as a read shows it (and its entity tag is of). */
const operationItem = (kind: OperationKind, t: VersionTarget, name: string) => {
  const o = rowOf(kind);
  return sql`SELECT ${json(kind, t)} FROM ${operationTables[kind].operations} ${o}, ${v} WHERE ${o.versionId} = ${v.id} AND ${o.name} = ${name}`;
};

export async function listOperations(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  options: { page: PageRequest; scope: string; name?: string | undefined },
): Promise<Outcome<Page<HttpOperation>, Missing>> {
  const page = await listChildren<HttpOperation>(db, t, {
    table: operationTables[kind].operations,
    row: rowOf(kind),
    json: json(kind, t),
    ...options,
  });
  if (page.ok) page.value.items.forEach(tidyOperation);
  return page;
}

export async function getOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  name: string,
): Promise<Outcome<Tagged<HttpOperation>, Missing | 'operation_not_found'>> {
  const found = await readTaggedChild<HttpOperation, 'operation_not_found'>(
    db,
    t,
    operationItem(kind, t, name),
    'operation_not_found',
  );
  // The tag is of the database's JSON, from which the tidied operation follows.
  return found.ok ? done({ body: tidyOperation(found.value.body), etag: found.value.etag }) : found;
}

/**
 * CTEs shared by create and update: `p` (the payload), `resolved` (every body link with the
 * definition it names, or none) and `link_problems` (links naming nothing, and two definitions
 * of one body that accept the same media type). Field paths are the request body's.
 */
function linkCtes(payload: string): SQL {
  const d = alias(definitions, 'd');
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
      SELECT links.*, ${d.id} AS definition_id, ${d.name} AS definition_name, ${d.accept}
      FROM links CROSS JOIN ${v}
      LEFT JOIN ${definitions} ${d} ON ${d.versionId} = ${v.id}
        AND CASE WHEN links.ref ? 'id' THEN ${d.id} = links.ref->>'id' ELSE ${d.name} = links.ref->>'name' END
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

/** The operation a change wrote (a CTE of its id and version_id). */
const writtenOf = (kind: OperationKind) => alias(operationTables[kind].operations, 'op');

/** Inserts the responses and body links of operation `op` (columns id, version_id) from `p`. */
function childInserts(kind: OperationKind): SQL {
  const { responses, bodyDefinitions } = operationTables[kind];
  const op = writtenOf(kind);
  return sql`
    response_ids AS MATERIALIZED (
      SELECT r.ord, r.value, gen_ulid() AS id FROM ${op}, p, jsonb_array_elements(p.j->'responses') WITH ORDINALITY r(value, ord)
    ),
    responses_in AS (
      INSERT INTO ${responses} (${bare(responses.id, responses.versionId, responses.operationId, responses.status, responses.position)})
      SELECT ri.id, ${op.versionId}, ${op.id}, (ri.value->>'status')::int, ri.ord - 1 FROM response_ids ri, ${op}
      RETURNING 1
    ),
    bodies_in AS (
      INSERT INTO ${bodyDefinitions} (${bare(
        bodyDefinitions.versionId,
        bodyDefinitions.operationId,
        bodyDefinitions.responseId,
        bodyDefinitions.definitionId,
        bodyDefinitions.position,
      )})
      SELECT ${op.versionId}, ${op.id}, ri.id, rs.definition_id, rs.ord - 1
      FROM resolved rs CROSS JOIN ${op} LEFT JOIN response_ids ri ON ri.ord = rs.body
      RETURNING 1
    )`;
}

const operationColumns = sql`
  coalesce(p.j->>'summary', ''), coalesce(p.j->>'description', ''), p.j->>'method', coalesce(p.j->>'path', ''),
  coalesce(p.j->'parameters', '[]'::jsonb), (p.j->'requestBody'->>'required')::boolean`;

/** The field problems in CTE `problems` (columns field, message) as a JSON array. */
const problemsJson = (problems: SQL) =>
  sql`(SELECT coalesce(json_agg(json_build_object('field', field, 'message', message)), '[]'::json) FROM ${problems})`;

const readBack = (kind: OperationKind, t: VersionTarget) => {
  const o = rowOf(kind);
  return sql`
  WITH ${lockedVersion}
  SELECT (SELECT ${json(kind, t)} FROM ${operationTables[kind].operations} ${o}, ${v}
          WHERE ${o.versionId} = ${v.id} AND ${o.id} = current_setting('connect.child_id', true)) AS read`;
};

type CreateRow = { taken: boolean; problems: FieldProblem[]; quota: string | null };

/** CreateAction / CreateTrigger: the operation, its responses and links, all or none. */
export async function createOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  input: OperationInput,
  quotas: Pick<Quotas, 'childrenPerVersion'>,
): Promise<ChildWrite<CreateRow, HttpOperation>> {
  const { operations } = operationTables[kind];
  // Checked after the version lock (writeChildren), so racing creates count each other's children.
  const over = firstExceeded([
    [sql`${versionChildren(sql`${v.id}`)} + 1 > ${quotaValue(quotas.childrenPerVersion)}`, 'childrenPerVersion'],
  ]);
  const o = rowOf(kind);
  const op = writtenOf(kind);
  // The version, when the request passes every check (a CTE of its id).
  const ok = alias(connectorVersions, 'ok');
  const result = await writeChildren<CreateRow, HttpOperation>(
    db,
    t,
    writeStatement(
      sql`
    ${lockedDraft}, ${linkCtes(JSON.stringify(input))},
    taken AS (SELECT 1 FROM ${operations} ${o} JOIN ${v} ON ${o.versionId} = ${v.id} WHERE ${o.name} = ${input.name}),
    over AS MATERIALIZED (SELECT ${over} AS quota FROM ${v}),
    ${ok} AS (SELECT ${v.id} FROM ${v} WHERE NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM link_problems)
                AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)),
    ${op} AS (
      INSERT INTO ${operations} (${bare(operations.versionId, operations.name, ...operationFields(operations))})
      SELECT ${ok.id}, ${input.name}, ${operationColumns} FROM ${ok}, p
      RETURNING ${operations.id}, ${operations.versionId}
    ),
    ${childInserts(kind)},
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM ${ok})`)})`,
      sql`
    SELECT EXISTS (SELECT 1 FROM taken) AS taken, ${problemsJson(sql`link_problems`)} AS problems,
           (SELECT over.quota FROM over) AS quota,
           set_config('connect.child_id', coalesce((SELECT ${op.id} FROM ${op}), ''), true) AS remembered`,
    ),
    readBack(kind, t),
  );
  if (result.ok && result.value.read) tidyOperation(result.value.read);
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
  ifMatch?: string,
): Promise<ChildWrite<UpdateRow, HttpOperation>> {
  const { operations, responses, bodyDefinitions } = operationTables[kind];
  const o = rowOf(kind);
  const op = writtenOf(kind);
  // The operation named (a CTE of its row).
  const target = alias(operations, 'target');
  const b = alias(bodyDefinitions, 'b');
  const r = alias(responses, 'r');
  const result = await writeChildren<UpdateRow, HttpOperation>(
    db,
    t,
    sql`
    WITH ${lockedDraft}, ${linkCtes(JSON.stringify(input))},
    ${target} AS (SELECT ${o}.* FROM ${operations} ${o} JOIN ${v} ON ${o.versionId} = ${v.id} WHERE ${o.name} = ${name}),
    problems AS (
      SELECT 'id' AS field, format('is read-only and differs from the %s', ${kind}::text) AS message
      FROM ${target} WHERE ${input.id ?? null}::text IS NOT NULL AND ${input.id ?? null}::text <> ${target.id}
      UNION ALL
      SELECT 'name', format('is read-only and differs from the %s', ${kind}::text)
      FROM ${target} WHERE ${input.name}::text <> ${target.name}
      UNION ALL
      SELECT field, message FROM link_problems
    ),
    ${op} AS (
      UPDATE ${operations} AS ${o}
      SET (${bare(...operationFields(operations))}) = (SELECT ${operationColumns} FROM p),
          ${bare(operations.updatedAt)} = clock_timestamp()
      FROM ${target} WHERE ${o.id} = ${target.id} AND NOT EXISTS (SELECT 1 FROM problems)
      RETURNING ${o.id}, ${o.versionId}
    ),
    old_bodies AS (
      DELETE FROM ${bodyDefinitions} ${b} USING ${op} WHERE ${b.versionId} = ${op.versionId} AND ${b.operationId} = ${op.id}
      RETURNING 1
    ),
    old_responses AS (
      DELETE FROM ${responses} ${r} USING ${op} WHERE ${r.versionId} = ${op.versionId} AND ${r.operationId} = ${op.id}
      RETURNING 1
    ),
    -- Its links are all given anew, so links a forced delete cut from it are no longer its errors.
    fixed AS (
      DELETE FROM ${danglingLinks} USING ${op}
      WHERE ${danglingLinks.versionId} = ${op.versionId} AND ${kind === 'action' ? danglingLinks.actionId : danglingLinks.triggerId} = ${op.id}
      RETURNING 1
    ),
    ${childInserts(kind)},
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM ${op})`)})
    SELECT EXISTS (SELECT 1 FROM ${target}) AS found, ${problemsJson(sql`problems`)} AS problems,
           set_config('connect.child_id', coalesce((SELECT ${op.id} FROM ${op}), ''), true) AS remembered`,
    readBack(kind, t),
    { item: operationItem(kind, t, name), ifMatch },
  );
  if (result.ok && result.value.read) tidyOperation(result.value.read);
  return result;
}

/** DeleteAction / DeleteTrigger: the operation with its responses and links (cascades). */
export async function deleteOperation(
  db: Db,
  kind: OperationKind,
  t: VersionTarget,
  name: string,
  ifMatch?: string,
): Promise<ChildWrite<{ deleted: boolean }, null>> {
  const o = rowOf(kind);
  return writeChildren<{ deleted: boolean }, null>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    deleted AS (
      DELETE FROM ${operationTables[kind].operations} ${o} USING ${v} WHERE ${o.versionId} = ${v.id} AND ${o.name} = ${name}
      RETURNING 1
    ),
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM deleted)`)})
    SELECT EXISTS (SELECT 1 FROM deleted) AS deleted`,
    sql`SELECT NULL AS read`,
    { item: operationItem(kind, t, name), ifMatch },
  );
}
