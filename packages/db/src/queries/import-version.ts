import type { Action, AuthSchemeConfig, Connector, Definition, Trigger } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { definitionJson, operationJson, tidyOperation } from '../child-json.js';
import { writeStatement } from '../idempotency.js';
import { operationTables, type OperationKind } from '../operation-tables.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { connectorJson, organisationOnFirstUse, scopeConnector as c, scopeVersion as v } from '../sql-fragments.js';
import { bare, sql } from '../sql-names.js';
import { definitionInsertColumns, operationFields } from '../written-columns.js';
import { fittingRows } from './page.js';
import {
  exceededQuota,
  firstExceeded,
  holdConnector,
  lockOrganisation,
  quotaValue,
  recheckVersionsQuota,
  type QuotaDetail,
  type Quotas,
  type VersionsRecheck,
} from './quotas.js';
import { lockedVersion } from './version-children.js';

// An imported document becomes a whole version in one batch (one round trip, one transaction):
//  1. for a new connector, lock the organisation, so racing imports count each other against the
//     connectors quota; for a new version of a connector, hold the connector (`holdConnector`: a
//     delete waits, other writes of versions do not);
//  2. one statement inserting the connector (for a connector import), the version and all of its
//     children, every row of a kind from one jsonb array: the ids are the caller's (new ULIDs), so
//     every link is written as given and nothing is looked up by name;
//  3. for a new version of a connector, the versions quota's recheck under the connector's lock
//     (`recheckVersionsQuota`: racing creates, copies and imports counted the other's versions only
//     there);
//  4. the read-back, with a fresh snapshot, as the API shows what was written.
// A version name already taken inserts no version, and then no child: every child insert reads
// the version CTE, which is empty.

/** A definition to write, with the id the caller chose for it. */
export interface ImportedDefinition {
  id: string;
  name: string;
  description: string;
  accept: string[];
  contentType: string;
  content: string;
  /** The names of the imported definitions whose schemas refer to this one, each once. */
  referrerNames: string[];
}

/** An action or trigger to write, with its responses and body links, ids chosen by the caller. */
export interface ImportedOperation {
  id: string;
  name: string;
  summary: string;
  description: string;
  method: string;
  /** '' for a trigger. */
  path: string;
  parameters: unknown[];
  /** Null when the operation takes no request body. */
  requestBodyRequired: boolean | null;
  responses: { id: string; status: number | null; position: number }[];
  /** Links of its bodies to definitions; `responseId` null for the request body. */
  bodies: { responseId: string | null; definitionId: string; position: number }[];
}

export interface ImportedVersionInput {
  organisationId: string;
  /** An existing connector of the organisation, or the new connector to create with the version. */
  connector:
    | { id: string }
    | { create: { id: string; name: string; baseUrl: string; authSchemeConfigs: AuthSchemeConfig[] } };
  version: { name: string; description: string };
  definitions: ImportedDefinition[];
  actions: ImportedOperation[];
  triggers: ImportedOperation[];
  /** Where the connector's raw schemas are served, up to the connector segment (definitions' `url`). */
  schemaBase: string;
  /** Bytes of JSON the answer's definitions, actions and triggers may take (the rest are counted). */
  answerBudgetBytes: { definitions: number; actions: number; triggers: number };
  quotas: Pick<Quotas, 'connectorsPerOrganisation' | 'versionsPerConnector'>;
}

/** What an import wrote, as the API shows it: lists cut to their budget, with their full counts. */
export interface ImportedVersion {
  connector: Connector;
  versionId: string;
  definitions: { items: Definition[]; total: number };
  actions: { items: Action[]; total: number };
  triggers: { items: Trigger[]; total: number };
}

export type ImportVersionResult = Outcome<
  ImportedVersion,
  'connector_not_found' | 'name_taken' | 'quota_exceeded',
  QuotaDetail
>;

/** A child table (or an alias of one): what an answer list reads. */
type ChildTable = PgTable & { id: PgColumn; versionId: PgColumn };

