import type { AuthSchemeConfig, Connection } from '@connect/contracts';
import type { SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { writeStatement } from '../idempotency.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectionCredentials, connections } from '../schema/connections.js';
import { connectors } from '../schema/connectors.js';
import { idempotencyKeys } from '../schema/idempotency.js';
import { oauth2Authorizations } from '../schema/oauth2-authorizations.js';
import { isoTime } from '../sql-fragments.js';
import { type Aliased, bare, execute, statement, sql } from '../sql-names.js';
import { connectionBodyOf } from './connections.js';

// The OAuth 2.0 flows of a connection (docs/oauth2.md): an authorization started by
// InitialiseOAuth2Connection and consumed once by the redirect, and the tokens stored as the
// connection's `oauth2-token` credential, sealed like every other secret.

const a = alias(oauth2Authorizations, 'a');
const oc = alias(connectionCredentials, 'oc');
const ot = alias(connectionCredentials, 'ot');
const cn = alias(connections, 'cn');
const owner = alias(connectors, 'owner_connector');

/** A connection's OAuth 2.0 client credential as stored: what a token request needs. */
export interface OAuth2ClientRow {
  connectionId: string;
  credentialId: string;
  usage: 'action' | 'trigger';
  authSchemeConfig: AuthSchemeConfig;
  data: Record<string, unknown>;
  secret: string | null;
}

/** The token credential beside a client credential, when there is one. */
export interface OAuth2TokenRow {
  credentialId: string;
  data: Record<string, unknown>;
  secret: string | null;
  expiresAt: string | null;
}

/** Whether a stored scheme config asks for PKCE: on unless the config says `pkce: false`. */
const pkceOn = (config: SQL): SQL => sql`(${config}->>'pkce') IS DISTINCT FROM 'false'`;

/** The client credential row `row` as an OAuth2ClientRow (JSON). */
const clientJson = (row: typeof oc): SQL => sql`json_build_object(
  'connectionId', ${row.connectionId}, 'credentialId', ${row.credentialId}, 'usage', ${row.usage},
  'authSchemeConfig', ${row.authSchemeConfig}, 'data', ${row.data}, 'secret', ${row.secret})`;

/**
 * The token credential of client credential `client` (same connection, use and scheme config id),
 * as OAuth2TokenRow JSON, or null. The first by position, should a connection hold several.
 */
const tokenOf = (client: typeof oc): SQL => sql`(
  SELECT json_build_object('credentialId', ${ot.credentialId}, 'data', ${ot.data}, 'secret', ${ot.secret},
    'expiresAt', CASE WHEN ${ot.expiresAt} IS NULL THEN NULL ELSE ${isoTime(ot.expiresAt)} END)
  FROM ${connectionCredentials} ${ot}
  WHERE ${ot.connectionId} = ${client.connectionId} AND ${ot.usage} = ${client.usage} AND ${ot.type} = 'oauth2-token'
    AND ${ot.authSchemeConfig}->>'id' = ${client.authSchemeConfig}->>'id'
  ORDER BY ${ot.position} LIMIT 1)`;

/**
 * Starts an authorization-code flow through client credential `credentialId`, in one statement:
 * nothing is written unless the organisation has the connector and the credential is one of its
 * connections' `oauth2-client` credentials for an `authorization_code` scheme. The answer holds
 * everything the authorize URL is built from, so a keyed retry rebuilds the same URL from it.
 */
export async function startOAuth2Authorization(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    credentialId: string;
    credentialOrganisationId: string;
    /** Chosen by the Worker: the sealed verifier is bound to it. */
    id: string;
    clientId: string;
    redirectUri: string;
    /** The scopes asked for; null: the credential's, else the scheme's default ones. */
    scopes: string[] | null;
    sealedVerifier: string;
    codeChallenge: string;
    ttlSeconds: number;
  },
): Promise<
  Outcome<
    { id: string; scopes: string[]; codeChallenge: string | null },
    'connector_not_found' | 'credential_not_found' | 'credential_unsuitable'
  >
