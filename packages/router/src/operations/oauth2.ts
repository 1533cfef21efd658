import {
  type AuthSchemeConfig,
  type OAuth2CallbackQuery,
  type OAuth2CallbackResult,
  type OAuth2InitialiseInput,
  type OAuth2InitialiseResponse,
  type OAuth2RefreshInput,
  type Connection,
  reservedAuthorizeParams,
} from '@connect/contracts';
import {
  answerStored,
  claimOAuth2Refresh,
  connectionOAuth2Clients,
  releaseOAuth2Refresh,
  consumeOAuth2Authorization,
  type CredentialKeyring,
  type Db,
  expiringOAuth2Tokens,
  markOAuth2RefreshFailed,
  newUlid,
  type OAuth2ClientRow,
  type OAuth2Refreshable,
  type OAuth2TokenRow,
  openSecret,
  purgeOAuth2Authorizations,
  sealSecret,
  startOAuth2Authorization,
  storeOAuth2Tokens,
  type TokenToStore,
} from '@connect/db';
import { ApiError, invalidArgument, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { checkIdempotencyKey, keyed } from '../keyed.js';
import { codeChallengeOf, newCodeVerifier } from '../oauth2/pkce.js';
import { authorizationOfState, stateFor } from '../oauth2/state.js';
import { type IssuedTokens, type OAuth2Client, providerRefused, requestTokens } from '../oauth2/token-endpoint.js';
import { keyringOf } from './connections.js';

/** How long a flow started by InitialiseOAuth2Connection may take to come back to the redirect. */
export const oauth2AuthorizationSeconds = 600;

/** The redirect endpoint, under the REST API's base: public, as the user's browser brings the provider's answer. */
export const oauth2CallbackPath = '/oauth2/callback';

/** The scope every authorize URL asks for unless `disableOfflineAccess`: it is what gets a refresh token. */
const offlineAccess = 'offline_access';

type OAuth2Config = Extract<AuthSchemeConfig, { schemeType: 'oauth2' }>;

/**
 * InitialiseOAuth2Connection: the provider's authorize URL for the connection whose `oauth2-client`
 * credential the request names. One statement records the flow (its PKCE verifier sealed) and
 * answers what the URL is built from, so a retry with the same Idempotency-Key gets the same URL.
 */
export async function initialiseOAuth2Connection(
  ctx: OperationContext,
  input: OAuth2InitialiseInput,
): Promise<OAuth2InitialiseResponse> {
  const additional = new URLSearchParams(input.additionalParams);
  const reserved = (reservedAuthorizeParams as readonly string[]).find((name) => additional.has(name));
  if (reserved !== undefined) throw invalidArgument('additionalParams', `must not set ${reserved}: the API sets it`);
  const keyring = await keyringOf(ctx);
  const id = newUlid();
  const verifier = newCodeVerifier();
  const started = await startOAuth2Authorization(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    credentialId: input.credential.id,
    credentialOrganisationId: input.credential.organisationId,
    id,
    clientId: input.clientId,
    redirectUri: `${ctx.restBase}${oauth2CallbackPath}`,
    scopes: input.scopes ?? null,
    sealedVerifier: await sealSecret(keyring, { organisationId: ctx.organisationId, credentialId: id }, verifier),
    codeChallenge: await codeChallengeOf(verifier),
    ttlSeconds: oauth2AuthorizationSeconds,
  });
  if (!started.ok) {
    if (started.reason === 'connector_not_found') throw notFound('connector');
    if (started.reason === 'credential_not_found') throw notFound('credential');
    throw invalidArgument(
      'credential.id',
      "must name a connection's oauth2-client credential whose scheme has the authorization_code grant",
    );
  }
  const url = new URL(input.authorizeUrl);
  additional.forEach((value, name) => {
    url.searchParams.append(name, value);
  });
  const scopes = [...new Set([...started.value.scopes, ...(input.disableOfflineAccess ? [] : [offlineAccess])])];
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', `${ctx.restBase}${oauth2CallbackPath}`);
  if (scopes.length > 0) url.searchParams.set('scope', scopes.join(' '));
  // The reference: "login" unless told otherwise, or unless Google's approval_prompt is used instead.
  const prompt = input.prompt ?? (additional.has('approval_prompt') ? undefined : 'login');
  if (prompt !== undefined) url.searchParams.set('prompt', prompt);
  url.searchParams.set('state', await stateFor(keyring, started.value.id));
  if (started.value.codeChallenge !== null) {
    url.searchParams.set('code_challenge', started.value.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.toString() };
}

/** The client a stored client credential authenticates as, its secret opened. */
async function clientOf(
  keyring: CredentialKeyring,
  organisationId: string,
  row: OAuth2ClientRow,
): Promise<OAuth2Client> {
  const config = row.authSchemeConfig as OAuth2Config;
  const secrets = row.secret
    ? (JSON.parse(await openSecret(keyring, { organisationId, credentialId: row.credentialId }, row.secret)) as {
        clientSecret?: string;
      })
    : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    tokenUrl: text(row.data.tokenUrl) || config.tokenUrl,
    clientId: text(row.data.clientId),
    clientSecret: secrets.clientSecret ?? '',
    authMethod: config.tokenAuthMethod ?? 'client_secret_basic',
    extraParams: [config.additionalTokenParams ?? '', text(row.data.additionalParams)],
  };
}

