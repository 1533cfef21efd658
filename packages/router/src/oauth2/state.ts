import { type CredentialKeyring, signWithKeyring, verifyWithKeyring } from '@connect/db';

// The OAuth 2.0 `state` of a flow: `v1.<key id>.<authorization id>.<HMAC-SHA-256>`. It names the
// oauth2_authorizations row that binds the flow (organisation, connector, connection, client
// credential and client id, expiry, single use); the MAC, under a key HKDF derives from
// CREDENTIALS_KEY, proves this service issued it, so a forged or altered state is refused before
// any database work.

const statePattern = /^v1\.([A-Za-z0-9_-]{1,32})\.([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

const signed = (authorizationId: string) => `oauth2-state:v1:${authorizationId}`;

/** The state of authorization `authorizationId`, signed with the ring's current key. */
export async function stateFor(keyring: CredentialKeyring, authorizationId: string): Promise<string> {
  const signature = await signWithKeyring(keyring, signed(authorizationId));
  const dot = signature.indexOf('.');
  return `v1.${signature.slice(0, dot)}.${authorizationId}.${signature.slice(dot + 1)}`;
}

/** The authorization a state names, when its signature holds under a key of the ring; else null. */
export async function authorizationOfState(keyring: CredentialKeyring, state: string): Promise<string | null> {
  const parts = statePattern.exec(state);
  if (!parts?.[1] || !parts[2] || !parts[3]) return null;
  return (await verifyWithKeyring(keyring, signed(parts[2]), `${parts[1]}.${parts[3]}`)) ? parts[2] : null;
}
