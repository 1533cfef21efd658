import { z } from 'zod';
import { limitTable } from './limits.js';

/**
 * Text Postgres can store: no NUL characters (U+0000), which it refuses in text and JSON. Every
 * free-text field goes through this, so such input is a 400 on its field, never a 500.
 */
export function storableText(): z.ZodString;
export function storableText<S extends z.ZodType<string>>(schema: S): S;
export function storableText(schema: z.ZodType<string> = z.string()) {
  return schema
    .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters')
    .refine((text) => !unpairedSurrogate.test(text), 'must not contain unpaired UTF-16 surrogates');
}

/** Half of a surrogate pair on its own: not Unicode text, and refused by Postgres in JSON. */
const unpairedSurrogate = /\p{Cs}/u;

/** Path words that select a version by rule rather than by name; never usable as a name. */
export const reservedVersionNames = ['latest', 'default'] as const;

/** Whether `name` is one of the reserved words, in any case (`Latest` too). */
export function isReservedVersionName(name: string): boolean {
  const lower = name.toLowerCase();
  return reservedVersionNames.some((word) => word === lower);
}

/**
 * A version name: 1–64 characters from `[A-Za-z0-9._+-]`, starting with a letter or digit — room
 * for SemVer (with pre-release and build parts), CalVer and plain integers, and safe in a URL path.
 */
const versionNameLength = limitTable.versionNameLength.default;

export const versionNamePattern = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export const versionName = z
  .string({ error: 'name is required and must be a string' })
  .min(1, 'must not be empty')
  .max(versionNameLength, `must be at most ${String(versionNameLength)} characters`)
  .regex(versionNamePattern, 'must start with a letter or digit and use only letters, digits and . _ + -')
  .refine((name) => !isReservedVersionName(name), {
    message: '"latest" and "default" are reserved and cannot be used as a version name',
  });

/** How a path or `fromVersion` may point at a version: by name or by one of the aliases. */
export const versionSelector = storableText(
  z
    .string()
    .min(1, 'must not be empty')
    .max(versionNameLength, `must be at most ${String(versionNameLength)} characters`),
);

/** Connector and other resource ids are ULIDs (26 Crockford base32 characters). */
export const ulid = z
  .string()
  // Spelled out rather than with the `i` flag, so the pattern reads the same in JSON Schema.
  .regex(/^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$/, 'must be a ULID')
  .transform((id) => id.toUpperCase());
