import { keyringFrom, openSecret } from '@connect/db';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { call, json, organisation, origin, rows, type Organisation } from './helpers';
import type { SeenTokenRequest } from './support/oauth2-provider';

// The OAuth 2.0 flows against a real OAuth 2.0 server on loopback (test/support/oauth2-provider.ts,
// oauth2-mock-server): the provider's behaviour is picked by the client id a test uses.

const provider = env.OAUTH2_PROVIDER_URL;

interface Credential {
  id: string;
  authSchemeConfig: { id: string };
  credential: { id: string; type: string; data: Record<string, unknown>; expiresAt?: string };
}
interface ConnectionBody {
  id: string;
  credentials: { action: Credential[]; trigger: Credential[] };
}

interface Setup {
  org: Organisation;
  connectorId: string;
  connection: ConnectionBody;
  clientCredentialId: string;
  clientId: string;
  clientSecret: string;
}

/** A connection with an `oauth2-client` credential for client `clientId` of the loopback provider. */
async function oauthConnection(
  options: {
    clientId?: string;
    grant?: 'authorization_code' | 'client_credentials';
    pkce?: boolean;
    tokenUrl?: string;
    tokenAuthMethod?: 'client_secret_post';
  } = {},
): Promise<Setup> {
  const org = await organisation();
  const connectorId = await org.connector();
  const clientId = options.clientId ?? `client-${crypto.randomUUID()}`;
  const clientSecret = `secret-${crypto.randomUUID()}`;
  const grant = options.grant ?? 'authorization_code';
  const scheme = {
    id: 'oauth',
    schemeType: 'oauth2',
    authorizeUrl: `${provider}/authorize`,
    tokenUrl: `${provider}/token`,
    scopes: [{ name: 'read' }, { name: 'write' }],
    defaultScopes: ['read'],
    ...(options.pkce === undefined ? {} : { pkce: options.pkce }),
    ...(options.tokenAuthMethod ? { tokenAuthMethod: options.tokenAuthMethod } : {}),
    grant: grant === 'authorization_code' ? { grantType: grant, clientId } : { grantType: grant },
  };
  const created = await call('POST', `/o/${org.organisationId}/connectors/${connectorId}/connections`, {
    apiKey: org.apiKey,
    body: {
      name: 'crm',
      credentials: {
        action: [
          {
            authSchemeConfig: scheme,
            credential: {
              name: 'client',
              type: 'oauth2-client',
              data: {
                clientId,
                clientSecret,
                authorizeUrl: `${provider}/authorize`,
                tokenUrl: options.tokenUrl ?? `${provider}/token`,
              },
            },
          },
        ],
      },
    },
  });
  expect(created.status, await created.clone().text()).toBe(200);
  const connection = await json<ConnectionBody>(created);
  const client = connection.credentials.action[0];
  if (!client) throw new Error('expected the client credential');
  return { org, connectorId, connection, clientCredentialId: client.credential.id, clientId, clientSecret };
}

function initialise(setup: Setup, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return call('POST', `/o/${setup.org.organisationId}/connectors/${setup.connectorId}/oauth2/initialise`, {
    apiKey: setup.org.apiKey,
    headers,
    body: {
      credential: { id: setup.clientCredentialId, organisationId: setup.org.organisationId },
      authorizeUrl: `${provider}/authorize`,
      clientId: setup.clientId,
      ...body,
    },
  });
}

/** The user at the provider: follows the authorize URL, answers where the provider redirects. */
async function authorize(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  expect(response.status).toBe(302);
  const location = response.headers.get('location');
  if (!location) throw new Error('the provider did not redirect');
  return location;
}

/** The browser arriving at the redirect endpoint (no credential). */
async function arrive(location: string): Promise<Response> {
  return exports.default.fetch(new Request(location));
}

async function seenBy(clientId: string): Promise<SeenTokenRequest[]> {
  const response = await fetch(`${provider}/test/requests?client=${encodeURIComponent(clientId)}`);
  return response.json<SeenTokenRequest[]>();
}

