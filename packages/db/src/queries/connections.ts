import type { AuthSchemeConfig, Connection } from '@connect/contracts';
import type { SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { writeStatement } from '../idempotency.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors } from '../schema/connectors.js';
import { connectionCredentials, connections } from '../schema/connections.js';
import { etagMatches, isoTime } from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';
import { budgetedItems, keyset, limitOf, pageFrom, type BudgetedItems, type Page, type PageRequest } from './page.js';

/** A credential as stored: shown fields in `data`, secret ones sealed in `secret`. */
export interface StoredCredential {
  credentialId: string;
  usage: 'action' | 'trigger';
  position: number;
  authSchemeConfig: AuthSchemeConfig;
  name: string;
  type: string;
  data: Record<string, unknown>;
  secret: string | null;
  expiresAt: string | null;
}

export interface ConnectionSummaryRow {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

const n = alias(connections, 'n');
const k = alias(connectionCredentials, 'k');
const parent = alias(connectors, 'p');

/** One credential row as a ConnectionCredential (its data as stored: secret fields are `""`). */
const credentialJson = (row: typeof k): SQL => sql`json_build_object(
  'id', ${row.id},
  'authSchemeConfig', ${row.authSchemeConfig},
  'credential', json_strip_nulls(json_build_object(
    'id', ${row.credentialId},
    'organisationId', ${row.organisationId},
    'type', ${row.type},
    'name', ${row.name},
    'data', ${row.data},
    'expiresAt', CASE WHEN ${row.expiresAt} IS NULL THEN NULL ELSE ${isoTime(row.expiresAt)} END
  ))
)`;

/**
 * A connection as the API shows it; `from` is where its credential rows are read: the table, or
 * the CTE of rows the same statement inserted (which the table does not show it yet).
 */
const connectionJson = (row: typeof n, from: SQL): SQL => sql`json_build_object(
  'id', ${row.id},
  'name', ${row.name},
  'credentials', (
    SELECT json_build_object(
      'action', coalesce(json_agg(${credentialJson(k)} ORDER BY ${k.position}) FILTER (WHERE ${k.usage} = 'action'), '[]'::json),
      'trigger', coalesce(json_agg(${credentialJson(k)} ORDER BY ${k.position}) FILTER (WHERE ${k.usage} = 'trigger'), '[]'::json))
    FROM ${from} WHERE ${k.connectionId} = ${row.id}
  ),
  'variables', ${row.variables},
  'createdAt', ${isoTime(row.createdAt)},
  'updatedAt', ${isoTime(row.updatedAt)}
)`;

/** A stored connection row `n` as shown, credentials read from the table. */
const storedConnectionJson = connectionJson(n, sql`${connectionCredentials} ${k}`);

/** Connection `connectionId` as shown (null when there is none), for statements of other modules. */
export const connectionBodyOf = (connectionId: string): SQL =>
  sql`(SELECT ${storedConnectionJson} FROM ${connections} ${n} WHERE ${n.id} = ${connectionId})`;

/** The connection's entity tag, as its reads give it (the MD5 of its JSON). */
const connectionEtag = sql`md5((${storedConnectionJson})::text)`;

/** The locked connection row of a change, with its entity tag; `n` is the table here. */
const lockedConnection = (input: { organisationId: string; connectorId: string; connectionId: string }): SQL => sql`
  SELECT ${n.id} AS id, ${connectionEtag} AS etag FROM ${connections} ${n}
  WHERE ${n.id} = ${input.connectionId} AND ${n.connectorId} = ${input.connectorId}
    AND ${n.organisationId} = ${input.organisationId}
  FOR UPDATE OF ${n}`;

const summaryJson = (row: typeof n): SQL => sql`json_build_object(
  'id', ${row.id}, 'name', ${row.name},
  'createdAt', ${isoTime(row.createdAt)}, 'updatedAt', ${isoTime(row.updatedAt)})`;

/** The connector, when the organisation has it: every statement here starts from it. */
const ownedConnector = (organisationId: string, connectorId: string): SQL => sql`
  SELECT ${parent.id} FROM ${connectors} ${parent}
  WHERE ${parent.id} = ${connectorId} AND ${parent.organisationId} = ${organisationId}`;

/**
 * Creates a connection with its credentials in one statement: nothing is written unless the
 * organisation has the connector and the name is free in it (a taken name is a unique violation,
 * which fails the whole statement).
 */
export async function createConnection(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    name: string;
    variables: { name: string; value: string }[];
    credentials: StoredCredential[];
  },
): Promise<Outcome<Connection, 'connector_not_found'>> {
  const result = await execute(
    db,
    statement<{ body: Connection | null }>(
      writeStatement(
        sql`
    owner AS (${ownedConnector(input.organisationId, input.connectorId)}),
    ${n} AS (
      INSERT INTO ${connections} (${bare(connections.organisationId, connections.connectorId, connections.name, connections.variables)})
      SELECT ${input.organisationId}, owner.id, ${input.name}, ${JSON.stringify(input.variables)}::jsonb FROM owner
      RETURNING *
    ),
    ${k} AS (
      INSERT INTO ${connectionCredentials} (${bare(
        connectionCredentials.organisationId,
        connectionCredentials.connectionId,
        connectionCredentials.usage,
        connectionCredentials.position,
        connectionCredentials.authSchemeConfig,
        connectionCredentials.credentialId,
        connectionCredentials.name,
        connectionCredentials.type,
        connectionCredentials.data,
        connectionCredentials.secret,
        connectionCredentials.expiresAt,
      )})
      SELECT ${input.organisationId}, ${n}.id, x.usage, x.position, x.auth_scheme_config, x.credential_id, x.name,
             x.type, x.data, x.secret, x.expires_at
      FROM ${n}, jsonb_to_recordset(${JSON.stringify(input.credentials.map(asRecord))}::jsonb) AS x(
        usage text, position int, auth_scheme_config jsonb, credential_id text, name text, type text, data jsonb,
        secret text, expires_at timestamptz)
      RETURNING *
    )`,
        sql`SELECT (SELECT ${connectionJson(n, sql`${k}`)} FROM ${n}) AS body`,
      ),
    ),
  );
  const body = result.rows[0]?.body;
  return body ? done(body) : refused('connector_not_found');
}

/** A stored credential as the recordset the insert reads. */
const asRecord = (c: StoredCredential) => ({
  usage: c.usage,
  position: c.position,
  auth_scheme_config: c.authSchemeConfig,
  credential_id: c.credentialId,
  name: c.name,
  type: c.type,
  data: c.data,
  secret: c.secret,
  expires_at: c.expiresAt,
});

export async function getConnection(
  db: Db,
  input: { organisationId: string; connectorId: string; connectionId: string },
): Promise<Outcome<Tagged<Connection>, 'connector_not_found' | 'connection_not_found'>> {
  const result = await execute(
    db,
    statement<{ connector: boolean; body: Connection | null; etag: string | null }>(sql`
    SELECT EXISTS (${ownedConnector(input.organisationId, input.connectorId)}) AS connector, s.body,
      md5(s.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN (
      SELECT ${storedConnectionJson} AS body FROM ${connections} ${n}
      WHERE ${n.id} = ${input.connectionId} AND ${n.connectorId} = ${input.connectorId}
        AND ${n.organisationId} = ${input.organisationId}
    ) s ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.connector) return refused('connector_not_found');
  return row.body && row.etag ? done({ body: row.body, etag: row.etag }) : refused('connection_not_found');
}

/** Connection cursors are valid only for the connector (and organisation) they were issued for. */
export const connectionCursorScope = (organisationId: string, connectorId: string) =>
  `connections:${organisationId}:${connectorId}`;

/** A page of a connector's connections (summaries), most recently updated first. */
export async function listConnections(
  db: Db,
  input: { organisationId: string; connectorId: string; page: PageRequest },
): Promise<Outcome<Page<ConnectionSummaryRow>, 'connector_not_found'>> {
  const { where, order, other } = keyset(n, input.page);
  const mine = sql`${n.connectorId} = ${input.connectorId} AND ${n.organisationId} = ${input.organisationId}`;
  const result = await db.execute<{
    found: boolean;
    total: number;
    other_side: boolean;
    page: BudgetedItems<ConnectionSummaryRow>;
  }>(sql`
    SELECT
      EXISTS (${ownedConnector(input.organisationId, input.connectorId)}) AS found,
      (SELECT count(*)::int FROM ${connections} ${n} WHERE ${mine}) AS total,
      EXISTS (SELECT 1 FROM ${connections} ${n} WHERE ${mine} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${summaryJson(n)} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${connections} ${n}
        WHERE ${mine} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page
  `);
  const row = result.rows[0];
  if (!row?.found) return refused('connector_not_found');
  const scope = connectionCursorScope(input.organisationId, input.connectorId);
  return done(pageFrom(row.page.items, input.page, scope, row.total, row.other_side, row.page.cut));
}

/**
 * UpdateConnection: the name, the variables (when given) and, when given, the order and configs of
 * the credentials, which must name each of the connection's credentials once (in the use, action or
 * trigger, it has) and keep each config's scheme type. The connection row is locked first, so
 * concurrent updates apply one after the other.
 */
export async function updateConnection(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    connectionId: string;
    name: string;
    variables?: { name: string; value: string }[] | undefined;
    credentials?: { id: string; usage: 'action' | 'trigger'; position: number; authSchemeConfig: AuthSchemeConfig }[];
    /** The entity tags (unquoted, comma-separated) of which the connection must still have one. */
    ifMatch?: string | undefined;
  },
): Promise<
  Outcome<Tagged<Connection>, 'connector_not_found' | 'connection_not_found' | 'etag_mismatch' | 'credentials_differ'>
> {
  const given = input.credentials === undefined ? null : JSON.stringify(input.credentials);
  const result = await execute(
    db,
    statement<{
      connector: boolean;
      found: boolean;
      matched: boolean;
      body: Connection | null;
      etag: string | null;
    }>(sql`
    WITH locked AS (${lockedConnection(input)}),
    cur AS (SELECT locked.id FROM locked WHERE ${etagMatches(sql`locked.etag`, input.ifMatch)}),
    given AS (
      SELECT x.id, x.usage, x.position, x."authSchemeConfig" AS config
      FROM jsonb_to_recordset(coalesce(${given}::jsonb, '[]'::jsonb))
        AS x(id text, usage text, position int, "authSchemeConfig" jsonb)
    ),
    fits AS (
      SELECT ${given}::jsonb IS NULL OR (
        (SELECT count(*) FROM given) = (SELECT count(*) FROM ${connectionCredentials} ${k}, cur WHERE ${k.connectionId} = cur.id)
        AND (SELECT count(DISTINCT given.id) FROM given) = (SELECT count(*) FROM given)
        AND NOT EXISTS (
          SELECT 1 FROM given WHERE NOT EXISTS (
            SELECT 1 FROM ${connectionCredentials} ${k}, cur
            WHERE ${k.connectionId} = cur.id AND ${k.id} = given.id AND ${k.usage} = given.usage
              AND ${k.authSchemeConfig}->>'schemeType' = given.config->>'schemeType'))
      ) AS ok
    ),
    moved AS (
      UPDATE ${connectionCredentials} SET
        ${bare(connectionCredentials.position)} = given.position,
        ${bare(connectionCredentials.authSchemeConfig)} = given.config,
        ${bare(connectionCredentials.updatedAt)} = clock_timestamp()
      FROM given, cur, fits
      WHERE fits.ok AND ${connectionCredentials.connectionId} = cur.id AND ${connectionCredentials.id} = given.id
      RETURNING 1
    ),
    ${n} AS (
      UPDATE ${connections} SET
        ${bare(connections.name)} = ${input.name},
        ${bare(connections.variables)} = coalesce(${input.variables === undefined ? null : JSON.stringify(input.variables)}::jsonb, ${connections.variables}),
        ${bare(connections.updatedAt)} = clock_timestamp()
      FROM cur, fits
      WHERE fits.ok AND ${connections.id} = cur.id
      RETURNING ${connections}.*
    ),
    -- The credentials as they are after this statement: those it moved, with their new values.
    ${k} AS (
      SELECT ${connectionCredentials}.id, ${connectionCredentials}.organisation_id, ${connectionCredentials}.connection_id,
        coalesce(given.usage, ${connectionCredentials}.usage) AS usage,
        coalesce(given.position, ${connectionCredentials}.position) AS position,
        coalesce(given.config, ${connectionCredentials}.auth_scheme_config) AS auth_scheme_config,
        ${connectionCredentials}.credential_id, ${connectionCredentials}.name, ${connectionCredentials}.type,
        ${connectionCredentials}.data, ${connectionCredentials}.expires_at
      FROM ${connectionCredentials} JOIN cur ON ${connectionCredentials}.connection_id = cur.id
      LEFT JOIN given ON given.id = ${connectionCredentials}.id
    ),
    shown AS (SELECT ${connectionJson(n, sql`${k}`)} AS body FROM ${n})
    SELECT EXISTS (${ownedConnector(input.organisationId, input.connectorId)}) AS connector,
      EXISTS (SELECT 1 FROM locked) AS found, EXISTS (SELECT 1 FROM cur) AS matched, shown.body, md5(shown.body::text) AS etag
    FROM (SELECT 1) one LEFT JOIN shown ON true
  `),
  );
  const row = result.rows[0];
  if (!row?.connector) return refused('connector_not_found');
  if (!row.found) return refused('connection_not_found');
  if (!row.matched) return refused('etag_mismatch');
  if (row.body === null || row.etag === null) return refused('credentials_differ');
  return done({ body: row.body, etag: row.etag });
}

/** Deletes a connection and its credentials (their ciphertexts go with them). */
export async function deleteConnection(
  db: Db,
  input: { organisationId: string; connectorId: string; connectionId: string; ifMatch?: string | undefined },
): Promise<Outcome<null, 'connector_not_found' | 'connection_not_found' | 'etag_mismatch'>> {
  const result = await db.execute<{ connector: boolean; found: boolean; deleted: boolean }>(sql`
    WITH locked AS (${lockedConnection(input)}),
    gone AS (
      DELETE FROM ${connections} USING locked
      WHERE ${connections.id} = locked.id AND ${etagMatches(sql`locked.etag`, input.ifMatch)}
      RETURNING 1
    )
    SELECT EXISTS (${ownedConnector(input.organisationId, input.connectorId)}) AS connector,
      EXISTS (SELECT 1 FROM locked) AS found, EXISTS (SELECT 1 FROM gone) AS deleted
  `);
  const row = result.rows[0];
  if (!row?.connector) return refused('connector_not_found');
  if (!row.found) return refused('connection_not_found');
  return row.deleted ? done(null) : refused('etag_mismatch');
}