> {
  const result = await execute(
    db,
    statement<{
      connector: boolean;
      credential: boolean;
      id: string | null;
      scopes: string[] | null;
      challenge: string | null;
    }>(
      writeStatement(
        sql`
    owner AS (
      SELECT ${owner.id} FROM ${connectors} ${owner}
      WHERE ${owner.id} = ${input.connectorId} AND ${owner.organisationId} = ${input.organisationId}),
    ${oc} AS (
      SELECT ${connectionCredentials}.* FROM ${connectionCredentials}
      JOIN ${connections} ${cn} ON ${cn.id} = ${connectionCredentials.connectionId}
      WHERE ${connectionCredentials.credentialId} = ${input.credentialId}
        AND ${connectionCredentials.organisationId} = ${input.organisationId}
        AND ${input.credentialOrganisationId}::text = ${input.organisationId}::text
        AND ${cn.connectorId} = ${input.connectorId}),
    fit AS (
      SELECT ${oc}.* FROM ${oc}
      WHERE ${oc.type} = 'oauth2-client' AND ${oc.authSchemeConfig}->>'schemeType' = 'oauth2'
        AND ${oc.authSchemeConfig}->'grant'->>'grantType' = 'authorization_code'),
    started AS (
      INSERT INTO ${oauth2Authorizations} (${bare(
        oauth2Authorizations.id,
        oauth2Authorizations.organisationId,
        oauth2Authorizations.connectorId,
        oauth2Authorizations.connectionId,
        oauth2Authorizations.clientCredentialId,
        oauth2Authorizations.clientId,
        oauth2Authorizations.redirectUri,
        oauth2Authorizations.scopes,
        oauth2Authorizations.verifier,
        oauth2Authorizations.expiresAt,
      )})
      SELECT ${input.id}, ${input.organisationId}, ${input.connectorId}, fit.connection_id, fit.credential_id,
        ${input.clientId}, ${input.redirectUri},
        coalesce(${input.scopes === null ? null : JSON.stringify(input.scopes)}::jsonb,
          nullif(fit.data->'scopes', '[]'::jsonb), fit.auth_scheme_config->'defaultScopes', '[]'::jsonb),
        CASE WHEN ${pkceOn(sql`fit.auth_scheme_config`)} THEN ${input.sealedVerifier} END,
        clock_timestamp() + ${input.ttlSeconds}::int * interval '1 second'
      FROM fit
      RETURNING ${bare(oauth2Authorizations.id, oauth2Authorizations.scopes, oauth2Authorizations.verifier)}
    )`,
        sql`SELECT EXISTS (SELECT 1 FROM owner) AS connector, EXISTS (SELECT 1 FROM ${oc}) AS credential,
      (SELECT id FROM started) AS id, (SELECT scopes FROM started) AS scopes,
      (SELECT CASE WHEN verifier IS NULL THEN NULL ELSE ${input.codeChallenge}::text END FROM started) AS challenge`,
      ),
    ),
  );
  const row = result.rows[0];
  if (!row?.connector) return refused('connector_not_found');
  if (!row.credential) return refused('credential_not_found');
  if (row.id === null) return refused('credential_unsuitable');
  return done({ id: row.id, scopes: row.scopes ?? [], codeChallenge: row.challenge });
}

/** A consumed authorization: what the redirect exchanges the code with. */
export interface ConsumedAuthorization {
  organisationId: string;
  connectorId: string;
  connectionId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  verifier: string | null;
  client: OAuth2ClientRow | null;
  token: OAuth2TokenRow | null;
}

/**
 * Consumes authorization `id` by one conditional update: of two redirects with the same state,
 * however close, exactly one gets it. Refused when there is none, or it was used or has expired.
 */
