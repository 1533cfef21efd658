import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText, ulid } from './names.js';
import { pageInfo, pageQuery } from './page.js';

/**
 * API keys: `ck_`, 43 base64url characters (32 random bytes), then a 6-character checksum of
 * what precedes it. The prefix makes a leaked key easy to find in code and logs; the checksum
 * lets secret scanners (and the API, before any database lookup) tell a key from noise.
 */
export const apiKeyPrefix = 'ck_';
export const apiKeyPattern = /^ck_[A-Za-z0-9_-]{49}$/;

const toBase64Url = (bytes: Uint8Array) => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

async function checksum(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return toBase64Url(new Uint8Array(digest)).slice(0, 6);
}

/** A new random API key (Web Crypto: works in Workers, browsers and Node). */
export async function generateApiKey(): Promise<string> {
  const body = apiKeyPrefix + toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return body + (await checksum(body));
}

/** Whether `key` has the shape and checksum of an API key (says nothing of whether it exists). */
export async function isWellFormedApiKey(key: string): Promise<boolean> {
  if (!apiKeyPattern.test(key)) return false;
  return (await checksum(key.slice(0, -6))) === key.slice(-6);
}

/** The SHA-256 of a key, hex: the only form in which keys are stored. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The characters of a key that are safe to show: its prefix and the first random characters. */
export const apiKeyDisplayPrefix = (key: string) => key.slice(0, apiKeyPrefix.length + 6);

/** Body of a key creation: a name for people, and an optional expiry. */
export const apiKeyCreate = z.object({
  name: storableText(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(
        limitTable.apiKeyNameLength.default,
        `must be at most ${String(limitTable.apiKeyNameLength.default)} characters`,
      ),
  ),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
    .optional(),
});
export type ApiKeyCreate = z.infer<typeof apiKeyCreate>;

/** An API key as listed: never its secret, only the prefix people recognise it by. */
export const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof apiKey>;

/** A key just created: the only response that ever carries the secret. */
export const apiKeyCreated = apiKey.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof apiKeyCreated>;

/** A page of keys, newest first. */
export const apiKeyList = pageInfo.extend({ items: z.array(apiKey) });
export type ApiKeyList = z.infer<typeof apiKeyList>;

/**
 * The query of the key list. Optional over tRPC, where the list was first served without paging:
 * no input is the first page.
 */
export const apiKeyListInput = pageQuery.optional();
export type ApiKeyListInput = z.infer<typeof apiKeyListInput>;

export const apiKeyRevokeInput = z.object({ id: ulid });
export type ApiKeyRevokeInput = z.infer<typeof apiKeyRevokeInput>;
