import { apiKeyPattern, isWellFormedApiKey, sha256Hex } from '@connect/contracts';
import { findLiveKey, touchKey, type Db } from '@connect/db';
import { apiKeyCache } from '@connect/router';
import type { Caller } from '@connect/router';
import { maxLifetimeOf, verifyIdToken } from './id-token.js';

// The scheme is case-insensitive (RFC 9110); the credential is one token.
const bearer = /^Bearer (\S+)$/i;
const jwtShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export interface AuthEnv {
  env: Env;
  db: Db;
  /** Schedules work after the response (ExecutionContext.waitUntil). */
  waitUntil: (promise: Promise<unknown>) => void;
  /**
   * Called before an API key is looked up in the database (a key this isolate neither trusts nor
   * knows to be unknown); may throw to refuse the request first (the per-address rate limit).
   */
  beforeLookup?: () => Promise<void>;
}

/**
 * The caller behind the `Authorization` header, or null for every kind of failure (missing,
 * malformed, unknown, revoked, expired) — callers answer all of them with the same 401. Only the
 * header is read: a credential in the query string is never accepted.
 */
export async function authenticate(
  authorization: string | undefined,
  { env, db, waitUntil, beforeLookup }: AuthEnv,
): Promise<Caller | null> {
  const token = authorization ? bearer.exec(authorization)?.[1] : undefined;
  if (!token) return null;

  if (jwtShape.test(token)) {
    const user = await verifyIdToken(token, {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      organisationClaim: env.JWT_ORGANISATION_CLAIM,
      jwksUrl: env.JWT_JWKS_URL,
      jwks: env.JWT_JWKS,
      maxLifetimeSeconds: maxLifetimeOf(env.JWT_MAX_LIFETIME_SECONDS),
    });
    return user && { kind: 'user', ...user };
  }

  if (!apiKeyPattern.test(token)) return null;
  const hash = await sha256Hex(token);
  // A setting that is not a number must not make cached keys live forever.
  const seconds = Number(env.API_KEY_CACHE_SECONDS);
  const ttlMs = (Number.isFinite(seconds) && seconds >= 0 ? seconds : 30) * 1000;
  let key = apiKeyCache.get(hash, ttlMs);
  if (!key) {
    // Only well-formed keys are ever cached, so the checksum is checked on a miss alone.
    if (!(await isWellFormedApiKey(token))) return null;
    // A key found unknown a moment ago is refused without asking the database again.
    if (apiKeyCache.isUnknown(hash)) return null;
    await beforeLookup?.();
    const lookupStarted = apiKeyCache.lookupStarted();
    const found = await findLiveKey(db, hash);
    if (!found.ok) {
      apiKeyCache.rememberUnknown(hash, lookupStarted);
      return null;
    }
    if (apiKeyCache.isRevoked(found.value.id)) return null;
    key = found.value;
    apiKeyCache.set(hash, key);
  }
  if (apiKeyCache.shouldTouch(hash)) {
    const keyId = key.id;
    waitUntil(touchKey(db, keyId).catch(() => undefined));
  }
  return { kind: 'api_key', organisationId: key.organisationId, keyId: key.id };
}
