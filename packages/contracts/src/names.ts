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
 * A version name can be any text (the reference sets no format): SemVer, CalVer, `2024-01 beta`,
 * `a/b`. Refused: `latest` and `default` in any case (they are the aliases), control characters
 * (C0, DEL and C1: they cannot travel in a header or a log line), and leading or trailing white
 * space (invisible, so two names would look alike). Names travel percent-encoded in paths and
 * schema URLs (`versionPathSegment`).
 */
const versionNameLength = limitTable.versionNameLength.default;

const controlCharacter = /\p{Cc}/u;
const outerSpace = /^\s|\s$/u;

export const versionName = storableText(
  z
    .string({ error: 'name is required and must be a string' })
    .min(1, 'must not be empty')
    .max(versionNameLength, `must be at most ${String(versionNameLength)} characters`),
)
  .refine((name) => !controlCharacter.test(name), 'must not contain control characters')
  .refine((name) => !outerSpace.test(name), 'must not start or end with white space')
  .refine((name) => !isReservedVersionName(name), {
    message: '"latest" and "default" are reserved and cannot be used as a version name',
  });

/**
 * A version name as one URL path segment: what a path segment may hold as it is (RFC 3986
 * unreserved and sub-delimiter characters, `:` and `@`) stays, everything else is percent-encoded
 * as UTF-8. Names of the earlier format (`[A-Za-z0-9._+-]`) are unchanged by it. The database's
 * `url_path_segment` function (in the migrations) is the same: schema URLs are built in SQL.
 */
export function versionPathSegment(name: string): string {
  return encodeURIComponent(name).replace(/%(2[46BC]|3[ABD]|40)/g, (escape) => decodeURIComponent(escape));
}

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
