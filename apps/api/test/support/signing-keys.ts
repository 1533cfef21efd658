import { exportJWK, generateKeyPair } from 'jose';

/**
 * Signing keys of a stand-in identity provider, made fresh for each test run (in Node, by the
 * vitest config): the Worker gets the public JWKS, the tests get the private keys to sign with.
 */
export async function testSigningKeys() {
  const keys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg) => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const kid = `test-${alg.toLowerCase()}`;
      return {
        public: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
        private: { ...(await exportJWK(privateKey)), kid, alg },
      };
    }),
  );
  return {
    jwks: JSON.stringify({ keys: keys.map((k) => k.public) }),
    privateKeys: JSON.stringify(keys.map((k) => k.private)),
  };
}
