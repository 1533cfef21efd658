import type { VersionSnapshot } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { joinLatest, scopeConnector as c, versionIdFor } from '../sql-fragments.js';
import { sql } from '../sql-names.js';

// Two versions of a connector as the diff reads them (`VersionSnapshot`), in one statement: their
// actions, triggers and definitions, with linked definitions by name. A definition's schema text is
// left out where the other version's definition of the same name has the same text, so that the
// answer stays small when most of two large versions is alike.

/**
 * CTEs of one kind's operations of the versions in `vs`, grouped set-wise (a join per table rather
 * than subqueries per row), each table reached from `vs` by its version index: `{kind}_bodies` (the
 * linked names of each body), `{kind}_responses` (each operation's responses) and `{kind}_ops`
 * (each version's operations as a JSON array sorted by name).
 */
export function operationCtes(kind: OperationKind): SQL {
  const { operations, responses, bodyDefinitions } = operationTables[kind];
  const b = alias(bodyDefinitions, 'b');
  const bd = alias(definitions, 'bd');
  const r = alias(responses, 'r');
  const o = alias(operations, 'o');
  const bodies = sql.raw(`${kind}_bodies`);
  const answers = sql.raw(`${kind}_answers`);
  const ops = sql.raw(`${kind}_ops`);
  return sql`
  ${bodies} AS MATERIALIZED (
    SELECT ${b.operationId} AS op, ${b.responseId} AS response, json_agg(${bd.name} ORDER BY ${b.position}, ${b.id}) AS names
    FROM vs JOIN ${bodyDefinitions} ${b} ON ${b.versionId} = vs.id JOIN ${definitions} ${bd} ON ${bd.id} = ${b.definitionId}
    GROUP BY ${b.operationId}, ${b.responseId}
  ),
  ${answers} AS MATERIALIZED (
    SELECT ${r.operationId} AS op,
           json_agg(json_build_object('status', ${r.status}, 'definitions', coalesce(rb.names, '[]'::json)) ORDER BY ${r.position}, ${r.id}) AS list
    FROM vs JOIN ${responses} ${r} ON ${r.versionId} = vs.id
    LEFT JOIN ${bodies} rb ON rb.op = ${r.operationId} AND rb.response = ${r.id}
    GROUP BY ${r.operationId}
  ),
  ${ops} AS MATERIALIZED (
    SELECT ${o.versionId} AS version_id, json_agg(json_build_object(
      'name', ${o.name}, 'summary', ${o.summary}, 'description', ${o.description}, 'method', ${o.method},
      ${kind === 'action' ? sql`'path', ${o.path},` : sql``}
      'parameters', ${o.parameters},
      'requestBody', CASE WHEN ${o.requestBodyRequired} IS NOT NULL THEN json_build_object(
        'required', ${o.requestBodyRequired}, 'definitions', coalesce(qb.names, '[]'::json)) END,
      'responses', coalesce(ra.list, '[]'::json)
    ) ORDER BY ${o.name}) AS list
    FROM vs JOIN ${operations} ${o} ON ${o.versionId} = vs.id
    LEFT JOIN ${bodies} qb ON qb.op = ${o.id} AND qb.response IS NULL
    LEFT JOIN ${answers} ra ON ra.op = ${o.id}
    GROUP BY ${o.versionId}
  )`;
}

/**
 * Bytes of schema text one statement sends at most. Two versions at the version-bytes quota, every
 * schema different, hold more than the driver takes in one answer (10 MiB); past this budget a
 * differing schema's text is left for `readPendingSchemas`, which fetches it in batches.
 */
export const SNAPSHOT_SCHEMA_BUDGET_BYTES = 6 * 1024 * 1024;

/**
 * CTEs `def_rows` and `defs`: each version's definitions as a JSON array sorted by name, a schema's
 * text only where the other version's same-named definition has other text (and within the budget:
 * past it the definition is marked `pending` with its size), and the ids each `$ref`s.
 */
function definitionCtes(): SQL {
  const d = alias(definitions, 'd');
  const other = alias(definitions, 'other');
  const differs = sql`(${other.id} IS NULL OR ${other.schemaContent} IS DISTINCT FROM ${d.schemaContent})`;
  return sql`
  def_rows AS MATERIALIZED (
    SELECT ${d.id} AS id, ${d.versionId} AS version_id, ${d.name} AS name, ${d.description} AS description,
           ${d.accept} AS accept, ${d.schemaContentType} AS content_type, ${d.schemaContent} AS content,
           ${d.referrerNames} AS referrer_names, ${differs} AS differs, octet_length(${d.schemaContent}) AS bytes,
           sum(octet_length(${d.schemaContent})) FILTER (WHERE ${differs})
             OVER (ORDER BY ${d.versionId}, ${d.name}, ${d.id} ROWS UNBOUNDED PRECEDING) AS running
    FROM vs JOIN ${definitions} ${d} ON ${d.versionId} = vs.id
    LEFT JOIN ${definitions} ${other} ON ${other.versionId} = vs.other AND ${other.name} = ${d.name}
  ),
  -- The ids each definition refers to, per version and name: the links are kept on their targets.
  def_refs AS MATERIALIZED (
    SELECT t.version_id, referrer.name, json_agg(t.id ORDER BY t.id) AS ids
    FROM def_rows t, unnest(t.referrer_names) referrer(name)
    GROUP BY t.version_id, referrer.name
  ),
  defs AS MATERIALIZED (
    SELECT r.version_id, json_agg(json_build_object(
      'id', r.id, 'name', r.name, 'description', r.description, 'accept', to_json(r.accept),
      'contentType', r.content_type,
      'content', CASE WHEN r.differs AND r.running <= ${SNAPSHOT_SCHEMA_BUDGET_BYTES} THEN r.content END,
      'pendingBytes', CASE WHEN r.differs AND r.running > ${SNAPSHOT_SCHEMA_BUDGET_BYTES} THEN r.bytes END,
      'refs', coalesce(rf.ids, '[]'::json)
    ) ORDER BY r.name) AS list
    FROM def_rows r LEFT JOIN def_refs rf ON rf.version_id = r.version_id AND rf.name = r.name
    GROUP BY r.version_id
  )`;
}

