import type { Definition, DefinitionInUse } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { definitionJson, definitionUrl, referrersOf } from '../child-json.js';
import { operationTables, type OperationKind } from '../operation-tables.js';
import type { Outcome, Tagged } from '../outcome.js';
import { connectorVersions } from '../schema/connectors.js';
import { danglingLinks } from '../schema/dangling-links.js';
import { definitions } from '../schema/definitions.js';
import { scopeVersion as v } from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { type Aliased, bare, sql } from '../sql-names.js';
import { definitionInsertColumns } from '../written-columns.js';
import type { Page, PageRequest } from './page.js';
import { firstExceeded, quotaValue, versionChildren, versionSchemaBytes, type Quotas } from './quotas.js';
import {
  listChildren,
  lockedDraft,
  lockedVersion,
  readChild,
  readTaggedChild,
  touchVersion,
  writeChildren,
  type ChildWrite,
  type Missing,
  type VersionTarget,
} from './version-children.js';

/** A `$ref` of a schema to another definition of its version: by name (`#/$defs/{name}`) or by id (its `url`). */
export interface SchemaRef {
  /** The `$ref` as written, for messages. */
  ref: string;
  name?: string;
  id?: string;
}

/** A definition to write, with the definitions its schema `$ref`s, found by the caller. */
export interface DefinitionInput {
  name: string;
  accept: string[];
  description?: string | undefined;
  schema: { contentType: string; content: string };
  refs: SchemaRef[];
}

/** Refs of `source` (a jsonb array of SchemaRef) with the name each refers to (null: no such definition). */
const refRows = (source: SQL) => {
  const d = alias(definitions, 'd');
  return sql`
  SELECT r->>'ref' AS ref,
         coalesce(r->>'name', (SELECT ${d.name} FROM ${definitions} ${d} JOIN ${v} ON ${d.versionId} = ${v.id} WHERE ${d.id} = r->>'id')) AS name
  FROM jsonb_array_elements(${source}) r`;
};

/** Names array `names` as the definitions' `referrer_names` keep them: distinct and sorted. */
const sortedNames = (names: SQL) => sql`ARRAY(SELECT DISTINCT x FROM unnest(${names}) x ORDER BY x)`;

export interface FieldProblem {
  field: string;
  message: string;
}

/** The definition a read builds its JSON from. */
const o = alias(definitions, 'o');

const json = (t: VersionTarget) => definitionJson(o, sql`${t.schemaBase}`);

/** The definition named `name` of the version `v`, as a read shows it (and its entity tag is of). */
const definitionItem = (t: VersionTarget, name: string) =>
  sql`SELECT ${json(t)} FROM ${definitions} ${o}, ${v} WHERE ${o.versionId} = ${v.id} AND ${o.name} = ${name}`;

export function listDefinitions(
  db: Db,
  t: VersionTarget,
  options: { page: PageRequest; scope: string; name?: string | undefined },
): Promise<Outcome<Page<Definition>, Missing>> {
  return listChildren<Definition>(db, t, { table: definitions, row: o, json: json(t), ...options });
}

export function getDefinition(
  db: Db,
  t: VersionTarget,
  name: string,
): Promise<Outcome<Tagged<Definition>, Missing | 'definition_not_found'>> {
  return readTaggedChild<Definition, 'definition_not_found'>(db, t, definitionItem(t, name), 'definition_not_found');
}

/** A raw schema, with the definitions it links to (by name and `url`). */
export interface RawSchema {
  contentType: string;
  content: string;
  links: { name: string; url: string }[];
}

/** The raw schema of a definition, by id, for its `url`. */
export function getRawSchema(
  db: Db,
  t: VersionTarget,
  id: string,
): Promise<Outcome<RawSchema, Missing | 'definition_not_found'>> {
  const d = alias(definitions, 'd');
  const tg = alias(definitions, 'tg');
  return readChild<RawSchema, 'definition_not_found'>(
    db,
    t,
    sql`SELECT json_build_object('contentType', ${d.schemaContentType}, 'content', ${d.schemaContent},
         'links', (SELECT coalesce(json_agg(json_build_object('name', ${tg.name}, 'url', ${definitionUrl(tg, sql`${t.schemaBase}`)})
                                   ORDER BY ${tg.name}), '[]'::json)
                   FROM ${definitions} ${tg} WHERE ${tg.versionId} = ${d.versionId} AND ${d.name} = ANY(${tg.referrerNames})))
       FROM ${definitions} ${d}, ${v} WHERE ${d.versionId} = ${v.id} AND ${d.id} = ${id}`,
    'definition_not_found',
  );
}