export async function consumeOAuth2Authorization(
  db: Db,
  id: string,
): Promise<Outcome<ConsumedAuthorization, 'authorization_not_found' | 'authorization_used' | 'authorization_expired'>> {
  const result = await execute(
    db,
    statement<{ found: boolean; used: boolean | null; consumed: ConsumedAuthorization | null }>(sql`
    WITH target AS (SELECT ${a.consumedAt} AS consumed_at FROM ${oauth2Authorizations} ${a} WHERE ${a.id} = ${id}),
    ${a} AS (
      UPDATE ${oauth2Authorizations} SET ${bare(oauth2Authorizations.consumedAt)} = clock_timestamp()
      WHERE ${oauth2Authorizations.id} = ${id} AND ${oauth2Authorizations.consumedAt} IS NULL
        AND ${oauth2Authorizations.expiresAt} > clock_timestamp()
      RETURNING *
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT consumed_at IS NOT NULL FROM target) AS used,
      (SELECT json_build_object(
        'organisationId', ${a.organisationId}, 'connectorId', ${a.connectorId}, 'connectionId', ${a.connectionId},
        'clientId', ${a.clientId}, 'redirectUri', ${a.redirectUri}, 'scopes', ${a.scopes}, 'verifier', ${a.verifier},
        'client', (SELECT ${clientJson(oc)} FROM ${connectionCredentials} ${oc}
                   WHERE ${oc.credentialId} = ${a.clientCredentialId} AND ${oc.organisationId} = ${a.organisationId}),
        'token', (SELECT ${tokenOf(oc)} FROM ${connectionCredentials} ${oc}
                  WHERE ${oc.credentialId} = ${a.clientCredentialId} AND ${oc.organisationId} = ${a.organisationId})
      ) FROM ${a}) AS consumed
  `),
  );
  const row = result.rows[0];
  if (!row?.found) return refused('authorization_not_found');
  if (row.consumed) return done(row.consumed);
  return refused(row.used ? 'authorization_used' : 'authorization_expired');
}

/** The resource owner's `oauth2-password` credential beside a client credential (password grant). */
export interface OAuth2PasswordRow {
  credentialId: string;
  data: Record<string, unknown>;
  secret: string | null;
}

/** A connection's OAuth 2.0 client credential with its token credential: one to refresh. */
export interface OAuth2Refreshable {
  organisationId: string;
  connectorId: string;
  client: OAuth2ClientRow;
  token: OAuth2TokenRow | null;
  password: OAuth2PasswordRow | null;
}

const op = alias(connectionCredentials, 'op');

/** The `oauth2-password` credential of client credential `client` (same connection, use and scheme config id), or null. */
const passwordOf = (client: typeof oc): SQL => sql`(
  SELECT json_build_object('credentialId', ${op.credentialId}, 'data', ${op.data}, 'secret', ${op.secret})
  FROM ${connectionCredentials} ${op}
  WHERE ${op.connectionId} = ${client.connectionId} AND ${op.usage} = ${client.usage} AND ${op.type} = 'oauth2-password'
    AND ${op.authSchemeConfig}->>'id' = ${client.authSchemeConfig}->>'id'
  ORDER BY ${op.position} LIMIT 1)`;

const refreshableJson = sql`json_build_object(
  'organisationId', ${oc.organisationId}, 'connectorId', ${cn.connectorId},
  'client', ${clientJson(oc)}, 'token', ${tokenOf(oc)}, 'password', ${passwordOf(oc)})`;

/** A client credential that can get a token without the user: client credentials, or a token with a refresh token. */
const refreshableClient = sql`${oc.type} = 'oauth2-client' AND ${oc.authSchemeConfig}->>'schemeType' = 'oauth2'`;

/** The OAuth 2.0 client credentials of a connection, each with its token credential (read only). */
export async function connectionOAuth2Clients(
  db: Db,
  input: { organisationId: string; connectorId: string; connectionId: string },
): Promise<OAuth2Refreshable[]> {
  const result = await execute(
    db,
    statement<{ item: OAuth2Refreshable }>(sql`
    SELECT ${refreshableJson} AS item
    FROM ${connectionCredentials} ${oc} JOIN ${connections} ${cn} ON ${cn.id} = ${oc.connectionId}
    WHERE ${cn.id} = ${input.connectionId} AND ${cn.connectorId} = ${input.connectorId}
      AND ${cn.organisationId} = ${input.organisationId} AND ${refreshableClient}
    ORDER BY ${oc.usage}, ${oc.position}`),
  );
  return result.rows.map((row) => row.item);
}

/** A client credential no refresh holds: never leased, or its lease ran out (a refresh that died). */
const unleased = (row: Aliased<typeof connectionCredentials>): SQL =>
  sql`(${row.refreshingUntil} IS NULL OR ${row.refreshingUntil} < clock_timestamp())`;

/** The lease a refresh takes on a client credential: longer than a token request may take. */
export const refreshLeaseSeconds = 60;

/**
 * Client credentials, across organisations, whose token expires within `withinSeconds` and can be
 * renewed without the user (a client-credentials grant, or a stored refresh token): the scheduled
 * refresh's work, at most `limit`, those written longest ago first, each **leased** to this run
 * (see `refreshingUntil`): those another refresh holds are left out, and so are rows another run is
 * claiming this instant (SKIP LOCKED), so overlapping runs share the work instead of repeating it.
 * A token whose refresh failed is marked written (`markOAuth2RefreshFailed`), so tokens that keep
 * failing (a revoked refresh token) go to the back and never hold up the others.
 */
