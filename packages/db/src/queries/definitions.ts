import type { Definition, DefinitionInUse } from '@connect/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { definitionJson, definitionUrl, referrersOf } from '../child-json.js';
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
const refRows = (source: string) => `
  SELECT r->>'ref' AS ref,
         coalesce(r->>'name', (SELECT d.name FROM definitions d JOIN v ON d.version_id = v.id WHERE d.id = r->>'id')) AS name
  FROM jsonb_array_elements(${source}) r`;

export interface FieldProblem {
  field: string;
  message: string;
}

const json = (t: VersionTarget) => definitionJson('o', sql`${t.schemaBase}`);

export function listDefinitions(
  db: Db,
  t: VersionTarget,
  options: { page: PageRequest; scope: string; name?: string | undefined },
): Promise<Page<Definition> | Missing> {
  return listChildren<Definition>(db, t, { table: 'definitions', json: json(t), ...options });
}

export async function getDefinition(
  db: Db,
  t: VersionTarget,
  name: string,
): Promise<Definition | Missing | 'not_found'> {
  const result = await db.execute<ScopeRow & { item: Definition | null }>(sql`
    WITH ${versionScope(t)}
    SELECT ${scopeColumns},
      (SELECT ${json(t)} FROM definitions o, v WHERE o.version_id = v.id AND o.name = ${name}) AS item`);
  const row = result.rows[0];
  return missingOf(row) ?? row?.item ?? 'not_found';
}

/** A raw schema, with the definitions it links to (by name and `url`). */
export interface RawSchema {
  contentType: string;
  content: string;
  links: { name: string; url: string }[];
}

/** The raw schema of a definition, by id, for its `url`. */
export async function getRawSchema(db: Db, t: VersionTarget, id: string): Promise<RawSchema | Missing | 'not_found'> {
  const result = await db.execute<ScopeRow & { item: RawSchema | null }>(sql`
    WITH ${versionScope(t)}
    SELECT ${scopeColumns},
      (SELECT json_build_object('contentType', d.schema_content_type, 'content', d.schema_content,
         'links', (SELECT coalesce(json_agg(json_build_object('name', tg.name, 'url', ${definitionUrl('tg', sql`${t.schemaBase}`)})), '[]'::json)
                   FROM definition_links l JOIN definitions tg ON tg.id = l.target_id WHERE l.definition_id = d.id))
       FROM definitions d, v WHERE d.version_id = v.id AND d.id = ${id}) AS item`);
  const row = result.rows[0];
  return missingOf(row) ?? row?.item ?? 'not_found';
}

type CreateRow = { taken: FieldProblem[]; unresolved: FieldProblem[] };

/**
 * CreateDefinitions: all or none. Names taken in the version → `taken`; a `$ref` naming neither a
 * definition of the request nor one of the version → `unresolved`. Links are written for every
 * `$ref`, so definitions of one request may refer to each other in any order, cycles included.
 */