/** The stored token credential's secrets, opened. */
async function tokenSecretsOf(
  keyring: CredentialKeyring,
  organisationId: string,
  token: OAuth2TokenRow | null,
): Promise<{ accessToken?: string; refreshToken?: string }> {
  if (!token?.secret) return {};
  return JSON.parse(await openSecret(keyring, { organisationId, credentialId: token.credentialId }, token.secret)) as {
    accessToken?: string;
    refreshToken?: string;
  };
}

/**
 * Issued tokens as a token credential to store, sealed for `credentialId` (the existing token
 * credential's, so its id stays, or a new one). A provider that sends no new refresh token keeps
 * the old one (RFC 6749 §6).
 */
async function tokenToStore(
  keyring: CredentialKeyring,
  organisationId: string,
  client: OAuth2ClientRow,
  existing: OAuth2TokenRow | null,
  issued: IssuedTokens,
  keptRefreshToken: string | undefined,
  requestedScopes: string[],
): Promise<TokenToStore> {
  const credentialId = existing?.credentialId ?? newUlid();
  const refreshToken = issued.refreshToken ?? keptRefreshToken;
  const secrets = { accessToken: issued.accessToken, ...(refreshToken === undefined ? {} : { refreshToken }) };
  const existingScopes = Array.isArray(existing?.data.scopes) ? (existing.data.scopes as string[]) : undefined;
  return {
    clientCredentialId: client.credentialId,
    credentialId,
    name: `${client.authSchemeConfig.id}-token`,
    // Shown as reads show every secret: present, and empty.
    data: {
      scopes: issued.scopes ?? existingScopes ?? requestedScopes,
      accessToken: '',
      ...(refreshToken === undefined ? {} : { refreshToken: '' }),
    },
    secret: await sealSecret(keyring, { organisationId, credentialId }, JSON.stringify(secrets)),
    expiresAt: issued.expiresAt,
    replaces: existing?.secret ?? null,
  };
}

const badState = (message: string) => invalidArgument('state', message);

/** What the redirect endpoint works with: no caller, only the database and the keys. */
export interface OAuth2Deps {
  db: Db;
  keyring: CredentialKeyring;
}

/**
 * The redirect: checks the state (signature, then single use and expiry, by consuming its flow),
 * exchanges the code at the token endpoint with the client secret and PKCE verifier, and stores
 * the tokens as the connection's `oauth2-token` credential. On any failure nothing is stored
 * (the state stays used: a new flow starts with InitialiseOAuth2Connection).
 */
