import { apiKeyPattern, sha256Hex } from '@connect/contracts';
import { findKeyOrganisation, type Db } from '@connect/db';

// The scheme is case-insensitive (RFC 9110); the credential is one token.
const bearer = /^Bearer (\S+)$/i;

/**
 * The organisation of the caller's credential, or null for every kind of failure (missing,
 * malformed, unknown, revoked, expired) — callers answer all of them with the same 401.
 * Only the `Authorization` header is read: a key in the query string is never accepted.
 */
export async function authenticate(authorization: string | undefined, db: Db): Promise<string | null> {
  const token = authorization ? bearer.exec(authorization)?.[1] : undefined;
  if (!token || !apiKeyPattern.test(token)) return null;
  return findKeyOrganisation(db, await sha256Hex(token));
}
