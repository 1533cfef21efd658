/** API keys: `ck_` and 43 base64url characters (32 random bytes). The prefix makes leaks easy to spot. */
export const apiKeyPrefix = 'ck_';
export const apiKeyPattern = /^ck_[A-Za-z0-9_-]{43}$/;

/** A new random API key (Web Crypto: works in Workers, browsers and Node). */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return apiKeyPrefix + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The SHA-256 of a key, hex: the only form in which keys are stored. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