/** The CTEs inserting one kind's operations, responses and body links of version `nv` from `payload`. */
function operationInserts(kind: OperationKind): SQL {
  const { operations, responses, bodyDefinitions } = operationTables[kind];
  const key = `${kind}s`;
  return sql`
  ${sql.identifier(`${kind}s_in`)} AS (
    INSERT INTO ${operations} (${bare(operations.id, operations.versionId, operations.name, ...operationFields(operations))})
    SELECT x.id, nv.id, x.name, x.summary, x.description, x.method, x.path, x.parameters, x."requestBodyRequired"
    FROM nv, jsonb_to_recordset((SELECT j->${key} FROM payload))
      AS x(id text, name text, summary text, description text, method text, path text, parameters jsonb, "requestBodyRequired" boolean)
    RETURNING 1
  ),
  ${sql.identifier(`${kind}_responses_in`)} AS (
    INSERT INTO ${responses} (${bare(responses.id, responses.versionId, responses.operationId, responses.status, responses.position)})
    SELECT r.id, nv.id, x.id, r.status, r.position
    FROM nv, jsonb_to_recordset((SELECT j->${key} FROM payload)) AS x(id text, responses jsonb),
         jsonb_to_recordset(x.responses) AS r(id text, status int, position int)
    RETURNING 1
  ),
  ${sql.identifier(`${kind}_bodies_in`)} AS (
    INSERT INTO ${bodyDefinitions} (${bare(
      bodyDefinitions.versionId,
      bodyDefinitions.operationId,
      bodyDefinitions.responseId,
      bodyDefinitions.definitionId,
      bodyDefinitions.position,
    )})
    SELECT nv.id, x.id, b."responseId", b."definitionId", b.position
    FROM nv, jsonb_to_recordset((SELECT j->${key} FROM payload)) AS x(id text, bodies jsonb),
         jsonb_to_recordset(x.bodies) AS b("responseId" text, "definitionId" text, position int)
    RETURNING 1
  )`;
}

/** The connector CTE `c` and the quota check `over`, for a new connector or an existing one. */
function parentCtes(input: ImportedVersionInput): SQL {
  const counted = alias(connectors, 'counted');
  const countedVersions = alias(connectorVersions, 'counted_versions');
  if ('create' in input.connector) {
    const created = input.connector.create;
    return sql`
    o AS (${organisationOnFirstUse(input.organisationId)}),
    over AS MATERIALIZED (
      SELECT ${firstExceeded([
        [
          sql`(SELECT count(*) FROM ${connectors} ${counted} WHERE ${counted.organisationId} = ${input.organisationId}) >= ${quotaValue(input.quotas.connectorsPerOrganisation)}`,
          'connectorsPerOrganisation',
        ],
      ])} AS quota
    ),
    ${c} AS (
      INSERT INTO ${connectors} (${bare(connectors.id, connectors.organisationId, connectors.name, connectors.baseUrl, connectors.authSchemeConfigs)})
      SELECT ${created.id}, ${input.organisationId}, ${created.name}, ${created.baseUrl}, ${JSON.stringify(created.authSchemeConfigs)}::jsonb
      FROM over WHERE over.quota IS NULL
      RETURNING *
    )`;
  }
  return sql`
    ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${input.connector.id} AND ${c.organisationId} = ${input.organisationId}),
    over AS MATERIALIZED (
      SELECT ${firstExceeded([
        [
          sql`(SELECT count(*) FROM ${connectorVersions} ${countedVersions} WHERE ${countedVersions.connectorId} = ${c.id}) >= ${quotaValue(input.quotas.versionsPerConnector)}`,
          'versionsPerConnector',
        ],
      ])} AS quota FROM ${c}
    )`;
}

/** The most items of each kind the answer builds (its byte budgets may stop it sooner). */
export const answerItemsMax = 250;

/**
 * A list of the answer: the first `answerItemsMax` rows of `table` in the version (by id), built
 * by `json` from `row` (an alias of `table`), within `budget` bytes, with the version's full count.
 */
function answerList(table: ChildTable, row: ChildTable, json: SQL, budget: number): SQL {
  const first = alias(table, 'first_ids');
  return sql`(SELECT json_build_object(
      'items', coalesce(json_agg(s.body ORDER BY s.ord) FILTER (WHERE s.fits), '[]'::json),
      'total', (SELECT count(*) FROM ${table} ${first}, ${v} WHERE ${first.versionId} = ${v.id}))
    FROM (${fittingRows(
      sql`SELECT ${json} AS body, row_number() OVER (ORDER BY ${row.id}) AS ord
          FROM (SELECT ${first.id} FROM ${table} ${first}, ${v} WHERE ${first.versionId} = ${v.id}
                ORDER BY ${first.id} LIMIT ${answerItemsMax}) l
          JOIN ${table} ${row} ON ${row.id} = l.id CROSS JOIN ${v}`,
      sql`${budget}::bigint`,
    )}) s)`;
}

/**
 * The read-back: the connector and the version's children as the API shows them. Only the items
 * the answer can hold are built: building all of GitHub's 1,223 actions and 1,470 definitions as
 * JSON took 1.9 s of the database's time, for an answer that could not hold them.
 */
