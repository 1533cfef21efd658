import { ulid } from '@connect/contracts';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { ApiError, describeFailure } from '@connect/router';

/** Signature algorithms accepted for id_tokens; anything else (`none`, HS256, …) is refused. */
const algorithms = ['RS256', 'ES256'];
const clockToleranceSeconds = 5;
/** JWT_MAX_LIFETIME_SECONDS when it is unset or not a positive number: a day. */
export const defaultMaxLifetimeSeconds = 24 * 60 * 60;

export interface IdTokenConfig {
  issuer: string;
  audience: string;
  organisationClaim: string;
  /** The IdP's JWKS address (production) … */
  jwksUrl: string;
  /** … or the JWKS itself, as JSON (development and tests). */
  jwks: string;
  /**
   * The longest a token may live (`exp - iat`) and the oldest it may be (now − `iat`): a token
   * minted to last for years, or stamped in the future, would outlive any key rotation or revocation.
   */
  maxLifetimeSeconds: number;
}

/** The configured maximum lifetime; a setting that is not a positive number falls back to a day, never to none. */
export function maxLifetimeOf(setting: string | undefined): number {
  const seconds = Number(setting);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : defaultMaxLifetimeSeconds;
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();
const localKeySets = new Map<string, JWTVerifyGetKey>();

/**
 * The key set for the configuration, kept per isolate. jose caches a remote JWKS, refetches it
 * when a token names an unknown `kid` (at most every 30 s), and gives up on a fetch after 3 s.
 */
function keySetOf(config: IdTokenConfig): JWTVerifyGetKey | null {
  if (config.jwksUrl) {
    let set = remoteKeySets.get(config.jwksUrl);
    if (!set) {
      set = createRemoteJWKSet(new URL(config.jwksUrl), {
        timeoutDuration: 3_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
      remoteKeySets.set(config.jwksUrl, set);
    }
    return set;
  }
  if (config.jwks) {
    let set = localKeySets.get(config.jwks);
    if (!set) {
      set = createLocalJWKSet(JSON.parse(config.jwks) as JSONWebKeySet);
      localKeySets.set(config.jwks, set);
    }
    return set;
  }
  return null;
}

/** jose errors that mean "this token is not acceptable"; any other failure is the IdP's. */
const tokenFaults = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JWKInvalid,
];

/**
 * The organisation and subject of a valid id_token, or null when the token is not acceptable.
 * When the identity provider cannot be reached the request fails closed with 503.
 */
export async function verifyIdToken(
  token: string,
  config: IdTokenConfig,
): Promise<{ organisationId: string; subject: string } | null> {
  if (!config.issuer || !config.audience) return null;
  const keySet = keySetOf(config);
  if (!keySet) return null;
  try {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms,
      issuer: config.issuer,
      audience: config.audience,
      clockTolerance: clockToleranceSeconds,
      // `iat` is required (OIDC requires it of id_tokens): without it a token's age is unknowable.
      // jose then refuses an `iat` in the future or older than the maximum, beyond the tolerance.
      requiredClaims: ['exp', 'sub', 'iat'],
      maxTokenAge: config.maxLifetimeSeconds,
    });
    // Both are numbers here (jose checked them); the lifetime is the issuer's, so no clock tolerance.
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > config.maxLifetimeSeconds) return null;
    const organisation = ulid.safeParse(payload[config.organisationClaim]);
    if (!organisation.success || typeof payload.sub !== 'string') return null;
    return { organisationId: organisation.data, subject: payload.sub };
  } catch (error) {
    if (tokenFaults.some((fault) => error instanceof fault)) return null;
    // A JWKS that cannot be fetched or read: never a 500, never a pass.
    console.error('identity provider unavailable:', describeFailure(error));
    throw new ApiError('unavailable', 'the identity provider cannot be reached; retry shortly');
  }
}