export async function createDefinitions(
  db: Db,
  t: VersionTarget,
  items: DefinitionInput[],
): Promise<ChildWrite<CreateRow, Definition[]>> {
  const payload = JSON.stringify(items);
  return writeChildren<CreateRow, Definition[]>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    p AS (SELECT d.ord, d.value FROM jsonb_array_elements(${payload}::jsonb) WITH ORDINALITY d(value, ord)),
    taken AS (
      SELECT p.ord FROM p JOIN v ON true JOIN definitions d ON d.version_id = v.id AND d.name = p.value->>'name'
    ),
    refs AS (SELECT p.ord, r.ref, r.name FROM p, LATERAL (${sql.raw(refRows("p.value->'refs'"))}) r),
    known AS (
      SELECT p.value->>'name' AS name FROM p
      UNION SELECT d.name FROM definitions d JOIN v ON d.version_id = v.id
    ),
    unresolved AS (SELECT refs.* FROM refs WHERE refs.name IS NULL OR refs.name NOT IN (SELECT name FROM known)),
    ok AS (SELECT v.id FROM v WHERE NOT EXISTS (SELECT 1 FROM taken) AND NOT EXISTS (SELECT 1 FROM unresolved)),
    new_ids AS MATERIALIZED (SELECT p.ord, p.value, gen_ulid() AS id FROM p, ok),
    inserted AS (
      INSERT INTO definitions (id, version_id, name, description, accept, schema_content_type, schema_content)
      SELECT n.id, ok.id, n.value->>'name', coalesce(n.value->>'description', ''),
             ARRAY(SELECT jsonb_array_elements_text(n.value->'accept')),
             n.value->'schema'->>'contentType', n.value->'schema'->>'content'
      FROM new_ids n, ok
      RETURNING 1
    ),
    targets AS (
      SELECT n.value->>'name' AS name, n.id FROM new_ids n
      UNION ALL SELECT d.name, d.id FROM definitions d JOIN ok ON d.version_id = ok.id
    ),
    linked AS (
      INSERT INTO definition_links (version_id, definition_id, target_id)
      SELECT DISTINCT ok.id, n.id, targets.id
      FROM new_ids n JOIN refs ON refs.ord = n.ord JOIN targets ON targets.name = refs.name CROSS JOIN ok
      RETURNING 1
    ),
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM ok)`)})
    SELECT
      (SELECT coalesce(json_agg(json_build_object('field', format('definitions[%s].name', ord - 1),
         'message', 'is already used by another definition of this version') ORDER BY ord), '[]'::json) FROM taken) AS taken,
      (SELECT coalesce(json_agg(json_build_object('field', format('definitions[%s].schema.content', ord - 1),
         'message', format('refers to %s, which is neither in this request nor a definition of this version', ref))
         ORDER BY ord, ref), '[]'::json) FROM unresolved) AS unresolved,
      (SELECT count(*) FROM inserted) + (SELECT count(*) FROM linked) + (SELECT count(*) FROM touched) AS written,
      set_config('connect.child_ids', coalesce((SELECT string_agg(id, ',' ORDER BY ord) FROM new_ids), ''), true) AS remembered`,
    sql`
    WITH ${lockedVersion},
    ids AS (SELECT string_to_array(current_setting('connect.child_ids', true), ',') AS ids)
    SELECT (SELECT coalesce(json_agg(${json(t)} ORDER BY array_position(ids.ids, o.id)), '[]'::json)
            FROM definitions o, v, ids WHERE o.version_id = v.id AND o.id = ANY(ids.ids)) AS read`,
  );
}

