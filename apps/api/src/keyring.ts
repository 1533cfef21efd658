import { type CredentialKeyring, keyringFrom } from '@connect/db';
import { ApiError } from '@connect/router';

/** The keyring of each `CREDENTIALS_KEY` value seen: imported once per isolate. */
const keyrings = new Map<string, Promise<CredentialKeyring>>();

function keyringOf(value: string): Promise<CredentialKeyring> {
  let keyring = keyrings.get(value);
  if (keyring === undefined) {
    keyring = keyringFrom(value);
    // A bad value is logged once, without the value; each request needing the keys is refused.
    keyring.catch((error: unknown) => {
      console.error(`CREDENTIALS_KEY is not usable: ${error instanceof Error ? error.message : 'unknown'}`);
    });
    keyrings.set(value, keyring);
  }
  return keyring;
}

/**
 * The deployment's credential keyring (undefined without `CREDENTIALS_KEY`); an unusable value
 * is a 500 that says the service is misconfigured, never why (that is logged).
 */
export function deploymentKeyring(env: Env): (() => Promise<CredentialKeyring>) | undefined {
  const credentialsKey = env.CREDENTIALS_KEY;
  if (credentialsKey === undefined || credentialsKey === '') return undefined;
  return () =>
    keyringOf(credentialsKey).catch(() => {
      throw new ApiError('internal', 'the service is misconfigured (its credential key); see its log');
    });
}
