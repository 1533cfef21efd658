import { env } from 'cloudflare:workers';
import { importJWK, SignJWT, type JWK } from 'jose';

type Alg = 'RS256' | 'ES256';

const privateKeys = JSON.parse(env.TEST_SIGNING_KEYS) as (JWK & { kid: string; alg: Alg })[];

export function signingKey(alg: Alg): JWK & { kid: string; alg: Alg } {
  const key = privateKeys.find((k) => k.alg === alg);
  if (!key) throw new Error(`no ${alg} test key`);
  return key;
}

export interface TokenOptions {
  alg?: Alg;
  kid?: string;
  issuer?: string;
  /** null leaves `aud` out. */
  audience?: string | null;
  /** Seconds from now; negative for a token already expired. */
  expiresIn?: number;
  /** Seconds from now before which the token is not valid. */
  notBeforeIn?: number;
  /** Seconds from now at which the token says it was issued (`iat`); null leaves `iat` out. Default now. */
  issuedIn?: number | null;
  claims?: Record<string, unknown>;
}

const now = () => Math.floor(Date.now() / 1000);

/** An id_token signed by the test identity provider, valid unless the options say otherwise. */
export async function idToken(organisationId: string, options: TokenOptions = {}): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const jwk = signingKey(alg);
  const jwt = new SignJWT({ org_id: organisationId, ...options.claims })
    .setProtectedHeader({ alg, kid: options.kid ?? jwk.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? env.JWT_ISSUER)
    .setSubject('user-1')
    .setExpirationTime(now() + (options.expiresIn ?? 300));
  if (options.issuedIn !== null) jwt.setIssuedAt(now() + (options.issuedIn ?? 0));
  if (options.audience !== null) jwt.setAudience(options.audience ?? env.JWT_AUDIENCE);
  if (options.notBeforeIn !== undefined) jwt.setNotBefore(now() + options.notBeforeIn);
  return jwt.sign(await importJWK(jwk, alg));
}

export const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