export async function completeOAuth2Authorization(
  deps: OAuth2Deps,
  query: OAuth2CallbackQuery,
): Promise<OAuth2CallbackResult> {
  if (query.state === undefined || query.state === '') throw badState('is required');
  const authorizationId = await authorizationOfState(deps.keyring, query.state);
  if (authorizationId === null) throw badState('is not one this service issued (or it was altered)');
  const consumed = await consumeOAuth2Authorization(deps.db, authorizationId);
  if (!consumed.ok) {
    if (consumed.reason === 'authorization_used') throw badState('has been used already: start a new flow');
    if (consumed.reason === 'authorization_expired') {
      throw badState(`has expired (a flow has ${String(oauth2AuthorizationSeconds / 60)} minutes): start a new flow`);
    }
    throw badState('names no flow in progress: start a new flow');
  }
  const flow = consumed.value;
  // The user refused, or the provider failed before issuing a code (RFC 6749 §4.1.2.1).
  if (query.error !== undefined) throw providerRefused(query.error);
  if (query.code === undefined || query.code === '') throw invalidArgument('code', 'is required');
  if (!flow.client) throw new ApiError('failed_precondition', "the connection's oauth2-client credential is gone");
  if (flow.client.data.clientId !== flow.clientId) {
    throw badState("was issued for another client id than the credential's: start a new flow with its client id");
  }
  const client = await clientOf(deps.keyring, flow.organisationId, flow.client);
  const verifier =
    flow.verifier === null
      ? undefined
      : await openSecret(
          deps.keyring,
          { organisationId: flow.organisationId, credentialId: authorizationId },
          flow.verifier,
        );
  const issued = await requestTokens(client, {
    grant_type: 'authorization_code',
    code: query.code,
    redirect_uri: flow.redirectUri,
    ...(verifier === undefined ? {} : { code_verifier: verifier }),
  });
  const token = await tokenToStore(
    deps.keyring,
    flow.organisationId,
    flow.client,
    flow.token,
    issued,
    undefined,
    flow.scopes,
  );
  // Replaces whatever token the credential held: this is a new authorization by the user.
  const stored = await storeOAuth2Tokens(deps.db, {
    organisationId: flow.organisationId,
    connectorId: flow.connectorId,
    connectionId: flow.connectionId,
    tokens: [{ ...token, replaces: null }],
  });
  if (!stored.ok) throw notFound('connection');
  return {
    connectorId: flow.connectorId,
    connectionId: flow.connectionId,
    credentialId: token.credentialId,
    ...(token.expiresAt === null ? {} : { expiresAt: token.expiresAt }),
  };
}

/**
 * New tokens for one client credential, without the user: a client-credentials grant, or the
 * refresh-token grant with the stored refresh token. Null when it has neither.
 */
async function refreshedToken(keyring: CredentialKeyring, item: OAuth2Refreshable): Promise<TokenToStore | null> {
  const { organisationId, client: row, token } = item;
  const config = row.authSchemeConfig as OAuth2Config;
  const client = await clientOf(keyring, organisationId, row);
  const held = await tokenSecretsOf(keyring, organisationId, token);
  const scopes =
    Array.isArray(row.data.scopes) && row.data.scopes.length > 0 ? (row.data.scopes as string[]) : config.defaultScopes;
  let issued: IssuedTokens;
  if (config.grant.grantType === 'client_credentials') {
    issued = await requestTokens(client, {
      grant_type: 'client_credentials',
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    });
  } else if (held.refreshToken !== undefined) {
    issued = await requestTokens(client, { grant_type: 'refresh_token', refresh_token: held.refreshToken });
  } else if (config.grant.grantType === 'password' && item.password?.secret) {
    // The resource owner password grant (RFC 6749 §4.3), with the connection's oauth2-password credential.
    const owner = JSON.parse(
      await openSecret(keyring, { organisationId, credentialId: item.password.credentialId }, item.password.secret),
    ) as { password?: string };
    const username = typeof item.password.data.username === 'string' ? item.password.data.username : '';
    issued = await requestTokens(client, {
      grant_type: 'password',
      username,
      password: owner.password ?? '',
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    });
  } else {
    return null;
  }
  return tokenToStore(keyring, organisationId, row, token, issued, held.refreshToken, scopes);
}

/**
 * RefreshOAuth2Connection: new tokens now for each OAuth 2.0 client credential of the connection
 * that can get them without the user; answers the connection (no secrets). A retry with the same
 * Idempotency-Key is answered from the first answer without asking the provider again.
 */
