import { ApiError } from '../api-error.js';

// Requests to an OAuth 2.0 provider's token endpoint (RFC 6749 §3.2, §4.1.3, §4.4, §6). Failures
// become the API's own: the provider refused (a 4xx, or an `error` in its answer) → 502
// `provider_error` naming its error code; the provider unreachable, too slow or failing (5xx) →
// 503 `unavailable`. Nothing the provider or the client sent is echoed beyond the error code.

/** How long the provider has to answer a token request. */
export const tokenRequestTimeoutMs = 5_000;
/** Scopes kept from a token answer, at most. */
const maxScopes = 100;
/** The longest `expires_in` read as an expiry (ten years, in seconds); longer is no expiry. */
const maxLifetimeSeconds = 10 * 365 * 24 * 3600;

/** The client a token request authenticates as. */
export interface OAuth2Client {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** RFC 6749 §2.3.1: HTTP Basic (the default) or the id and secret in the form body. */
  authMethod: 'client_secret_basic' | 'client_secret_post';
  /** Extra form parameters (`a=1&b=2`) of the scheme config and credential; they never replace the grant's own. */
  extraParams: string[];
}

/** A successful token answer, as stored. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** When the access token expires (ISO), when the provider says (`expires_in`). */
  expiresAt: string | null;
  /** The scopes granted, when the provider names them. */
  scopes: string[] | undefined;
}

/** An error code as the provider's grammar allows it (RFC 6749 §5.2), cut short; anything else is not shown. */
function providerCode(value: unknown): string {
  return typeof value === 'string' && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(value) ? value : 'unknown';
}

/** 502 naming the provider's error code. */
export const providerRefused = (code: unknown) =>
  new ApiError('provider_error', `the OAuth 2.0 provider refused the request: ${providerCode(code)}`);

const unreachable = (why: string) => new ApiError('unavailable', `the OAuth 2.0 provider ${why}; retry later`);

/** RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding. */
function basicAuthorization(id: string, secret: string): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  const pair = new TextEncoder().encode(`${encode(id)}:${encode(secret)}`);
  let binary = '';
  for (const byte of pair) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Sends a token request with the grant's `params`; answers the tokens or throws the API's error. */
export async function requestTokens(client: OAuth2Client, params: Record<string, string>): Promise<IssuedTokens> {
  const form = new URLSearchParams();
  for (const extra of client.extraParams) {
    new URLSearchParams(extra).forEach((value, name) => {
      if (!(name in params) && name !== 'client_id' && name !== 'client_secret') form.set(name, value);
    });
  }
  for (const [name, value] of Object.entries(params)) form.set(name, value);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.authMethod === 'client_secret_post') {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  } else {
    headers.authorization = basicAuthorization(client.clientId, client.clientSecret);
  }
  let response: Response;
  try {
    response = await fetch(client.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(tokenRequestTimeoutMs),
    });
  } catch (error) {
    throw unreachable(
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
        ? `did not answer within ${String(tokenRequestTimeoutMs / 1000)} s`
        : 'could not be reached',
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  // A provider out of capacity (5xx) or asking us to slow down (429) is unavailable, not refusing.
  if (response.status >= 500 || response.status === 429) throw unreachable(`failed (HTTP ${String(response.status)})`);
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (!response.ok || fields.error !== undefined) {
    throw providerRefused(fields.error ?? `http_${String(response.status)}`);
  }
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw providerRefused('no_access_token');
  const refreshToken =
    typeof fields.refresh_token === 'string' && fields.refresh_token !== '' ? fields.refresh_token : undefined;
  const expiresIn = Number(fields.expires_in);
  // Scope tokens as RFC 6749 §3.3 defines them (printable ASCII but space, `"` and `\`), bounded:
  // what the provider says is stored and shown, so nothing else gets through.
  const scope =
    typeof fields.scope === 'string'
      ? fields.scope
          .split(' ')
          .filter((s) => /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(s))
          .slice(0, maxScopes)
      : undefined;
  return {
    accessToken,
    refreshToken,
    // A lifetime past ten years is no expiry anyone relies on (and past a date's range, no date at all).
    expiresAt:
      Number.isFinite(expiresIn) && expiresIn > 0 && expiresIn <= maxLifetimeSeconds
        ? new Date(Date.now() + Math.floor(expiresIn) * 1000).toISOString()
        : null,
    scopes: scope,
  };
}
