import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/** The development identity provider: a signing key kept in .dev, and tokens minted with it. */
export interface DevIdentity {
  issuer: string;
  audience: string;
  /** The public JWKS, for the Worker's JWT_JWKS. */
  jwks: string;
  mint(organisationId: string, hours: number): Promise<string>;
}

const alg = 'ES256';

export async function devIdentity(keyFile: string, issuer: string, audience: string): Promise<DevIdentity> {
  let privateJwk: JWK;
  if (existsSync(keyFile)) {
    privateJwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now().toString(36)}`, alg };
    await writeFile(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const publicJwk: JWK = { ...privateJwk };
  delete publicJwk.d;
  const signingKey = await importJWK(privateJwk, alg);
  return {
    issuer,
    audience,
    jwks: JSON.stringify({ keys: [{ ...publicJwk, use: 'sig' }] }),
    mint: (organisationId, hours) =>
      new SignJWT({ org_id: organisationId })
        .setProtectedHeader({ alg, kid: privateJwk.kid ?? 'dev', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject('developer')
        .setIssuedAt()
        .setExpirationTime(`${hours}h`)
        .sign(signingKey),
  };
}