function readBack(input: ImportedVersionInput): SQL {
  const schemaBase = sql`${input.schemaBase}`;
  const budget = input.answerBudgetBytes;
  const d = alias(definitions, 'o');
  const a = alias(operationTables.action.operations, 'o');
  const t = alias(operationTables.trigger.operations, 'o');
  return sql`
  WITH ${lockedVersion},
  ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = (SELECT ${v.connectorId} FROM ${v}))
  SELECT (SELECT ${connectorJson(c)} FROM ${c}) AS connector,
    ${answerList(definitions, d, definitionJson(d, schemaBase), budget.definitions)} AS definitions,
    ${answerList(operationTables.action.operations, a, operationJson('action', a, schemaBase), budget.actions)} AS actions,
    ${answerList(operationTables.trigger.operations, t, operationJson('trigger', t, schemaBase), budget.triggers)} AS triggers`;
}

/**
 * ImportHTTPConnector / ImportHTTPConnectorVersion: the connector (for the former), a draft version
 * and every child of it, all or nothing, in one round trip (see the top of this file). The
 * children's own quotas (children per version, schema bytes) are the caller's to check: the
 * version is new, so they depend on the import alone.
 */
export async function importVersion(db: Db, input: ImportedVersionInput): Promise<ImportVersionResult> {
  const payload = JSON.stringify({
    definitions: input.definitions,
    actions: input.actions,
    triggers: input.triggers,
  });
  const newConnector = 'create' in input.connector;
  const before =
    'create' in input.connector
      ? lockOrganisation(input.organisationId)
      : holdConnector(input.organisationId, input.connector.id);
  const write = writeStatement(
    sql`
    payload AS MATERIALIZED (SELECT ${payload}::jsonb AS j),
    ${parentCtes(input)},
    nv AS (
      INSERT INTO ${connectorVersions} (${bare(connectorVersions.connectorId, connectorVersions.name, connectorVersions.description)})
      SELECT ${c.id}, ${input.version.name}, ${input.version.description} FROM ${c}
      WHERE NOT EXISTS (SELECT 1 FROM over WHERE over.quota IS NOT NULL)
      ON CONFLICT (${bare(connectorVersions.connectorId, connectorVersions.name)}) DO NOTHING
      RETURNING *
    ),
    definitions_in AS (
      INSERT INTO ${definitions} (${definitionInsertColumns})
      SELECT x.id, nv.id, x.name, x.description, ARRAY(SELECT jsonb_array_elements_text(x.accept)), x."contentType", x.content,
             ARRAY(SELECT jsonb_array_elements_text(x."referrerNames"))
      FROM nv, jsonb_to_recordset((SELECT j->'definitions' FROM payload))
        AS x(id text, name text, description text, accept jsonb, "contentType" text, content text, "referrerNames" jsonb)
      RETURNING 1
    ),
    ${operationInserts('action')},
    ${operationInserts('trigger')}`,
    sql`
    SELECT EXISTS (SELECT 1 FROM ${c}) AS connector_found, (SELECT quota FROM over) AS quota,
           set_config('connect.version_id', coalesce((SELECT nv.id FROM nv), ''), true) AS version_id`,
  );
  type Listed<T> = { items: T[]; total: number };
  const written = db.execute<{ connector_found: boolean; quota: string | null; version_id: string }>(write);
  const read = db.execute<{
    connector: Connector | null;
    definitions: Listed<Definition>;
    actions: Listed<Action>;
    triggers: Listed<Trigger>;
  }>(readBack(input));
  // A new connector's version needs no recheck: no other request sees the connector before commit.
  const [writtenRows, recheck, readRows] = newConnector
    ? await db.batch([db.execute(before), written, read]).then(([, w, r]) => [w, null, r] as const)
    : await db
        .batch([
          db.execute(before),
          written,
          db.execute<VersionsRecheck>(recheckVersionsQuota(input.quotas.versionsPerConnector)),
          read,
        ])
        .then(([, w, q, r]) => [w, q, r] as const);
  const row = writtenRows.rows[0];
  // Over by the recheck: racing requests took the last places while this one wrote, and the version
  // is gone again; the same answer as when the write's own count found the connector full.
  const exceeded = exceededQuota(input.quotas, recheck?.rows[0]?.over ? 'versionsPerConnector' : row?.quota);
  if (exceeded) return { ok: false, reason: 'quota_exceeded', quota: exceeded };
  if (!row?.connector_found) return refused('connector_not_found');
  if (row.version_id === '') return refused('name_taken');
  const answer = readRows.rows[0];
  if (!answer?.connector) throw new Error('the import wrote no connector to read back');
  answer.actions.items.forEach(tidyOperation);
  answer.triggers.items.forEach(tidyOperation);
  return done({
    connector: answer.connector,
    versionId: row.version_id,
    definitions: answer.definitions,
    actions: answer.actions,
    triggers: answer.triggers,
  });
}