type CreateRow = { taken: FieldProblem[]; unresolved: FieldProblem[]; quota: string | null };

/**
 * CreateDefinitions: all or none. Names taken in the version → `taken`; a `$ref` naming neither a
 * definition of the request nor one of the version → `unresolved`. Links are written for every
 * `$ref`, so definitions of one request may refer to each other in any order, cycles included.
 */
export async function createDefinitions(
  db: Db,
  t: VersionTarget,
  items: DefinitionInput[],
  quotas: Pick<Quotas, 'childrenPerVersion' | 'schemaBytes' | 'versionBytes'>,
): Promise<ChildWrite<CreateRow, Definition[]>> {
  const payload = JSON.stringify(items);
  const newBytes = sql`octet_length(p.value->'schema'->>'content')`;
  // Checked after the version lock (writeChildren), so racing creates count each other's children.
  const over = firstExceeded([
    [sql`EXISTS (SELECT 1 FROM p WHERE ${newBytes} > ${quotaValue(quotas.schemaBytes)})`, 'schemaBytes'],
    [
      sql`${versionChildren(sql`${v.id}`)} + (SELECT count(*) FROM p) > ${quotaValue(quotas.childrenPerVersion)}`,
      'childrenPerVersion',
    ],
    [
      sql`${versionSchemaBytes(sql`${v.id}`)} + (SELECT coalesce(sum(${newBytes}), 0) FROM p) > ${quotaValue(quotas.versionBytes)}`,
      'versionBytes',
    ],
  ]);
  const d = alias(definitions, 'd');
  // The version, when the request passes every check (a CTE of its id).
  const ok = alias(connectorVersions, 'ok');
  return writeChildren<CreateRow, Definition[]>(
    db,
    t,
    writeStatement(
      sql`
    ${lockedDraft},
    p AS (SELECT d.ord, d.value FROM jsonb_array_elements(${payload}::jsonb) WITH ORDINALITY d(value, ord)),
    over AS MATERIALIZED (SELECT ${over} AS quota FROM ${v}),
    taken AS (
      SELECT p.ord FROM p JOIN ${v} ON true JOIN ${definitions} ${d} ON ${d.versionId} = ${v.id} AND ${d.name} = p.value->>'name'
    ),
    refs AS (SELECT p.ord, r.ref, r.name FROM p, LATERAL (${refRows(sql`p.value->'refs'`)}) r),
    known AS (
      SELECT p.value->>'name' AS name FROM p
      UNION SELECT ${d.name} FROM ${definitions} ${d} JOIN ${v} ON ${d.versionId} = ${v.id}
    ),
    unresolved AS (SELECT refs.* FROM refs WHERE refs.name IS NULL OR refs.name NOT IN (SELECT name FROM known)),
    ${ok} AS (SELECT ${v.id} FROM ${v} WHERE NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM unresolved)
                AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)),
    new_ids AS MATERIALIZED (SELECT p.ord, p.value, gen_ulid() AS id FROM p, ${ok}),
    -- Each target's name with the names of the new definitions that refer to it.
    new_links AS MATERIALIZED (
      SELECT refs.name, array_agg(n.value->>'name') AS referrers FROM new_ids n JOIN refs ON refs.ord = n.ord GROUP BY refs.name
    ),
    inserted AS (
      INSERT INTO ${definitions} (${definitionInsertColumns})
      SELECT n.id, ${ok.id}, n.value->>'name', coalesce(n.value->>'description', ''),
             ARRAY(SELECT jsonb_array_elements_text(n.value->'accept')),
             n.value->'schema'->>'contentType', n.value->'schema'->>'content',
             ${sortedNames(sql`coalesce((SELECT nl.referrers FROM new_links nl WHERE nl.name = n.value->>'name'), '{}'::text[])`)}
      FROM new_ids n, ${ok}
      RETURNING 1
    ),
    -- Definitions already in the version that the new ones refer to (none is also new: names are taken once).
    linked AS (
      UPDATE ${definitions} SET ${bare(definitions.referrerNames)} = ${sortedNames(sql`${definitions.referrerNames} || nl.referrers`)}
      FROM new_links nl, ${ok}
      WHERE ${definitions.versionId} = ${ok.id} AND ${definitions.name} = nl.name
      RETURNING 1
    ),
    -- Data-modifying CTEs run to completion whether or not the SELECT reads them.
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM ${ok})`)})`,
      sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_object('field', format('definitions[%s].name', ord - 1),
         'message', 'is already used by another definition of this version') ORDER BY ord), '[]'::json) FROM taken) AS taken,
      (SELECT coalesce(json_agg(json_build_object('field', format('definitions[%s].schema.content', ord - 1),
         'message', format('refers to %s, which is neither in this request nor a definition of this version', ref))
         ORDER BY ord, ref), '[]'::json) FROM unresolved) AS unresolved,
      (SELECT over.quota FROM over) AS quota,
      set_config('connect.child_ids', coalesce((SELECT string_agg(id, ',' ORDER BY ord) FROM new_ids), ''), true) AS remembered`,
    ),
    sql`
    WITH ${lockedVersion},
    ids AS (SELECT string_to_array(current_setting('connect.child_ids', true), ',') AS ids)
    SELECT (SELECT coalesce(json_agg(${json(t)} ORDER BY array_position(ids.ids, ${o.id})), '[]'::json)
            FROM ${definitions} ${o}, ${v}, ids WHERE ${o.versionId} = ${v.id} AND ${o.id} = ANY(ids.ids)) AS read`,
  );
}