const snapshotOf = (versionId: SQL): SQL => {
  const sv = alias(connectorVersions, 'sv');
  return sql`(SELECT json_build_object('name', ${sv.name},
      'actions', coalesce((SELECT list FROM action_ops WHERE version_id = ${sv.id}), '[]'::json),
      'triggers', coalesce((SELECT list FROM trigger_ops WHERE version_id = ${sv.id}), '[]'::json),
      'definitions', coalesce((SELECT list FROM defs WHERE version_id = ${sv.id}), '[]'::json))
    FROM ${connectorVersions} ${sv} WHERE ${sv.id} = ${versionId})`;
};

export type VersionPairRow = { from: VersionSnapshot | null; to: VersionSnapshot | null };

/** The statement of `readVersionPair`, for a batch that reads more beside it. */
export function versionPairStatement(input: { organisationId: string; connectorId: string; from: string; to: string }) {
  return sql`
    WITH pair AS MATERIALIZED (
      SELECT ${versionIdFor(c, input.from)} AS from_id, ${versionIdFor(c, input.to)} AS to_id
      FROM ${connectors} ${c} ${joinLatest(c)}
      WHERE ${c.id} = ${input.connectorId} AND ${c.organisationId} = ${input.organisationId}
    ),
    -- Each version with the other one (once when a version is compared with itself).
    vs AS MATERIALIZED (
      SELECT DISTINCT id, other FROM (
        SELECT from_id AS id, to_id AS other FROM pair UNION ALL SELECT to_id, from_id FROM pair) both_ways
      WHERE id IS NOT NULL
    ),
    ${operationCtes('action')},
    ${operationCtes('trigger')},
    ${definitionCtes()}
    SELECT ${snapshotOf(sql`pair.from_id`)} AS from, ${snapshotOf(sql`pair.to_id`)} AS to
    FROM pair`;
}

/** Both versions `from` and `to` (names or aliases) of the caller's connector, read in one statement. */
export async function readVersionPair(
  db: Db,
  input: { organisationId: string; connectorId: string; from: string; to: string },
): Promise<
  Outcome<{ from: VersionSnapshot; to: VersionSnapshot }, 'connector_not_found' | 'from_not_found' | 'to_not_found'>
> {
  const result = await db.execute<VersionPairRow>(versionPairStatement(input));
  const pair = pairOf(result.rows[0]);
  if (pair.ok) await readPendingSchemas(db, pair.value);
  return pair;
}

/** A definition as the pair statement answers it: `pendingBytes` set where its text was left out for the budget. */
type ReadDefinition = VersionSnapshot['definitions'][number] & { pendingBytes?: number | null };

/**
 * The schema texts the pair statement left out for its byte budget, read in batches that each stay
 * within it (one more round trip per batch; none when the two versions' differing texts fit).
 */
export async function readPendingSchemas(db: Db, pair: { from: VersionSnapshot; to: VersionSnapshot }): Promise<void> {
  const pending = new Map<string, { definition: ReadDefinition; bytes: number }>();
  for (const version of [pair.from, pair.to]) {
    for (const definition of version.definitions as ReadDefinition[]) {
      if (typeof definition.pendingBytes === 'number')
        pending.set(definition.id, { definition, bytes: definition.pendingBytes });
      delete definition.pendingBytes;
    }
  }
  const batches: string[][] = [];
  let batchBytes = Number.POSITIVE_INFINITY;
  for (const [id, { bytes }] of pending) {
    if (batchBytes + bytes > SNAPSHOT_SCHEMA_BUDGET_BYTES) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)?.push(id);
    batchBytes += bytes;
  }
  for (const ids of batches) {
    const rows = await db.execute<{ id: string; content: string }>(sql`
      SELECT ${definitions.id} AS id, ${definitions.schemaContent} AS content FROM ${definitions}
      WHERE ${definitions.id} IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
    for (const row of rows.rows) {
      const entry = pending.get(row.id);
      if (entry) entry.definition.content = row.content;
    }
  }
}

/** The outcome of a pair read: both versions, or which one was not found. */
export function pairOf(
  row: VersionPairRow | undefined,
): Outcome<{ from: VersionSnapshot; to: VersionSnapshot }, 'connector_not_found' | 'from_not_found' | 'to_not_found'> {
  if (!row) return refused('connector_not_found');
  if (!row.from) return refused('from_not_found');
  if (!row.to) return refused('to_not_found');
  return done({ from: row.from, to: row.to });
}