async function readConnection(setup: Setup): Promise<ConnectionBody> {
  const response = await call(
    'GET',
    `/o/${setup.org.organisationId}/connectors/${setup.connectorId}/connections/${setup.connection.id}`,
    { apiKey: setup.org.apiKey },
  );
  expect(response.status).toBe(200);
  return json<ConnectionBody>(response);
}

const tokenOf = (connection: ConnectionBody) =>
  connection.credentials.action.find((c) => c.credential.type === 'oauth2-token');

/** Every row the organisation holds that could hold a secret, as text. */
async function storedText(organisationId: string): Promise<string> {
  const found = await rows<{ row: string }>(
    `SELECT row_to_json(k)::text AS row FROM connection_credentials k WHERE organisation_id = $1
     UNION ALL SELECT row_to_json(a)::text FROM oauth2_authorizations a WHERE organisation_id = $1
     UNION ALL SELECT row_to_json(i)::text FROM idempotency_keys i WHERE organisation_id = $1`,
    [organisationId],
  );
  return found.map((r) => r.row).join('\n');
}

async function tokenSecrets(setup: Setup, credentialId: string) {
  const [row] = await rows<{ secret: string }>('SELECT secret FROM connection_credentials WHERE credential_id = $1', [
    credentialId,
  ]);
  const keyring = await keyringFrom(env.CREDENTIALS_KEY ?? '');
  return JSON.parse(
    await openSecret(keyring, { organisationId: setup.org.organisationId, credentialId }, row?.secret ?? ''),
  ) as { accessToken: string; refreshToken?: string };
}

/** Runs the flow up to the provider's redirect back. */
async function startFlow(setup: Setup, body: Record<string, unknown> = {}) {
  const started = await initialise(setup, body);
  expect(started.status, await started.clone().text()).toBe(200);
  const { url } = await json<{ url: string }>(started);
  return { url: new URL(url), location: await authorize(url) };
}

