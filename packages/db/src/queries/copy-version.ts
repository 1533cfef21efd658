import { type Name, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { danglingLinks } from '../schema/dangling-links.js';
import { definitions } from '../schema/definitions.js';
import { bare, sql } from '../sql-names.js';
import { definitionInsertColumns, operationFieldValues, operationFields } from '../written-columns.js';

// The CTEs that copy every child of version `src` into the version `nv` just inserted (of the same
// connector, or of another: see copy_urls), inside
// the same statement as that insert. A copied row's id is derived from its source row's id
// (`newIdOf`), so every reference is remapped by the same expression applied to the id it holds:
// no table pairing old and new ids is built, materialised and joined for each kind of child (with
// those, a copy of 1,000 children used about a third more database CPU). When `nv` is empty (the
// name was taken), nothing is copied.

/** CTE `src`: the id of the version copied from. */
export const src = alias(connectorVersions, 'src');
/** CTE `nv`: the version row just inserted (`RETURNING *`). */
export const nv = alias(connectorVersions, 'nv');

/**
 * The id in the copy of the source row whose id is `oldId`: a ULID of the statement's millisecond
 * time part (from one gen_ulid()) and the 16 hex digits (ULID characters) of a 64-bit hash of the
 * old id, seeded with a random value drawn once per statement. One old id always gives the same
 * new id within the statement, and distinct ones distinct ids (64 bits: a collision among even
 * 100,000 rows has odds of about 1 in 3.7 billion, and would fail the insert on its primary key
 * rather than mix rows up); the seed keeps two copies of one source, even within one millisecond,
 * apart. hashtextextended is Postgres's own 64-bit text hash (hash partitioning stores rows by it, so
 * it stays the same across versions; PostgreSQL 11+ and PGlite have it): it measured 0.5 µs an id
 * here, md5 1.4 µs.
 */
const newIdOf = (oldId: SQL | PgColumn): SQL =>
  sql`((SELECT p FROM id_seed) || upper(lpad(to_hex(hashtextextended(${oldId}, (SELECT s FROM id_seed))), 16, '0')))`;

/**
 * Definitions, with the links between them: each definition's list of the names that refer to it is
 * copied as it is (a copy keeps every name). A schema may also refer to another definition of its
 * version by that definition's URL (…/o/{organisation}/schemas/{connector}/{version}/{id}.{ext}): in
 * the copy each such URL is made to name the copy and the copied definition's new id, so the copy
 * refers only to itself. `rewrite_definition_urls` (migration 0008) does it in one pass over the text,
 * with the new ids from one jsonb map (`id_map`, built only when some schema holds such a URL);
 * replace_each, before it, ran one replace() per link, scanning a 256 KiB schema once for each of its
 * 1,700 links. Only schemas holding the URLs' common part are looked at; the URL of any source
 * definition in them is rewritten (linked or merely mentioned), and nothing else.
 */
const definitionsCopy = (targetOrganisation: SQL | undefined): SQL => {
  const d = alias(definitions, 'd');
  const sv = alias(connectorVersions, 'sv');
  // The source's connector. The copy's URLs name its own connector (`nv`'s) and organisation: the
  // source's, unless the copy goes to another (the public library), whose connector this
  // statement's snapshot may not even see yet.
  const sc = alias(connectors, 'sc');
  return sql`
  id_seed AS MATERIALIZED (SELECT left(gen_ulid(), 10) AS p, hashtextextended(gen_random_uuid()::text, 0) AS s),
  id_map AS MATERIALIZED (
    SELECT jsonb_object_agg(${d.id}, ${newIdOf(d.id)}) AS m
    FROM ${definitions} ${d} JOIN ${src} ON ${d.versionId} = ${src.id}
  ),
  copy_urls AS MATERIALIZED (
    SELECT '/o/' || ${sc.organisationId} || '/schemas/' || ${sc.id} || '/' || url_path_segment(${sv.name}) || '/' AS old_base,
           '/o/' || ${targetOrganisation ?? sc.organisationId} || '/schemas/' || ${nv.connectorId} || '/' || url_path_segment(${nv.name}) || '/' AS new_base
    FROM ${nv}
    JOIN ${connectorVersions} ${sv} ON ${sv.id} = (SELECT id FROM ${src})
    JOIN ${connectors} ${sc} ON ${sc.id} = ${sv.connectorId}
  ),
  definitions_copied AS (
    INSERT INTO ${definitions} (${definitionInsertColumns})
    SELECT ${newIdOf(d.id)}, ${nv.id}, ${d.name}, ${d.description}, ${d.accept}, ${d.schemaContentType},
           CASE WHEN strpos(${d.schemaContent}, u.old_base) = 0 THEN ${d.schemaContent}
                ELSE rewrite_definition_urls(${d.schemaContent}, u.old_base, u.new_base, (SELECT im.m FROM id_map im)) END,
           ${d.referrerNames}
    FROM ${definitions} ${d} JOIN ${src} ON ${d.versionId} = ${src.id} CROSS JOIN ${nv} CROSS JOIN copy_urls u
  )`;
};

/** The names of each kind's copy CTEs: a statement copies both kinds, so they differ by kind. */
const copyCteNames: Record<OperationKind, Record<'copied' | 'responsesCopied' | 'bodiesCopied', Name>> = {
  action: {
    copied: sql.identifier('actions_copied'),
    responsesCopied: sql.identifier('action_responses_copied'),
    bodiesCopied: sql.identifier('action_body_definitions_copied'),
  },
  trigger: {
    copied: sql.identifier('triggers_copied'),
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
  ${names.copied} AS (
    INSERT INTO ${operations} (${bare(operations.id, operations.versionId, operations.name, ...operationFields(operations))})
    SELECT ${newIdOf(o.id)}, ${nv.id}, ${o.name}, ${operationFieldValues(o)}
    FROM ${operations} ${o} JOIN ${src} ON ${o.versionId} = ${src.id} CROSS JOIN ${nv}
  ),
  ${names.responsesCopied} AS (
    INSERT INTO ${responses} (${bare(responses.id, responses.versionId, responses.operationId, responses.status, responses.position)})
    SELECT ${newIdOf(r.id)}, ${nv.id}, ${newIdOf(r.operationId)}, ${r.status}, ${r.position}
    FROM ${responses} ${r} JOIN ${src} ON ${r.versionId} = ${src.id} CROSS JOIN ${nv}
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
    -- A request body's link has no response: the hash of NULL is NULL (strict), so its copy has none.
    SELECT ${newIdOf(b.id)}, ${nv.id}, ${newIdOf(b.operationId)}, ${newIdOf(b.responseId)}, ${newIdOf(b.definitionId)}, ${b.position}
    FROM ${bodyDefinitions} ${b} JOIN ${src} ON ${b.versionId} = ${src.id} CROSS JOIN ${nv}
  )`;
}

/**
 * Links a forced delete cut in the source stay cut in the copy (with the copied referrers' ids), so
 * a copy is not publishable where its source was not.
 */
const danglingCopy = (() => {
  const dl = alias(danglingLinks, 'dl');
  return sql`
  dangling_links_copied AS (
    INSERT INTO ${danglingLinks} (${bare(
      danglingLinks.versionId,
      danglingLinks.actionId,
      danglingLinks.triggerId,
      danglingLinks.definitionId,
      danglingLinks.field,
      danglingLinks.targetName,
    )})
    SELECT ${nv.id}, ${newIdOf(dl.actionId)}, ${newIdOf(dl.triggerId)}, ${newIdOf(dl.definitionId)}, ${dl.field}, ${dl.targetName}
    FROM ${danglingLinks} ${dl} JOIN ${src} ON ${dl.versionId} = ${src.id} CROSS JOIN ${nv}
  )`;
})();

/**
 * The copy CTEs, to follow `src` (the source version's id) and `nv` (the new version row), for a
 * copy within the source's organisation.
 */
export const copyChildrenCtes: SQL = copyChildrenInto(undefined);

/** The copy CTEs for a copy into the organisation `targetOrganisation` (SQL text), `nv` being its version. */
export function copyChildrenInto(targetOrganisation: SQL | undefined): SQL {
  return sql.join(
    [definitionsCopy(targetOrganisation), operationsCopy('action'), operationsCopy('trigger'), danglingCopy],
    sql`,`,
  );
}
