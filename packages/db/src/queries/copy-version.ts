import { sql, type SQL } from 'drizzle-orm';

// The CTEs that copy every child of version `src` into the version `nv` just inserted, inside
// the same statement as that insert. Each `*_map` pairs a source row's id with a fresh id
// (materialised once, so every reference to it agrees); links are rewritten through the maps,
// so the copy never points at the source's rows. When `nv` is empty (the name was taken), the
// maps are empty and nothing is copied.

/**
 * A fresh ULID for a copied row: the statement's millisecond time part (taken once, from one
 * gen_ulid()) and 16 random hex characters — hex digits are ULID characters, so the id is well
 * formed. A copy of 1,000 children makes ~2,500 ids; this is 4× cheaper than gen_ulid() for each.
 */
const newId = `((SELECT p FROM id_prefix) || upper(encode(substring(uuid_send(gen_random_uuid()) FROM 1 FOR 8), 'hex')))`;

/**
 * Definitions and their links. A schema may refer to another definition of its version by that
 * definition's URL (…/schemas/{connector}/{version}/{id}.{ext}): in the copy each such URL is made
 * to name the copy and the copied definition's new id, so the copy refers only to itself. Only
 * schemas holding such a URL are looked at (`#/$defs/{name}` links read the same in both); their
 * links come by index and their new ids from one jsonb map (`id_map`), since joins with the
 * materialised maps run as nested loops (the planner guesses a handful of rows: 1,000 schemas
 * with URLs took 290 ms that way).
 */
const definitionsCopy = `
  id_prefix AS MATERIALIZED (SELECT left(gen_ulid(), 10) AS p),
  definition_map AS MATERIALIZED (
    SELECT d.id AS old_id, ${newId} AS new_id
    FROM definitions d JOIN src ON d.version_id = src.id
    WHERE EXISTS (SELECT 1 FROM nv)
  ),
  id_map AS MATERIALIZED (SELECT jsonb_object_agg(old_id, new_id) AS m FROM definition_map),
  src_version AS MATERIALIZED (SELECT v.name FROM connector_versions v JOIN src ON v.id = src.id),
  definitions_copied AS (
    INSERT INTO definitions (id, version_id, name, description, accept, schema_content_type, schema_content)
    SELECT m.new_id, nv.id, d.name, d.description, d.accept, d.schema_content_type,
           CASE WHEN strpos(d.schema_content, '/schemas/') = 0 THEN d.schema_content ELSE (
             SELECT replace_each(d.schema_content,
                      array_agg('/' || sv.name || '/' || l.target_id), array_agg('/' || nv.name || '/' || (im.m ->> l.target_id)))
             FROM definition_links l CROSS JOIN id_map im CROSS JOIN src_version sv
             WHERE l.definition_id = d.id
           ) END
    FROM definitions d JOIN definition_map m ON m.old_id = d.id CROSS JOIN nv
    RETURNING 1
  ),
  definition_links_copied AS (
    INSERT INTO definition_links (version_id, definition_id, target_id)
    SELECT nv.id, source.new_id, target.new_id
    FROM definition_links l
    JOIN src ON l.version_id = src.id
    JOIN definition_map source ON source.old_id = l.definition_id
    JOIN definition_map target ON target.old_id = l.target_id
    CROSS JOIN nv
    RETURNING 1
  )`;

/** Actions and triggers have the same three tables, named after their kind. */
function operationsCopy(kind: 'action' | 'trigger'): string {
  return `
  ${kind}_map AS MATERIALIZED (
    SELECT o.id AS old_id, ${newId} AS new_id
    FROM ${kind}s o JOIN src ON o.version_id = src.id
    WHERE EXISTS (SELECT 1 FROM nv)
  ),
  ${kind}s_copied AS (
    INSERT INTO ${kind}s (id, version_id, name, summary, description, method, path, parameters, request_body_required)
    SELECT m.new_id, nv.id, o.name, o.summary, o.description, o.method, o.path, o.parameters, o.request_body_required
    FROM ${kind}s o JOIN ${kind}_map m ON m.old_id = o.id CROSS JOIN nv
    RETURNING 1
  ),
  ${kind}_response_map AS MATERIALIZED (
    SELECT r.id AS old_id, ${newId} AS new_id
    FROM ${kind}_responses r JOIN src ON r.version_id = src.id
    WHERE EXISTS (SELECT 1 FROM nv)
  ),
  ${kind}_responses_copied AS (
    INSERT INTO ${kind}_responses (id, version_id, ${kind}_id, status, position)
    SELECT rm.new_id, nv.id, om.new_id, r.status, r.position
    FROM ${kind}_responses r
    JOIN src ON r.version_id = src.id
    JOIN ${kind}_response_map rm ON rm.old_id = r.id
    JOIN ${kind}_map om ON om.old_id = r.${kind}_id
    CROSS JOIN nv
    RETURNING 1
  ),
  ${kind}_body_definitions_copied AS (
    INSERT INTO ${kind}_body_definitions (id, version_id, ${kind}_id, response_id, definition_id, position)
    SELECT ${newId}, nv.id, om.new_id, rm.new_id, dm.new_id, b.position
    FROM ${kind}_body_definitions b
    JOIN src ON b.version_id = src.id
    JOIN ${kind}_map om ON om.old_id = b.${kind}_id
    LEFT JOIN ${kind}_response_map rm ON rm.old_id = b.response_id
    JOIN definition_map dm ON dm.old_id = b.definition_id
    CROSS JOIN nv
    RETURNING 1
  )`;
}

/** The copy CTEs, to follow `src` (the source version's id) and `nv` (the new version row). */
export const copyChildrenCtes: SQL = sql.raw(
  [definitionsCopy, operationsCopy('action'), operationsCopy('trigger')].join(','),
);