/** The base64url alphabet in order: a character's index is the six bits it stands for. */
const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('OAuth 2.0 authorization code flow', () => {
  it('answers the authorize URL, exchanges the code with PKCE and stores the tokens sealed', async () => {
    const setup = await oauthConnection();
    const { url, location } = await startFlow(setup, { prompt: 'consent', additionalParams: 'access_type=offline' });
    expect(`${url.origin}${url.pathname}`).toBe(`${provider}/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: setup.clientId,
      redirect_uri: `${origin}/api/connect/v1/oauth2/callback`,
      scope: 'read offline_access',
      prompt: 'consent',
      access_type: 'offline',
      code_challenge_method: 'S256',
    });
    expect(params.state).toMatch(/^v1\.test2\.[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const arrived = await arrive(location);
    expect(arrived.status, await arrived.clone().text()).toBe(200);
    const result = await json<{ connectionId: string; credentialId: string; expiresAt: string }>(arrived);
    expect(result.connectionId).toBe(setup.connection.id);
    expect(Date.parse(result.expiresAt)).toBeGreaterThan(Date.now());

    // The provider saw the client authenticate by HTTP Basic, the verifier and the same redirect_uri.
    const [exchange] = await seenBy(setup.clientId);
    expect(exchange).toMatchObject({ auth: 'basic', secret: setup.clientSecret });
    expect(exchange?.form).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: `${origin}/api/connect/v1/oauth2/callback`,
    });
    expect(exchange?.form.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Reads show the token credential with its expiry, and no secret.
    const connection = await readConnection(setup);
    const token = tokenOf(connection);
    expect(token?.credential).toMatchObject({
      id: result.credentialId,
      type: 'oauth2-token',
      // The scopes the provider says it granted (this one always says `dummy`).
      data: { scopes: ['dummy'], accessToken: '', refreshToken: '' },
      expiresAt: result.expiresAt,
    });
    expect(token?.authSchemeConfig.id).toBe('oauth');

    // No row holds a token or the client secret in plain text; the envelope opens to the tokens.
    const issued = exchange?.issued ?? [];
    expect(issued.length).toBeGreaterThanOrEqual(2);
    const stored = await storedText(setup.org.organisationId);
    for (const secret of [...issued, setup.clientSecret]) expect(stored).not.toContain(secret);
    const opened = await tokenSecrets(setup, result.credentialId);
    expect(issued).toContain(opened.accessToken);
    expect(issued).toContain(opened.refreshToken);
    const [flow] = await rows<{ verifier: string; consumed_at: string | null }>(
      'SELECT verifier, consumed_at FROM oauth2_authorizations WHERE organisation_id = $1',
      [setup.org.organisationId],
    );
    expect(flow?.verifier).toMatch(/^v1\.test2\./);
    expect(flow?.consumed_at).not.toBeNull();
  });

  it('refuses a replayed state: a state is used once', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    expect((await arrive(location)).status).toBe(200);
    const again = await arrive(location);
    expect(again.status).toBe(400);
    expect(await json(again)).toMatchObject({ code: 'invalid_argument', fields: [{ field: 'state' }] });
    expect(await seenBy(setup.clientId)).toHaveLength(1);
  });

  it('gives exactly one of two racing redirects with the same state the tokens', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    const statuses = (await Promise.all([arrive(location), arrive(location)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400]);
    expect(await seenBy(setup.clientId)).toHaveLength(1);
  });

  it('keeps one token credential when two flows of one connection complete at once', async () => {
    const setup = await oauthConnection();
    for (let round = 0; round < 3; round++) {
      const flows = await Promise.all([startFlow(setup), startFlow(setup)]);
      const statuses = (await Promise.all(flows.map((f) => arrive(f.location)))).map((r) => r.status);
      expect(statuses).toEqual([200, 200]);
      const connection = await readConnection(setup);
      const tokens = connection.credentials.action.filter((c) => c.credential.type === 'oauth2-token');
      expect(tokens).toHaveLength(1);
    }
  });

  it('refuses a tampered state before any database or provider work', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    const url = new URL(location);
    const state = url.searchParams.get('state') ?? '';
    for (const forged of [
      // A MAC character changed mid-way, and the last one's spare bits alone (the same bytes, not canonical).
      `${state.slice(0, -10)}${state.at(-10) === 'A' ? 'B' : 'A'}${state.slice(-9)}`,
      `${state.slice(0, -1)}${base64url[base64url.indexOf(state.at(-1) ?? 'A') ^ 1] ?? ''}`,
      state.replace(/\.[0-9A-Z]{26}\./, `.${'0'.repeat(26)}.`),
      'v1.test2.x',
      'not-a-state',
    ]) {
      url.searchParams.set('state', forged);
      const response = await arrive(url.toString());
      expect(response.status, forged).toBe(400);
      expect(await json(response)).toMatchObject({ fields: [{ field: 'state' }] });
    }
    url.searchParams.delete('state');
    expect((await arrive(url.toString())).status).toBe(400);
    expect(await seenBy(setup.clientId)).toHaveLength(0);
    // The real state still works: the forgeries did not consume it.
    url.searchParams.set('state', state);
    expect((await arrive(url.toString())).status).toBe(200);
  });

  it('refuses an expired state, storing nothing', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    await rows(`UPDATE oauth2_authorizations SET expires_at = now() - interval '1 second' WHERE organisation_id = $1`, [
      setup.org.organisationId,
    ]);
    const response = await arrive(location);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await json(response))).toContain('expired');
    expect(tokenOf(await readConnection(setup))).toBeUndefined();
    expect(await seenBy(setup.clientId)).toHaveLength(0);
  });

  it("refuses a flow started with another client id than the credential's", async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup, { clientId: 'someone-else' });
    const response = await arrive(location);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ fields: [{ field: 'state' }] });
    expect(tokenOf(await readConnection(setup))).toBeUndefined();
    expect(await seenBy(setup.clientId)).toHaveLength(0);
  });

  it("answers a provider's refusal with 502 naming its error code, never a secret, storing nothing", async () => {
    const setup = await oauthConnection({ clientId: `refuse-${crypto.randomUUID()}` });
    const { location } = await startFlow(setup);
    const response = await arrive(location);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'provider_error' });
    expect(text).toContain('invalid_grant');
    // The provider's description echoes the secret: it is not passed on.
    expect(text).not.toContain(setup.clientSecret);
    expect(tokenOf(await readConnection(setup))).toBeUndefined();

    // An error sent back to the redirect (the user said no) is a 502 naming it too.
    const denied = await startFlow(setup);
    const state = new URL(denied.location).searchParams.get('state') ?? '';
    const refused = await arrive(`${origin}/api/connect/v1/oauth2/callback?error=access_denied&state=${state}`);
    expect(refused.status).toBe(502);
    expect(await refused.text()).toContain('access_denied');
  });

  it('answers a provider that is down, failing or too slow with 503 and Retry-After, storing nothing', async () => {
    const cases = [
      { tokenUrl: `${env.OAUTH2_DOWN_URL}/token` },
      { clientId: `failing-${crypto.randomUUID()}` },
      { clientId: `throttled-${crypto.randomUUID()}` },
      { tokenUrl: `${provider}/slow/token` },
    ];
    for (const options of cases) {
      const setup = await oauthConnection(options);
      const { location } = await startFlow(setup);
      const response = await arrive(location);
      expect(response.status, JSON.stringify(options)).toBe(503);
      expect(response.headers.get('retry-after')).not.toBeNull();
      expect(await json(response)).toMatchObject({ code: 'unavailable' });
      expect(tokenOf(await readConnection(setup))).toBeUndefined();
    }
  }, 30_000);

  it('stores tokens whose lifetime is past any date as not expiring, keeping only well-formed scopes', async () => {
    const setup = await oauthConnection({ clientId: `odd-${crypto.randomUUID()}` });
    const { location } = await startFlow(setup);
    const response = await arrive(location);
    expect(response.status).toBe(200);
    const token = tokenOf(await readConnection(setup))?.credential;
    expect(token).toMatchObject({ type: 'oauth2-token', data: { scopes: ['read', 'write'] } });
    // No expiry is shown: the token is not refreshed on a schedule.
    expect(token).not.toHaveProperty('expiresAt');
  });

  it('sends no PKCE challenge or verifier when the scheme turns PKCE off', async () => {
    const setup = await oauthConnection({ pkce: false, tokenAuthMethod: 'client_secret_post' });
    const { url, location } = await startFlow(setup, { disableOfflineAccess: true, scopes: ['write'] });
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.has('code_challenge_method')).toBe(false);
    expect(url.searchParams.get('scope')).toBe('write');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect((await arrive(location)).status).toBe(200);
    const [exchange] = await seenBy(setup.clientId);
    expect(exchange?.form.code_verifier).toBeUndefined();
    expect(exchange).toMatchObject({ auth: 'post', secret: setup.clientSecret });
  });

  it('refuses bad initialise bodies with 400 naming the field, and unknown credentials with 404', async () => {
    const setup = await oauthConnection();
    const clash = await initialise(setup, { additionalParams: 'state=mine' });
    expect(await json(clash)).toMatchObject({ code: 'invalid_argument', fields: [{ field: 'additionalParams' }] });
    for (const authorizeUrl of ['javascript:alert(1)', 'http://auth.example.com/authorize']) {
      const badUrl = await initialise(setup, { authorizeUrl });
      expect(await json(badUrl)).toMatchObject({ fields: [{ field: 'authorizeUrl' }] });
    }
    const unknown = await initialise(setup, {
      credential: { id: setup.connection.id, organisationId: setup.org.organisationId },
    });
    expect(unknown.status).toBe(404);
    // A client-credentials scheme has no authorize step.
    const machine = await oauthConnection({ grant: 'client_credentials' });
    const refused = await initialise(machine);
    expect(await json(refused)).toMatchObject({ fields: [{ field: 'credential.id' }] });
    expect(
      await rows('SELECT 1 FROM oauth2_authorizations WHERE organisation_id = $1', [machine.org.organisationId]),
    ).toEqual([]);
  });

  it('replays the same URL to a retry with the same Idempotency-Key', async () => {
    const setup = await oauthConnection();
    const key = crypto.randomUUID();
    const first = await initialise(setup, {}, { 'idempotency-key': key });
    const retry = await initialise(setup, {}, { 'idempotency-key': key });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    expect(
      await rows('SELECT 1 FROM oauth2_authorizations WHERE organisation_id = $1', [setup.org.organisationId]),
    ).toHaveLength(1);
  });

  it('is offered over tRPC too', async () => {
    const setup = await oauthConnection();
    const response = await exports.default.fetch(
      new Request(`${origin}/trpc/oauth2.initialise`, {
        method: 'POST',
        headers: { authorization: `Bearer ${setup.org.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          connectorId: setup.connectorId,
          credential: { id: setup.clientCredentialId, organisationId: setup.org.organisationId },
          authorizeUrl: `${provider}/authorize`,
          clientId: setup.clientId,
        }),
      }),
    );
    expect(response.status).toBe(200);
    const body = await json<{ result: { data: { url: string } } }>(response);
    expect((await arrive(await authorize(body.result.data.url))).status).toBe(200);
  });
});