type UpdateRow = { found: boolean; problems: FieldProblem[]; updated: boolean };

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
): Promise<ChildWrite<UpdateRow, Definition>> {
  const schema = input.schema ?? null;
  const refs = JSON.stringify(schema?.refs ?? []);
  const accept = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(input.accept)}::jsonb))`;
  const bodyClash = (kind: 'action' | 'trigger') => sql`
      SELECT format('accept: %s "%s" also links "%s" to the same body, which accepts %s too', ${kind}::text, o.name, other.name,
                    array_to_string(ARRAY(SELECT unnest(other.accept) INTERSECT SELECT unnest(${accept})), ', ')) AS message
      FROM target
      JOIN ${sql.raw(kind)}_body_definitions mine ON mine.version_id = target.version_id AND mine.definition_id = target.id
      JOIN ${sql.raw(kind)}_body_definitions b ON b.version_id = mine.version_id AND b.${sql.raw(kind)}_id = mine.${sql.raw(kind)}_id
        AND b.response_id IS NOT DISTINCT FROM mine.response_id AND b.id <> mine.id
      JOIN definitions other ON other.id = b.definition_id
      JOIN ${sql.raw(kind)}s o ON o.id = mine.${sql.raw(kind)}_id
      WHERE other.accept && ${accept}`;
  return writeChildren<UpdateRow, Definition>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    target AS (SELECT d.* FROM definitions d JOIN v ON d.version_id = v.id WHERE d.name = ${name}),
    refs_in AS (SELECT ${refs}::jsonb AS refs),
    refs AS (SELECT r.ref, r.name FROM refs_in, LATERAL (${sql.raw(refRows('refs_in.refs'))}) r),
    problems AS (
      SELECT 'id' AS field, 'is read-only and differs from the definition' AS message
      FROM target WHERE ${input.id ?? null}::text IS NOT NULL AND ${input.id ?? null}::text <> target.id
      UNION ALL
      SELECT 'name', 'is read-only and differs from the definition (names are how schemas refer to each other)'
      FROM target WHERE ${input.newName ?? null}::text IS NOT NULL AND ${input.newName ?? null}::text <> target.name
      UNION ALL
      SELECT 'schema.content', format('refers to %s, which is not a definition of this version', refs.ref)
      FROM refs, v WHERE refs.name IS NULL OR NOT EXISTS (SELECT 1 FROM definitions d WHERE d.version_id = v.id AND d.name = refs.name)
      UNION ALL
      SELECT 'accept', message FROM (${bodyClash('action')} UNION ALL ${bodyClash('trigger')}) clash
    ),
    ok AS (SELECT target.* FROM target WHERE NOT EXISTS (SELECT 1 FROM problems)),
    updated AS (
      UPDATE definitions SET accept = ${accept}, description = ${input.description ?? ''},
        schema_content_type = coalesce(${schema?.contentType ?? null}::text, definitions.schema_content_type),
        schema_content = coalesce(${schema?.content ?? null}::text, definitions.schema_content),
        updated_at = clock_timestamp()
      FROM ok WHERE definitions.id = ok.id
      RETURNING definitions.id, definitions.version_id
    ),
    new_targets AS (
      SELECT d.id FROM refs JOIN updated u ON true JOIN definitions d ON d.version_id = u.version_id AND d.name = refs.name
    ),
    unlinked AS (
      DELETE FROM definition_links l USING updated u
      WHERE ${schema !== null} AND l.definition_id = u.id AND l.target_id NOT IN (SELECT id FROM new_targets)
      RETURNING 1
    ),
    linked AS (
      INSERT INTO definition_links (version_id, definition_id, target_id)
      SELECT u.version_id, u.id, nt.id FROM updated u, new_targets nt WHERE ${schema !== null}
      ON CONFLICT DO NOTHING
      RETURNING 1
    ),
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM updated)`)})
    SELECT EXISTS (SELECT 1 FROM target) AS found,
      (SELECT coalesce(json_agg(json_build_object('field', field, 'message', message)), '[]'::json) FROM problems) AS problems,
      EXISTS (SELECT 1 FROM updated) AS updated,
      (SELECT count(*) FROM unlinked) + (SELECT count(*) FROM linked) + (SELECT count(*) FROM touched) AS written`,
    sql`
    WITH ${lockedVersion}
    SELECT (SELECT ${json(t)} FROM definitions o, v WHERE o.version_id = v.id AND o.name = ${name}) AS read`,
  );
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
  which: { ids?: string[] | undefined; names?: string[] | undefined; all?: boolean | undefined },
): Promise<ChildWrite<DeleteRow, null>> {
  const ids = JSON.stringify(which.ids ?? []);
  const names = JSON.stringify(which.names ?? []);
  return writeChildren<DeleteRow, null>(
    db,
    t,
    sql`
    WITH ${lockedDraft},
    asked_ids AS (SELECT x.id, x.ord FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY x(id, ord)),
    asked_names AS (SELECT x.name, x.ord FROM jsonb_array_elements_text(${names}::jsonb) WITH ORDINALITY x(name, ord)),
    chosen AS (
      SELECT d.* FROM definitions d JOIN v ON d.version_id = v.id
      WHERE ${which.all === true} OR d.id IN (SELECT id FROM asked_ids) OR d.name IN (SELECT name FROM asked_names)
    ),
    missing AS (
      SELECT format('ids[%s]', a.ord - 1) AS field, 'is not a definition of this version' AS message, 1 AS k, a.ord
      FROM asked_ids a JOIN v ON true WHERE NOT EXISTS (SELECT 1 FROM definitions d WHERE d.version_id = v.id AND d.id = a.id)
      UNION ALL
      SELECT format('names[%s]', a.ord - 1), 'is not a definition of this version', 2, a.ord
      FROM asked_names a JOIN v ON true WHERE NOT EXISTS (SELECT 1 FROM definitions d WHERE d.version_id = v.id AND d.name = a.name)
      UNION ALL
      SELECT format('names[%s]', a.ord - 1), 'names a definition also given in ids', 3, a.ord
      FROM asked_names a JOIN chosen d ON d.name = a.name WHERE d.id IN (SELECT id FROM asked_ids)
    ),
    referrers AS (
      SELECT d.id, d.name, r.value AS referrer
      FROM chosen d, json_array_elements(${sql.raw(referrersOf('d'))}) r(value)
    ),
    in_use AS (
      SELECT id, name, json_agg(referrer) AS referenced_by FROM referrers
      WHERE NOT (referrer->>'type' = 'definition' AND referrer->>'id' IN (SELECT id FROM chosen))
      GROUP BY id, name
    ),
    deleted AS (
      DELETE FROM definitions USING chosen
      WHERE definitions.id = chosen.id AND NOT EXISTS (SELECT 1 FROM missing) AND NOT EXISTS (SELECT 1 FROM in_use)
      RETURNING 1
    ),
    touched AS (${touchVersion(sql`EXISTS (SELECT 1 FROM deleted)`)})
    SELECT
      (SELECT coalesce(json_agg(json_build_object('field', field, 'message', message) ORDER BY k, ord), '[]'::json) FROM missing) AS missing,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'referencedBy', referenced_by) ORDER BY name), '[]'::json)
       FROM in_use) AS in_use,
      (SELECT count(*)::int FROM deleted) + 0 * (SELECT count(*) FROM touched) AS deleted`,
    sql`SELECT NULL AS read`,
  );
}