export async function refreshOAuth2Connection(
  ctx: OperationContext,
  route: string,
  input: OAuth2RefreshInput,
): Promise<Connection> {
  const target = { organisationId: ctx.organisationId, ...input };
  if (ctx.idempotency) checkIdempotencyKey(ctx.idempotency.key);
  const retry =
    ctx.idempotency !== undefined &&
    (await answerStored(ctx.db, { organisationId: ctx.organisationId, route, key: ctx.idempotency.key }));
  const tokens: TokenToStore[] = [];
  let leased: string[] = [];
  if (!retry) {
    const clients = await connectionOAuth2Clients(ctx.db, target);
    if (clients.length > 0) {
      const ids = clients.map((item) => item.client.credentialId);
      // Leased first, so that no other refresh spends a rotating refresh token at the same time.
      leased = await claimOAuth2Refresh(ctx.db, { organisationId: ctx.organisationId, clientCredentialIds: ids });
      if (leased.length < ids.length) {
        await releaseOAuth2Refresh(ctx.db, { organisationId: ctx.organisationId, clientCredentialIds: leased });
        throw new ApiError(
          'refresh_in_progress',
          'another refresh of this connection is asking the provider now: read the connection in a moment, or retry',
        );
      }
      try {
        const keyring = await keyringOf(ctx);
        for (const item of clients) {
          const token = await refreshedToken(keyring, item);
          if (token) tokens.push(token);
        }
      } catch (error) {
        // Tokens the provider already issued are kept even though a later client failed: it may
        // have rotated their refresh tokens, so dropping them would leave revoked ones stored.
        if (tokens.length > 0) await storeOAuth2Tokens(ctx.db, { ...target, tokens, release: leased });
        else await releaseOAuth2Refresh(ctx.db, { organisationId: ctx.organisationId, clientCredentialIds: leased });
        throw error;
      }
    }
  }
  return keyed(ctx, route, input, async (op) => {
    const stored = await storeOAuth2Tokens(op.db, { ...target, tokens, release: leased });
    if (!stored.ok) throw notFound(stored.reason === 'connector_not_found' ? 'connector' : 'connection');
    if (stored.value.given === 0) {
      throw new ApiError(
        'failed_precondition',
        'the connection has no OAuth 2.0 credential to refresh (a client-credentials grant, a password grant with an oauth2-password credential, or a token with a refresh token)',
      );
    }
    return stored.value.connection;
  });
}

/** How far ahead the scheduled refresh renews tokens, and how many per run. */
export const scheduledRefresh = { withinSeconds: 300, batch: 25, purgeBatch: 1000 } as const;

/**
 * The scheduled work: renews tokens that expire within five minutes (a batch per run, those
 * written longest ago first) and purges finished flows. A token whose refresh fails keeps its
 * secret and goes to the back of the queue, to be tried again on a later run; the count of
 * failures is reported, never their secrets.
 */
export async function refreshExpiringOAuth2Tokens(
  deps: OAuth2Deps,
): Promise<{ refreshed: number; failed: number; purged: number }> {
  const due = await expiringOAuth2Tokens(deps.db, {
    withinSeconds: scheduledRefresh.withinSeconds,
    limit: scheduledRefresh.batch,
  });
  let refreshed = 0;
  let failed = 0;
  for (const item of due) {
    try {
      const token = await refreshedToken(deps.keyring, item);
      if (!token) {
        await releaseOAuth2Refresh(deps.db, {
          organisationId: item.organisationId,
          clientCredentialIds: [item.client.credentialId],
        });
        continue;
      }
      const stored = await storeOAuth2Tokens(deps.db, {
        organisationId: item.organisationId,
        connectorId: item.connectorId,
        connectionId: item.client.connectionId,
        tokens: [token],
        release: [item.client.credentialId],
      });
      if (stored.ok && stored.value.stored > 0) refreshed += 1;
    } catch {
      failed += 1;
      // To the back of the queue: a token that keeps failing must not hold up the others.
      await markOAuth2RefreshFailed(deps.db, {
        organisationId: item.organisationId,
        credentialId: item.token?.credentialId ?? null,
        clientCredentialId: item.client.credentialId,
      }).catch(() => undefined);
    }
  }
  const purged = await purgeOAuth2Authorizations(deps.db, scheduledRefresh.purgeBatch);
  return { refreshed, failed, purged };
}