export async function expiringOAuth2Tokens(
  db: Db,
  input: { withinSeconds: number; limit: number },
): Promise<OAuth2Refreshable[]> {
  const due = alias(connectionCredentials, 'due');
  const result = await execute(
    db,
    statement<{ item: OAuth2Refreshable }>(sql`
    WITH picked AS (
      SELECT ${due.id} AS id FROM ${connectionCredentials} ${ot}
      JOIN ${connectionCredentials} ${due} ON ${due.connectionId} = ${ot.connectionId} AND ${due.usage} = ${ot.usage}
        AND ${due.authSchemeConfig}->>'id' = ${ot.authSchemeConfig}->>'id'
      WHERE ${ot.type} = 'oauth2-token' AND ${ot.expiresAt} < clock_timestamp() + ${input.withinSeconds}::int * interval '1 second'
        AND ${due.type} = 'oauth2-client' AND ${due.authSchemeConfig}->>'schemeType' = 'oauth2'
        AND (${due.authSchemeConfig}->'grant'->>'grantType' IN ('client_credentials', 'password') OR ${ot.data} ? 'refreshToken')
        AND ${unleased(due)}
      ORDER BY ${ot.updatedAt}, ${ot.expiresAt}
      LIMIT ${input.limit}
      FOR UPDATE OF ${due} SKIP LOCKED
    ),
    ${oc} AS (
      UPDATE ${connectionCredentials} SET ${bare(connectionCredentials.refreshingUntil)} =
        clock_timestamp() + ${refreshLeaseSeconds}::int * interval '1 second'
      FROM picked WHERE ${connectionCredentials.id} = picked.id
      RETURNING ${connectionCredentials}.*
    )
    SELECT ${refreshableJson} AS item FROM ${oc} JOIN ${connections} ${cn} ON ${cn.id} = ${oc.connectionId}`),
  );
  return result.rows.map((row) => row.item);
}

/**
 * Leases the client credentials `clientCredentialIds` of the organisation to one refresh (see
 * `refreshingUntil`) and answers those it got: one held by another refresh is not among them.
 */
export async function claimOAuth2Refresh(
  db: Db,
  input: { organisationId: string; clientCredentialIds: string[] },
): Promise<string[]> {
  const result = await db.execute<{ credential_id: string }>(sql`
    UPDATE ${connectionCredentials} ${oc} SET ${bare(connectionCredentials.refreshingUntil)} =
      clock_timestamp() + ${refreshLeaseSeconds}::int * interval '1 second'
    WHERE ${oc.organisationId} = ${input.organisationId} AND ${oc.type} = 'oauth2-client'
      AND ${oc.credentialId} IN (SELECT jsonb_array_elements_text(${JSON.stringify(input.clientCredentialIds)}::jsonb))
      AND ${unleased(oc)}
    RETURNING ${oc.credentialId} AS credential_id`);
  return result.rows.map((row) => row.credential_id);
}

/** Ends the leases of a refresh that stored nothing (it failed, or another refresh was in the way). */
export async function releaseOAuth2Refresh(
  db: Db,
  input: { organisationId: string; clientCredentialIds: string[] },
): Promise<void> {
  await db.execute(releaseLeases(input.organisationId, input.clientCredentialIds));
}

