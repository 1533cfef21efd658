// Credential secrets at rest: AES-256-GCM through WebCrypto (the same code in the Worker and in the
// operator's re-encryption command). An envelope is `v1.<key id>.<iv>.<ciphertext+tag>` (base64url),
// so every ciphertext names the key that sealed it and a keyring can hold old keys while rows move
// to a new one. The organisation and credential ids are the additional authenticated data: an
// envelope copied to another row or organisation fails to open.

/** One key of the ring: its id (written into every envelope it seals) and the AES key. */
export interface CredentialKey {
  id: string;
  key: CryptoKey;
}

/** The keys a deployment can open envelopes with; `current` seals new ones. */
export interface CredentialKeyring {
  current: CredentialKey;
  byId: ReadonlyMap<string, CryptoKey>;
  /**
   * HMAC-SHA-256 keys derived (HKDF) from each key of the ring, by the same id: they sign OAuth 2.0
   * `state` values, so signing needs no secret of its own and rotates with the ring.
   */
  signingById: ReadonlyMap<string, CryptoKey>;
}

/** What an envelope is bound to. */
export interface CredentialBinding {
  organisationId: string;
  credentialId: string;
}

/** A keyring that cannot be built, or an envelope that cannot be opened; never says more than why. */
export class CredentialCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialCipherError';
  }
}

const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const envelopePattern = /^v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/;

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const binding = (b: CredentialBinding) =>
  new TextEncoder().encode(`connect-credential:v1:${b.organisationId}:${b.credentialId}`);

/**
 * The HMAC key HKDF-SHA-256 derives from a ring key for signing: another key than the AES one
 * (its own `info`), so a signature can never be mistaken for, or help forge, a ciphertext.
 */
async function signingKeyOf(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: new TextEncoder().encode('connect-oauth2-state:v1'),
    },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}

/**
 * Signs `message` with the ring's current signing key: `<key id>.<HMAC-SHA-256, base64url>`.
 */
export async function signWithKeyring(keyring: CredentialKeyring, message: string): Promise<string> {
  const key = keyring.signingById.get(keyring.current.id);
  if (!key) throw new CredentialCipherError('the keyring has no signing key');
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${keyring.current.id}.${message}`));
  return `${keyring.current.id}.${base64url(new Uint8Array(mac))}`;
}

/** Whether `signature` (as `signWithKeyring` gives it) signs `message` under a key of the ring. */
export async function verifyWithKeyring(
  keyring: CredentialKeyring,
  message: string,
  signature: string,
): Promise<boolean> {
  const parts = /^([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(signature);
  if (!parts?.[1] || !parts[2]) return false;
  const key = keyring.signingById.get(parts[1]);
  if (!key) return false;
  let mac: Uint8Array<ArrayBuffer>;
  try {
    mac = fromBase64(parts[2]);
  } catch {
    return false;
  }
  // Only the canonical text of a MAC: 43 base64url characters carry 258 bits, so the last one's two
  // spare bits would otherwise let four texts stand for one signature.
  if (base64url(mac) !== parts[2]) return false;
  // WebCrypto's verify compares in constant time.
  return crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${parts[1]}.${message}`));
}

/**
 * The keyring of a `CREDENTIALS_KEY` value: comma-separated `<key id>:<base64 of 32 bytes>`, the
 * first sealing new secrets and every one opening old ones (see docs/connections.md, Key rotation).
 */
export async function keyringFrom(value: string): Promise<CredentialKeyring> {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const byId = new Map<string, CryptoKey>();
  const signingById = new Map<string, CryptoKey>();
  let current: CredentialKey | undefined;
  for (const [index, entry] of entries.entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator < 0 || !keyIdPattern.test(id)) {
      throw new CredentialCipherError(`key ${String(index + 1)}: expected <key id>:<base64 key>`);
    }
    if (byId.has(id)) throw new CredentialCipherError(`key id ${id} appears twice`);
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = fromBase64(entry.slice(separator + 1));
    } catch {
      throw new CredentialCipherError(`key ${id}: not base64`);
    }
    if (raw.length !== 32) throw new CredentialCipherError(`key ${id}: must be 32 bytes (AES-256)`);
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    byId.set(id, key);
    signingById.set(id, await signingKeyOf(raw));
    current ??= { id, key };
  }
  if (!current) throw new CredentialCipherError('no key given');
  return { current, byId, signingById };
}

/** A new random key as `CREDENTIALS_KEY` takes it (`<id>:<base64>`). */
export function newCredentialKey(id: string): string {
  if (!keyIdPattern.test(id)) throw new CredentialCipherError('a key id is 1 to 32 letters, digits, _ or -');
  const raw = crypto.getRandomValues(new Uint8Array(32));
  let text = '';
  for (const byte of raw) text += String.fromCharCode(byte);
  return `${id}:${btoa(text)}`;
}

/** Seals `plaintext` with the current key, bound to the credential. A fresh 96-bit IV each time. */
export async function sealSecret(
  keyring: CredentialKeyring,
  bound: CredentialBinding,
  plaintext: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: binding(bound) },
    keyring.current.key,
    new TextEncoder().encode(plaintext),
  );
  return `v1.${keyring.current.id}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The key id an envelope names (null for anything that is not an envelope). */
export function keyIdOf(envelope: string): string | null {
  return envelopePattern.exec(envelope)?.[1] ?? null;
}

/**
 * Opens an envelope sealed for this credential. Fails for an unknown key, a changed envelope, or one
 * sealed for another credential or organisation (the GCM tag covers the binding).
 */
export async function openSecret(
  keyring: CredentialKeyring,
  bound: CredentialBinding,
  envelope: string,
): Promise<string> {
  const parts = envelopePattern.exec(envelope);
  if (!parts?.[1] || !parts[2] || !parts[3]) throw new CredentialCipherError('not a credential envelope');
  const key = keyring.byId.get(parts[1]);
  if (!key) throw new CredentialCipherError(`the envelope names key ${parts[1]}, which the keyring lacks`);
  try {
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(parts[2]), additionalData: binding(bound) },
      key,
      fromBase64(parts[3]),
    );
    return new TextDecoder().decode(opened);
  } catch {
    throw new CredentialCipherError('the envelope does not open for this credential');
  }
}