describe('OAuth 2.0 token refresh', () => {
  const refresh = (setup: Setup, headers: Record<string, string> = {}) =>
    call(
      'POST',
      `/o/${setup.org.organisationId}/connectors/${setup.connectorId}/connections/${setup.connection.id}/oauth2/refresh`,
      { apiKey: setup.org.apiKey, headers },
    );

  it('renews the tokens with the refresh token and answers the connection without secrets', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    const { credentialId } = await json<{ credentialId: string }>(await arrive(location));
    const before = await tokenSecrets(setup, credentialId);
    const response = await refresh(setup);
    expect(response.status, await response.clone().text()).toBe(200);
    const text = await response.text();
    const connection = JSON.parse(text) as ConnectionBody;
    expect(tokenOf(connection)?.credential).toMatchObject({ id: credentialId, type: 'oauth2-token' });
    const requests = await seenBy(setup.clientId);
    expect(requests[1]?.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: before.refreshToken });
    const after = await tokenSecrets(setup, credentialId);
    expect(requests[1]?.issued).toContain(after.accessToken);
    for (const secret of [...(requests[1]?.issued ?? []), setup.clientSecret]) expect(text).not.toContain(secret);
    expect(await storedText(setup.org.organisationId)).not.toContain(after.accessToken);
  });

  it('gets a token by a new client-credentials grant', async () => {
    const setup = await oauthConnection({ grant: 'client_credentials' });
    const response = await refresh(setup);
    expect(response.status, await response.clone().text()).toBe(200);
    const token = tokenOf(await json<ConnectionBody>(response));
    expect(token?.credential).toMatchObject({ type: 'oauth2-token', data: { scopes: ['read'], accessToken: '' } });
    expect(token?.credential.expiresAt).toBeDefined();
    const [grant] = await seenBy(setup.clientId);
    expect(grant).toMatchObject({ auth: 'basic', secret: setup.clientSecret });
    expect(grant?.form).toMatchObject({ grant_type: 'client_credentials', scope: 'read' });
    // Again: the same token credential is renewed, not another added.
    const again = await json<ConnectionBody>(await refresh(setup));
    expect(again.credentials.action.filter((c) => c.credential.type === 'oauth2-token')).toHaveLength(1);
  });

  it('asks the provider once for a retry with the same Idempotency-Key', async () => {
    const setup = await oauthConnection({ grant: 'client_credentials' });
    const key = crypto.randomUUID();
    const first = await refresh(setup, { 'idempotency-key': key });
    const retry = await refresh(setup, { 'idempotency-key': key });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    expect(await seenBy(setup.clientId)).toHaveLength(1);
  });

  it('refuses a connection with nothing to refresh (412), and a provider refusal (502) changes nothing', async () => {
    const none = await oauthConnection();
    const nothing = await refresh(none);
    expect(nothing.status).toBe(412);
    expect(await json(nothing)).toMatchObject({ code: 'failed_precondition' });

    const refusing = await oauthConnection({ grant: 'client_credentials', clientId: `refuse-${crypto.randomUUID()}` });
    const before = await storedText(refusing.org.organisationId);
    const refused = await refresh(refusing);
    expect(refused.status).toBe(502);
    expect(await storedText(refusing.org.organisationId)).toBe(before);
  });

  it('refuses a refresh while another holds the connection (409, provider not asked), and takes it once the lease ends', async () => {
    const setup = await oauthConnection({ grant: 'client_credentials' });
    // Another refresh holds the client credential, as one asking the provider does.
    await rows(
      `UPDATE connection_credentials SET refreshing_until = now() + interval '1 minute' WHERE credential_id = $1`,
      [setup.clientCredentialId],
    );
    const busy = await refresh(setup);
    expect(busy.status).toBe(409);
    expect(await json(busy)).toMatchObject({ code: 'refresh_in_progress' });
    expect(await seenBy(setup.clientId)).toHaveLength(0);

    // A lease left by a refresh that died lapses by itself.
    await rows(
      `UPDATE connection_credentials SET refreshing_until = now() - interval '1 second' WHERE credential_id = $1`,
      [setup.clientCredentialId],
    );
    const done = await refresh(setup);
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await seenBy(setup.clientId)).toHaveLength(1);
    // The lease ends with the store, and with a provider's refusal: the next refresh goes ahead.
    const [held] = await rows<{ refreshing_until: string | null }>(
      'SELECT refreshing_until FROM connection_credentials WHERE credential_id = $1',
      [setup.clientCredentialId],
    );
    expect(held?.refreshing_until).toBeNull();
    expect((await refresh(setup)).status).toBe(200);

    const refusing = await oauthConnection({ grant: 'client_credentials', clientId: `refuse-${crypto.randomUUID()}` });
    expect((await refresh(refusing)).status).toBe(502);
    expect((await refresh(refusing)).status).toBe(502);
    expect(await seenBy(refusing.clientId)).toHaveLength(2);
  });

  it("gets tokens by the password grant with the connection's oauth2-password credential", async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const clientId = `client-${crypto.randomUUID()}`;
    const ownerPassword = `pw-${crypto.randomUUID()}`;
    const scheme = {
      id: 'owner',
      schemeType: 'oauth2',
      authorizeUrl: `${provider}/authorize`,
      tokenUrl: `${provider}/token`,
      scopes: [{ name: 'read' }],
      defaultScopes: ['read'],
      grant: { grantType: 'password', clientId },
    };
    const created = await call('POST', `/o/${org.organisationId}/connectors/${connectorId}/connections`, {
      apiKey: org.apiKey,
      body: {
        name: 'owner',
        credentials: {
          action: [
            {
              authSchemeConfig: scheme,
              credential: {
                name: 'client',
                type: 'oauth2-client',
                data: { clientId, clientSecret: `secret-${crypto.randomUUID()}`, tokenUrl: `${provider}/token` },
              },
            },
            {
              authSchemeConfig: scheme,
              credential: {
                name: 'owner',
                type: 'oauth2-password',
                data: { username: 'ada', password: ownerPassword },
              },
            },
          ],
        },
      },
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const { id } = await json<ConnectionBody>(created);
    const path = `/o/${org.organisationId}/connectors/${connectorId}/connections/${id}`;
    const refreshed = await call('POST', `${path}/oauth2/refresh`, { apiKey: org.apiKey });
    expect(refreshed.status, await refreshed.clone().text()).toBe(200);
    const text = await refreshed.text();
    expect(text).not.toContain(ownerPassword);
    const connection = JSON.parse(text) as ConnectionBody;
    expect(tokenOf(connection)?.credential).toMatchObject({ type: 'oauth2-token', data: { scopes: ['read'] } });
    const [grant] = await seenBy(clientId);
    expect(grant?.form).toMatchObject({
      grant_type: 'password',
      username: 'ada',
      password: ownerPassword,
      scope: 'read',
    });
    expect(await storedText(org.organisationId)).not.toContain(ownerPassword);
  });

  it('keeps the tokens issued before a later client of the connection fails', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const client = (clientId: string) => ({
      authSchemeConfig: {
        id: clientId,
        schemeType: 'oauth2',
        authorizeUrl: `${provider}/authorize`,
        tokenUrl: `${provider}/token`,
        scopes: [{ name: 'read' }],
        defaultScopes: ['read'],
        grant: { grantType: 'client_credentials' },
      },
      credential: {
        name: clientId,
        type: 'oauth2-client',
        data: { clientId, clientSecret: `secret-${crypto.randomUUID()}`, tokenUrl: `${provider}/token` },
      },
    });
    const good = `client-${crypto.randomUUID()}`;
    const refusing = `refuse-${crypto.randomUUID()}`;
    const created = await call('POST', `/o/${org.organisationId}/connectors/${connectorId}/connections`, {
      apiKey: org.apiKey,
      // Actions' credentials are asked first, then triggers'.
      body: { name: 'two', credentials: { action: [client(good)], trigger: [client(refusing)] } },
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const { id } = await json<ConnectionBody>(created);
    const path = `/o/${org.organisationId}/connectors/${connectorId}/connections/${id}`;
    const refused = await call('POST', `${path}/oauth2/refresh`, { apiKey: org.apiKey });
    expect(refused.status).toBe(502);
    const connection = await json<ConnectionBody>(await call('GET', path, { apiKey: org.apiKey }));
    expect(connection.credentials.action.filter((c) => c.credential.type === 'oauth2-token')).toHaveLength(1);
    expect(connection.credentials.trigger.filter((c) => c.credential.type === 'oauth2-token')).toHaveLength(0);
    expect(
      await rows('SELECT 1 FROM connection_credentials WHERE organisation_id = $1 AND refreshing_until IS NOT NULL', [
        org.organisationId,
      ]),
    ).toEqual([]);
  });

  it('never has two refreshes of one connection at the provider at once when they race', async () => {
    const setup = await oauthConnection({ grant: 'client_credentials' });
    const answers = await Promise.all([refresh(setup), refresh(setup), refresh(setup)]);
    const statuses = answers.map((a) => a.status).sort();
    // However they interleave: each one that asked the provider stored its token, the others were
    // told a refresh was in progress; never two grants at once.
    for (const status of statuses) expect([200, 409]).toContain(status);
    expect(await seenBy(setup.clientId)).toHaveLength(statuses.filter((s) => s === 200).length);
    const connection = await readConnection(setup);
    expect(connection.credentials.action.filter((c) => c.credential.type === 'oauth2-token')).toHaveLength(1);
  });

  it('leaves a credential another refresh holds to it in the scheduled run', async () => {
    const setup = await oauthConnection({ grant: 'client_credentials' });
    const refreshed = await json<ConnectionBody>(await refresh(setup));
    const credentialId = tokenOf(refreshed)?.credential.id ?? '';
    await rows(`UPDATE connection_credentials SET expires_at = now() + interval '1 minute' WHERE credential_id = $1`, [
      credentialId,
    ]);
    await rows(
      `UPDATE connection_credentials SET refreshing_until = now() + interval '1 minute' WHERE credential_id = $1`,
      [setup.clientCredentialId],
    );
    const run = async () => {
      const ctx = createExecutionContext();
      worker.scheduled(createScheduledController({ cron: '*/2 * * * *', scheduledTime: Date.now() }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await run();
    expect(await seenBy(setup.clientId)).toHaveLength(1);
    // Once the lease is over, the next run renews it, and leaves no lease behind.
    await rows(`UPDATE connection_credentials SET refreshing_until = NULL WHERE credential_id = $1`, [
      setup.clientCredentialId,
    ]);
    await run();
    expect(await seenBy(setup.clientId)).toHaveLength(2);
    const [held] = await rows<{ refreshing_until: string | null }>(
      'SELECT refreshing_until FROM connection_credentials WHERE credential_id = $1',
      [setup.clientCredentialId],
    );
    expect(held?.refreshing_until).toBeNull();
  });

  it('renews tokens about to expire from the scheduled handler, and purges finished flows', async () => {
    const setup = await oauthConnection();
    const { location } = await startFlow(setup);
    const { credentialId } = await json<{ credentialId: string }>(await arrive(location));
    const before = await tokenSecrets(setup, credentialId);
    await rows(`UPDATE connection_credentials SET expires_at = now() + interval '1 minute' WHERE credential_id = $1`, [
      credentialId,
    ]);
    // A flow that expired unused goes too.
    await startFlow(setup);
    await rows(
      `UPDATE oauth2_authorizations SET expires_at = now() - interval '1 second', consumed_at = now() - interval '2 minutes'
       WHERE organisation_id = $1`,
      [setup.org.organisationId],
    );

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '*/2 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    const after = await tokenSecrets(setup, credentialId);
    const requests = await seenBy(setup.clientId);
    expect(requests[1]?.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: before.refreshToken });
    expect(requests[1]?.issued).toContain(after.accessToken);
    const [row] = await rows<{ expires_at: string }>(
      'SELECT expires_at FROM connection_credentials WHERE credential_id = $1',
      [credentialId],
    );
    expect(Date.parse(row?.expires_at ?? '')).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(
      await rows('SELECT 1 FROM oauth2_authorizations WHERE organisation_id = $1', [setup.org.organisationId]),
    ).toEqual([]);
  });

  it('moves a token whose scheduled refresh fails to the back of the queue, keeping its secret', async () => {
    // A client-credentials connection with a token, whose provider then starts refusing it.
    const setup = await oauthConnection({ grant: 'client_credentials' });
    const refreshed = await json<ConnectionBody>(
      await call(
        'POST',
        `/o/${setup.org.organisationId}/connectors/${setup.connectorId}/connections/${setup.connection.id}/oauth2/refresh`,
        { apiKey: setup.org.apiKey },
      ),
    );
    const credentialId = tokenOf(refreshed)?.credential.id ?? '';
    await rows(
      `UPDATE connection_credentials SET expires_at = now() + interval '1 minute', updated_at = now() - interval '1 hour'
       WHERE credential_id = $1`,
      [credentialId],
    );
    await rows(
      `UPDATE connection_credentials SET data = jsonb_set(data, '{tokenUrl}', to_jsonb($2::text))
       WHERE organisation_id = $1 AND type = 'oauth2-client'`,
      [setup.org.organisationId, `${env.OAUTH2_DOWN_URL}/token`],
    );
    const [before] = await rows<{ secret: string; updated_at: string }>(
      'SELECT secret, updated_at FROM connection_credentials WHERE credential_id = $1',
      [credentialId],
    );

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '*/2 * * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    const [after] = await rows<{ secret: string; updated_at: string }>(
      'SELECT secret, updated_at FROM connection_credentials WHERE credential_id = $1',
      [credentialId],
    );
    expect(after?.secret).toBe(before?.secret);
    expect(Date.parse(after?.updated_at ?? '')).toBeGreaterThan(Date.parse(before?.updated_at ?? '') + 30 * 60_000);
  });
});