/** The UPDATE ending the leases on client credentials `ids` (a statement, or a CTE body). */
const releaseLeases = (organisationId: string, ids: string[]): SQL => sql`
    UPDATE ${connectionCredentials} SET ${bare(connectionCredentials.refreshingUntil)} = NULL
    WHERE ${connectionCredentials.organisationId} = ${organisationId} AND ${connectionCredentials.type} = 'oauth2-client'
      AND ${connectionCredentials.credentialId} IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * Moves a token whose scheduled refresh failed to the back of the queue (its secret stays as it
 * was) and ends the refresh's lease on its client credential.
 */
export async function markOAuth2RefreshFailed(
  db: Db,
  input: { organisationId: string; credentialId: string | null; clientCredentialId: string },
): Promise<void> {
  await db.batch([
    db.execute(sql`
    UPDATE ${connectionCredentials} SET ${bare(connectionCredentials.updatedAt)} = clock_timestamp()
    WHERE ${connectionCredentials.credentialId} = ${input.credentialId}
      AND ${connectionCredentials.organisationId} = ${input.organisationId}
      AND ${connectionCredentials.type} = 'oauth2-token'`),
    db.execute(releaseLeases(input.organisationId, [input.clientCredentialId])),
  ]);
}

/** Tokens to store for a client credential: sealed for `credentialId` (the token credential's). */
export interface TokenToStore {
  clientCredentialId: string;
  credentialId: string;
  name: string;
  /** The shown data: `scopes`, and `""` for each secret held. */
  data: Record<string, unknown>;
  secret: string;
  expiresAt: string | null;
  /** The token credential's envelope as read before the exchange: stored only if it is unchanged (null: store anyway). */
  replaces: string | null;
}

/**
 * The write of `storeOAuth2Tokens`, one statement whatever the number of tokens (so a keyed
 * request's stored answer always has the same parts): the connection locked, then for each token
 * the token credential of its client credential updated (only if it still holds `replaces`) or,
 * when there is none, added after the credentials of its use.
 */
function storeTokensStatement(input: {
  organisationId: string;
  connectorId: string;
  connectionId: string;
  tokens: TokenToStore[];
  release: string[];
}): SQL {
  const given = JSON.stringify(
    input.tokens.map((t) => ({
      client_credential_id: t.clientCredentialId,
      credential_id: t.credentialId,
      name: t.name,
      data: t.data,
      secret: t.secret,
      expires_at: t.expiresAt,
      replaces: t.replaces,
    })),
  );
  const x = alias(connectionCredentials, 'x');
  return writeStatement(
    sql`
    locked AS (
      SELECT ${cn.id} FROM ${connections} ${cn}
      WHERE ${cn.id} = ${input.connectionId} AND ${cn.connectorId} = ${input.connectorId}
        AND ${cn.organisationId} = ${input.organisationId}
      FOR UPDATE OF ${cn}),
    given AS (
      SELECT g.* FROM jsonb_to_recordset(${given}::jsonb) AS g(client_credential_id text, credential_id text,
        name text, data jsonb, secret text, expires_at timestamptz, replaces text)),
    pairs AS (
      SELECT given.*, ${oc.connectionId} AS connection_id, ${oc.usage} AS usage, ${oc.authSchemeConfig} AS config,
        (SELECT ${ot.id} FROM ${connectionCredentials} ${ot}
         WHERE ${ot.connectionId} = ${oc.connectionId} AND ${ot.usage} = ${oc.usage} AND ${ot.type} = 'oauth2-token'
           AND ${ot.authSchemeConfig}->>'id' = ${oc.authSchemeConfig}->>'id'
         ORDER BY ${ot.position} LIMIT 1) AS token_row,
        row_number() OVER (PARTITION BY ${oc.usage} ORDER BY given.credential_id) AS nth
      FROM given
      JOIN ${connectionCredentials} ${oc} ON ${oc.credentialId} = given.client_credential_id
      JOIN locked ON locked.id = ${oc.connectionId}),
    changed AS (
      UPDATE ${connectionCredentials} SET
        ${bare(connectionCredentials.credentialId)} = pairs.credential_id,
        ${bare(connectionCredentials.secret)} = pairs.secret,
        ${bare(connectionCredentials.data)} = pairs.data,
        ${bare(connectionCredentials.expiresAt)} = pairs.expires_at,
        ${bare(connectionCredentials.updatedAt)} = clock_timestamp()
      FROM pairs
      WHERE ${connectionCredentials.id} = pairs.token_row
        AND (pairs.replaces IS NULL OR ${connectionCredentials.secret} IS NOT DISTINCT FROM pairs.replaces)
      RETURNING 1),
    added AS (
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
      SELECT ${input.organisationId}, pairs.connection_id, pairs.usage,
        (SELECT coalesce(max(${x.position}), -1) FROM ${connectionCredentials} ${x}
         WHERE ${x.connectionId} = pairs.connection_id AND ${x.usage} = pairs.usage) + pairs.nth,
        pairs.config, pairs.credential_id, pairs.name, 'oauth2-token', pairs.data, pairs.secret, pairs.expires_at
      FROM pairs WHERE pairs.token_row IS NULL
      RETURNING 1),
    released AS (${releaseLeases(input.organisationId, input.release)} RETURNING 1),
    touched AS (
      UPDATE ${connections} SET ${bare(connections.updatedAt)} = clock_timestamp()
      FROM locked WHERE ${connections.id} = locked.id
        AND (EXISTS (SELECT 1 FROM changed) OR EXISTS (SELECT 1 FROM added))
      RETURNING 1)`,
    sql`SELECT EXISTS (
        SELECT 1 FROM ${connectors} ${owner}
        WHERE ${owner.id} = ${input.connectorId} AND ${owner.organisationId} = ${input.organisationId}) AS connector,
      EXISTS (SELECT 1 FROM locked) AS found,
      (SELECT count(*) FROM given)::int AS given,
      ((SELECT count(*) FROM changed) + (SELECT count(*) FROM added))::int AS stored`,
  );
}

/**
 * Stores tokens for a connection's client credentials and reads the connection back, as one
 * transaction (one round trip): the write, then the connection as shown. With no tokens it only
 * reads. `given` is how many tokens the write was handed (a keyed retry gets the first request's).
 */
export async function storeOAuth2Tokens(
  db: Db,
  input: {
    organisationId: string;
    connectorId: string;
    connectionId: string;
    tokens: TokenToStore[];
    /** Client credentials whose refresh leases end with this store. */
    release?: string[];
  },
): Promise<
  Outcome<{ connection: Connection; given: number; stored: number }, 'connector_not_found' | 'connection_not_found'>
> {
  const write = statement<{ connector: boolean; found: boolean; given: number; stored: number }>(
    storeTokensStatement({ ...input, release: input.release ?? [] }),
  );
  const read = statement<{ body: Connection | null }>(sql`SELECT ${connectionBodyOf(input.connectionId)} AS body`);
  // The connection is locked by a statement of its own first: a statement's snapshot is taken when it
  // starts, so the write, starting once the lock is held, sees a token row a concurrent store just
  // committed (and updates it) instead of adding a second one beside it.
  const lock = statement<{ id: string }>(sql`
    SELECT ${connections.id} AS id FROM ${connections}
    WHERE ${connections.id} = ${input.connectionId} AND ${connections.connectorId} = ${input.connectorId}
      AND ${connections.organisationId} = ${input.organisationId}
    FOR UPDATE`);
  const [, written, shown] = await db.batch([execute(db, lock), execute(db, write), execute(db, read)]);
  const row = written.rows[0];
  if (!row?.connector) return refused('connector_not_found');
  const body = shown.rows[0]?.body;
  if (!row.found || !body) return refused('connection_not_found');
  return done({ connection: body, given: row.given, stored: row.stored });
}

/** Deletes authorizations that expired or were used more than a minute ago (the scheduled purge). */
export async function purgeOAuth2Authorizations(db: Db, limit: number): Promise<number> {
  const result = await execute(
    db,
    statement<{ purged: number }>(sql`
    WITH gone AS (
      DELETE FROM ${oauth2Authorizations} WHERE ${oauth2Authorizations.id} IN (
        SELECT ${a.id} FROM ${oauth2Authorizations} ${a}
        WHERE ${a.expiresAt} < clock_timestamp() OR ${a.consumedAt} < clock_timestamp() - interval '1 minute'
        LIMIT ${limit})
      RETURNING 1)
    SELECT count(*)::int AS purged FROM gone`),
  );
  return result.rows[0]?.purged ?? 0;
}

/**
 * Whether a keyed request of `route` already has its answer stored under `key`: a retry of a
 * refresh is answered from it without asking the provider again (which might rotate the refresh
 * token a second time and leave the stored one revoked).
 */
export async function answerStored(
  db: Db,
  input: { organisationId: string; route: string; key: string },
): Promise<boolean> {
  const result = await execute(
    db,
    statement<{ stored: boolean }>(sql`
    SELECT EXISTS (
      SELECT 1 FROM ${idempotencyKeys}
      WHERE ${idempotencyKeys.organisationId} = ${input.organisationId} AND ${idempotencyKeys.route} = ${input.route}
        AND ${idempotencyKeys.key} = ${input.key} AND ${idempotencyKeys.expiresAt} > now()) AS stored`),
  );
  return result.rows[0]?.stored ?? false;
}
