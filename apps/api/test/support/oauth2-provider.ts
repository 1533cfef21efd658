import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Events, OAuth2Server } from 'oauth2-mock-server';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    oauth2ProviderUrl: string;
    oauth2DownUrl: string;
  }
}

/** What the provider saw of one token request: never a secret beyond what the tests made up. */
export interface SeenTokenRequest {
  clientId: string | undefined;
  /** How the client authenticated: HTTP Basic, or the id and secret in the form. */
  auth: 'basic' | 'post' | 'none';
  secret: string | undefined;
  form: Record<string, string>;
  /** The tokens the provider answered with, so a test can look for them where they must not be. */
  issued: string[];
}

/**
 * A real OAuth 2.0 server on loopback (oauth2-mock-server) for the OAuth 2.0 tests. It accepts any
 * client, so a test picks the provider's behaviour by the client id it uses:
 * `refuse-…` → 400 invalid_grant; `failing-…` → 503; `empty-…` → 200 without an access token; `throttled-…` → 429;
 * `odd-…` → 200 with an absurd `expires_in` and malformed scopes;
 * anything else is served as the server serves it. `/test/requests?client=<id>` lists the token
 * requests a client made; `/slow/token` answers after the Worker's 5 s timeout. `oauth2DownUrl`
 * is a loopback address where nothing listens.
 */
export default async function setup(project: TestProject) {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  const seen = new Map<string, SeenTokenRequest[]>();
  const service = server.service;
  // Typed here as the library documents them (its event map does not reach the linter's types).
  interface TokenResponse {
    statusCode: number;
    body: Record<string, unknown> | '';
  }
  service.on(
    Events.BeforeResponse,
    (response: TokenResponse, req: IncomingMessage & { body: Record<string, unknown> }) => {
      const form = Object.fromEntries(Object.entries(req.body).map(([k, v]) => [k, String(v)]));
      const header = req.headers.authorization ?? '';
      let clientId = form.client_id;
      let secret = form.client_secret;
      let auth: SeenTokenRequest['auth'] = clientId === undefined ? 'none' : 'post';
      if (header.startsWith('Basic ')) {
        const pair = Buffer.from(header.slice(6), 'base64').toString('utf8');
        const colon = pair.indexOf(':');
        clientId = decodeURIComponent(pair.slice(0, colon).replace(/\+/g, ' '));
        secret = decodeURIComponent(pair.slice(colon + 1).replace(/\+/g, ' '));
        auth = 'basic';
      }
      if (clientId?.startsWith('refuse-')) {
        response.statusCode = 400;
        response.body = { error: 'invalid_grant', error_description: `refused ${secret ?? ''}` };
      } else if (clientId?.startsWith('failing-')) {
        response.statusCode = 503;
        response.body = { error: 'temporarily_unavailable' };
      } else if (clientId?.startsWith('empty-')) {
        response.body = { token_type: 'Bearer' };
      } else if (clientId?.startsWith('throttled-')) {
        response.statusCode = 429;
        response.body = { error: 'slow_down' };
      } else if (clientId?.startsWith('odd-')) {
        // A lifetime past any date, and scopes with a control character and a quote in them.
        response.body = {
          access_token: `odd-${crypto.randomUUID()}`,
          token_type: 'Bearer',
          expires_in: 1e13,
          scope: 'read \u0000bad "q" write',
        };
      }
      const issued = ['access_token', 'refresh_token', 'id_token']
        .map((name) => (response.body === '' ? undefined : response.body[name]))
        .filter((value): value is string => typeof value === 'string');
      const list = seen.get(clientId ?? '') ?? [];
      list.push({ clientId, auth, secret, form, issued });
      seen.set(clientId ?? '', list);
    },
  );
  service.addRoute('GET', '/test/requests', (req, res) => {
    const client = new URL(req.url ?? '/', 'http://x').searchParams.get('client') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(seen.get(client) ?? []));
  });
  service.addRoute('POST', '/slow/token', (_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 7_000).unref();
  });
  await server.start(0, '127.0.0.1');
  project.provide('oauth2ProviderUrl', server.issuer.url ?? '');

  // A port that was free a moment ago: connections to it are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => {
    closed.close(() => {
      resolve();
    });
  });
  project.provide('oauth2DownUrl', `http://127.0.0.1:${String(port)}`);

  return () => server.stop();
}