type UpdateRow = { found: boolean; problems: FieldProblem[]; updated: boolean; quota: string | null };

/**
 * UpdateDefinition. With `schema`, the definition's links are replaced by its new `$ref`s, which
 * must name definitions of the version. A new `accept` may not clash with another definition
 * linked to the same body of an action or trigger (one definition per media type).
 */
export async function updateDefinition(
  db: Db,
  t: VersionTarget,
  name: string,
  input: Omit<DefinitionInput, 'schema' | 'name' | 'refs'> & {
    id?: string | undefined;
    newName?: string | undefined;
    schema?: { contentType: string; content: string; refs: SchemaRef[] } | undefined;
  },
  quotas: Pick<Quotas, 'schemaBytes' | 'versionBytes'>,
  /** Entity tags (unquoted, comma-separated) of which the definition must still have one. */
  ifMatch?: string,
): Promise<ChildWrite<UpdateRow, Definition>> {
  const schema = input.schema ?? null;
  const refs = JSON.stringify(schema?.refs ?? []);
  const accept = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(input.accept)}::jsonb))`;
  const d = alias(definitions, 'd');
  // The definition named, then the same when every check passes, then its updated row's keys.
  const target = alias(definitions, 'target');
  const ok = alias(definitions, 'ok');
  const u = alias(definitions, 'u');
  const bodyClash = (kind: OperationKind) => {
    const { operations, bodyDefinitions } = operationTables[kind];
    const mine = alias(bodyDefinitions, 'mine');
    const b = alias(bodyDefinitions, 'b');
    const other = alias(definitions, 'other');
    const op = alias(operations, 'o');
    return sql`
      SELECT format('accept: %s "%s" also links "%s" to the same body, which accepts %s too', ${kind}::text, ${op.name}, ${other.name},
                    array_to_string(ARRAY(SELECT unnest(${other.accept}) INTERSECT SELECT unnest(${accept})), ', ')) AS message
      FROM ${target}
      JOIN ${bodyDefinitions} ${mine} ON ${mine.versionId} = ${target.versionId} AND ${mine.definitionId} = ${target.id}
      JOIN ${bodyDefinitions} ${b} ON ${b.versionId} = ${mine.versionId} AND ${b.operationId} = ${mine.operationId}
        AND ${b.responseId} IS NOT DISTINCT FROM ${mine.responseId} AND ${b.id} <> ${mine.id}
      JOIN ${definitions} ${other} ON ${other.id} = ${b.definitionId}
      JOIN ${operations} ${op} ON ${op.id} = ${mine.operationId}
      WHERE ${other.accept} && ${accept}`;
  };
  // A new schema within the quotas: its own bytes, and the version's with it in place of the old one.
  // A schema that does not grow is always taken, so a version left over a lowered quota can shrink.
  const newBytes = sql`octet_length(${schema?.content ?? null}::text)`;
  const over = firstExceeded([
    [sql`${newBytes} > ${quotaValue(quotas.schemaBytes)}`, 'schemaBytes'],
    [
      sql`${newBytes} > octet_length(${target.schemaContent})
        AND ${versionSchemaBytes(sql`${target.versionId}`)} - octet_length(${target.schemaContent}) + ${newBytes} > ${quotaValue(quotas.versionBytes)}`,
      'versionBytes',
    ],
  ]);
  return writeChildren<UpdateRow, Definition>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    ${target} AS (SELECT ${d}.* FROM ${definitions} ${d} JOIN ${v} ON ${d.versionId} = ${v.id} WHERE ${d.name} = ${name}),
    over AS MATERIALIZED (SELECT ${over} AS quota FROM ${target} WHERE ${schema !== null}),
    refs_in AS (SELECT ${refs}::jsonb AS refs),
    refs AS (SELECT r.ref, r.name FROM refs_in, LATERAL (${refRows(sql`refs_in.refs`)}) r),
    problems AS (
      SELECT 'id' AS field, 'is read-only and differs from the definition' AS message
      FROM ${target} WHERE ${input.id ?? null}::text IS NOT NULL AND ${input.id ?? null}::text <> ${target.id}
      UNION ALL
      SELECT 'name', 'is read-only and differs from the definition (names are how schemas refer to each other)'
      FROM ${target} WHERE ${input.newName ?? null}::text IS NOT NULL AND ${input.newName ?? null}::text <> ${target.name}
      UNION ALL
      SELECT 'schema.content', format('refers to %s, which is not a definition of this version', refs.ref)
      FROM refs, ${v} WHERE refs.name IS NULL
        OR NOT EXISTS (SELECT 1 FROM ${definitions} ${d} WHERE ${d.versionId} = ${v.id} AND ${d.name} = refs.name)
      UNION ALL
      SELECT 'accept', message FROM (${bodyClash('action')} UNION ALL ${bodyClash('trigger')}) clash
    ),
    ${ok} AS (SELECT ${target}.* FROM ${target} WHERE NOT EXISTS (SELECT 1 FROM problems)
                AND NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)),
    updated AS (
      UPDATE ${definitions} SET ${bare(definitions.accept)} = ${accept}, ${bare(definitions.description)} = ${input.description ?? ''},
        ${bare(definitions.schemaContentType)} = coalesce(${schema?.contentType ?? null}::text, ${definitions.schemaContentType}),
        ${bare(definitions.schemaContent)} = coalesce(${schema?.content ?? null}::text, ${definitions.schemaContent}),
        -- A schema that refers to its own definition lists itself (the other targets are relinked below).
        ${bare(definitions.referrerNames)} = CASE WHEN ${schema === null} THEN ${definitions.referrerNames}
          WHEN ${ok.name} IN (SELECT name FROM refs) THEN ${sortedNames(sql`${definitions.referrerNames} || ${ok.name}`)}
          ELSE array_remove(${definitions.referrerNames}, ${ok.name}) END,
        ${bare(definitions.updatedAt)} = clock_timestamp()
      FROM ${ok} WHERE ${definitions.id} = ${ok.id}
      RETURNING ${definitions.id}, ${definitions.versionId}, ${definitions.name}
    ),
    -- With a new schema, the other definitions it refers to list it, and those it no longer does not.
    relinked AS (
      UPDATE ${definitions} SET ${bare(definitions.referrerNames)} = CASE WHEN ${definitions.name} IN (SELECT name FROM refs)
          THEN ${sortedNames(sql`${definitions.referrerNames} || ${u.name}`)}
          ELSE array_remove(${definitions.referrerNames}, ${u.name}) END
      FROM updated ${u}
      WHERE ${schema !== null} AND ${definitions.versionId} = ${u.versionId} AND ${definitions.id} <> ${u.id}
        AND (${u.name} = ANY(${definitions.referrerNames})) <> (${definitions.name} IN (SELECT name FROM refs WHERE name IS NOT NULL))
      RETURNING 1
    ),
    -- A new schema's links are all checked anew, so links a forced delete cut from it are gone.
    fixed AS (
      DELETE FROM ${danglingLinks} USING updated ${u}
      WHERE ${schema !== null} AND ${danglingLinks.versionId} = ${u.versionId} AND ${danglingLinks.definitionId} = ${u.id}
      RETURNING 1
    ),
    -- Data-modifying CTEs run to completion whether or not the SELECT reads them.
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM updated)`)})
    SELECT EXISTS (SELECT 1 FROM ${target}) AS found,
      (SELECT coalesce(json_agg(json_build_object('field', field, 'message', message)), '[]'::json) FROM problems) AS problems,
      (SELECT over.quota FROM over) AS quota,
      EXISTS (SELECT 1 FROM updated) AS updated`,
    sql`
    WITH ${lockedVersion}
    SELECT (${definitionItem(t, name)}) AS read`,
    { item: definitionItem(t, name), ifMatch },
  );
}

/**
 * CTEs of a forced delete of the definitions in `chosen`: the links to them from what stays (a
 * definition's `$ref`, an action's or trigger's body) are deleted, and each is kept as a
 * `dangling_links` row naming where it was, so the referrer shows it in `errors` and publishing
 * waits for it to be fixed. Links among the deleted go with them.
 */
function cutLinks(chosen: Aliased<typeof definitions>): SQL {
  const s = alias(definitions, 's');
  const bodies = (kind: OperationKind) => {
    const { responses, bodyDefinitions } = operationTables[kind];
    const b = alias(bodyDefinitions, 'b');
    const r = alias(responses, 'r');
    const before = alias(responses, 'before');
    // The response's index in the operation as read (responses are shown by position, then id).
    const field = sql`CASE WHEN ${b.responseId} IS NULL THEN 'requestBody.definitions' ELSE format('responses[%s].definitions',
      (SELECT count(*) FROM ${responses} ${r} JOIN ${responses} ${before} ON ${before.versionId} = ${r.versionId} AND ${before.operationId} = ${r.operationId}
         AND (${before.position}, ${before.id}) < (${r.position}, ${r.id})
       WHERE ${r.versionId} = ${b.versionId} AND ${r.id} = ${b.responseId})) END`;
    return sql`
      DELETE FROM ${bodyDefinitions} ${b} USING ${chosen}
      WHERE NOT EXISTS (SELECT 1 FROM missing) AND ${b.versionId} = ${chosen.versionId} AND ${b.definitionId} = ${chosen.id}
      RETURNING ${b.versionId} AS version_id, ${b.operationId} AS owner_id, ${field} AS field, ${chosen.name} AS target_name`;
  };
  return sql`
    -- A schema's link goes with the list of the definition it refers to; only where it was is kept.
    cut_definition_links AS (
      SELECT ${chosen.versionId} AS version_id, ${s.id} AS owner_id, ${chosen.name} AS target_name
      FROM ${chosen} JOIN ${definitions} ${s} ON ${s.versionId} = ${chosen.versionId} AND ${s.name} = ANY(${chosen.referrerNames})
      WHERE NOT EXISTS (SELECT 1 FROM missing) AND ${s.id} NOT IN (SELECT ${chosen.id} FROM ${chosen})
    ),
    cut_action_bodies AS (${bodies('action')}),
    cut_trigger_bodies AS (${bodies('trigger')}),
    cut AS (
      INSERT INTO ${danglingLinks} (${bare(
        danglingLinks.versionId,
        danglingLinks.actionId,
        danglingLinks.triggerId,
        danglingLinks.definitionId,
        danglingLinks.field,
        danglingLinks.targetName,
      )})
      SELECT version_id, NULL, NULL, owner_id, 'schema.content', target_name FROM cut_definition_links
      UNION ALL SELECT version_id, owner_id, NULL, NULL, field, target_name FROM cut_action_bodies
      UNION ALL SELECT version_id, NULL, owner_id, NULL, field, target_name FROM cut_trigger_bodies
      RETURNING 1
    )`;
}

type DeleteRow = {
  missing: FieldProblem[];
  in_use: DefinitionInUse[];
  deleted: number;
};

/**
 * Deletes definitions named by id and/or name, or all of them. Refused, and nothing deleted,
 * while something outside the deleted set still refers to one: a definition's `$ref` or an
 * action's or trigger's body (`in_use` says which). References among the deleted are fine.
 */
export async function deleteDefinitions(
  db: Db,
  t: VersionTarget,
  which: {
    ids?: string[] | undefined;
    names?: string[] | undefined;
    all?: boolean | undefined;
    /** Delete them even while something refers to them: each link cut becomes a `dangling_links` row. */
    force?: boolean | undefined;
  },
  /** Deleting one definition by name: entity tags of which it must still have one. */
  condition?: { name: string; ifMatch: string | undefined },
): Promise<ChildWrite<DeleteRow, null>> {
  const force = which.force === true;
  const ids = JSON.stringify(which.ids ?? []);
  const names = JSON.stringify(which.names ?? []);
  const d = alias(definitions, 'd');
  // The definitions the request names (or all of them).
  const chosen = alias(definitions, 'chosen');
  return writeChildren<DeleteRow, null>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    asked_ids AS (SELECT x.id, x.ord FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY x(id, ord)),
    asked_names AS (SELECT x.name, x.ord FROM jsonb_array_elements_text(${names}::jsonb) WITH ORDINALITY x(name, ord)),
    ${chosen} AS (
      SELECT ${d}.* FROM ${definitions} ${d} JOIN ${v} ON ${d.versionId} = ${v.id}
      WHERE ${which.all === true} OR ${d.id} IN (SELECT id FROM asked_ids) OR ${d.name} IN (SELECT name FROM asked_names)
    ),
    missing AS (
      SELECT format('ids[%s]', a.ord - 1) AS field, 'is not a definition of this version' AS message, 1 AS k, a.ord
      FROM asked_ids a JOIN ${v} ON true
      WHERE NOT EXISTS (SELECT 1 FROM ${definitions} ${d} WHERE ${d.versionId} = ${v.id} AND ${d.id} = a.id)
      UNION ALL
      SELECT format('names[%s]', a.ord - 1), 'is not a definition of this version', 2, a.ord
      FROM asked_names a JOIN ${v} ON true
      WHERE NOT EXISTS (SELECT 1 FROM ${definitions} ${d} WHERE ${d.versionId} = ${v.id} AND ${d.name} = a.name)
      UNION ALL
      SELECT format('names[%s]', a.ord - 1), 'names a definition also given in ids', 3, a.ord
      FROM asked_names a JOIN ${chosen} ${d} ON ${d.name} = a.name WHERE ${d.id} IN (SELECT id FROM asked_ids)
    ),
    referrers AS (
      SELECT ${d.id}, ${d.name}, r.value AS referrer
      FROM ${chosen} ${d}, json_array_elements(${referrersOf(d)}) r(value)
    ),
    in_use AS (
      SELECT id, name, json_agg(referrer) AS referenced_by FROM referrers
      WHERE NOT (referrer->>'type' = 'definition' AND referrer->>'id' IN (SELECT ${chosen.id} FROM ${chosen}))
      GROUP BY id, name
    ),
    deleted AS (
      DELETE FROM ${definitions} USING ${chosen}
      WHERE ${definitions.id} = ${chosen.id} AND NOT EXISTS (SELECT 1 FROM missing)
        AND (${force} OR NOT EXISTS (SELECT 1 FROM in_use))
      RETURNING 1
    ),
    -- What the deleted referred to no longer lists them.
    unlinked AS (
      UPDATE ${definitions} SET ${bare(definitions.referrerNames)} =
        ARRAY(SELECT x FROM unnest(${definitions.referrerNames}) x WHERE x <> ALL (gone.names) ORDER BY x)
      FROM (SELECT array_agg(${chosen.name}) AS names FROM ${chosen}) gone
      WHERE EXISTS (SELECT 1 FROM deleted) AND ${definitions.versionId} = (SELECT ${v.id} FROM ${v})
        AND ${definitions.referrerNames} && gone.names AND ${definitions.id} NOT IN (SELECT ${chosen.id} FROM ${chosen})
      RETURNING 1
    ),
    ${force ? cutLinks(chosen) : sql`cut AS (SELECT 1)`},
    -- Data-modifying CTEs run to completion whether or not the SELECT reads them.
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM deleted)`)})
    SELECT
      (SELECT coalesce(json_agg(json_build_object('field', field, 'message', message) ORDER BY k, ord), '[]'::json) FROM missing) AS missing,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'referencedBy', referenced_by) ORDER BY name), '[]'::json)
       FROM in_use) AS in_use,
      (SELECT count(*)::int FROM deleted) AS deleted`,
    sql`SELECT NULL AS read`,
    condition && { item: definitionItem(t, condition.name), ifMatch: condition.ifMatch },
  );
}
