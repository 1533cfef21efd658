/**
 * Bounds that keep every answer below the database driver's response cap (Neon's HTTP service
 * refuses a response whose values add up to more than 10 MiB). Named here, in one place, so a
 * deployment's table of limits can take them over.
 */

/** A connector embeds at most this many of its versions, the most recently updated first. */
export const embeddedVersionsMax = 50;

/**
 * …and stops embedding once the versions before hold this much JSON (the first always fits):
 * 50 versions of 2,000-character descriptions are at most about 600 KB, so the count binds first
 * unless the count is raised.
 */
export const embeddedVersionsBudgetBytes = 1024 * 1024;

/**
 * A page of any list ends early once the items before hold this much JSON (it always holds one),
 * and the next page goes on from there. The largest item (a connector: tags, connection variables
 * and embedded versions, at most about 4.5 MB of JSON; a definition with its 262,144-character
 * schema, about 1.6 MB) on top of it stays under the cap.
 */
export const pageBudgetBytes = 4 * 1024 * 1024;

/**
 * Tags: at most `keys` keys of up to `keyLength` characters, each with at most `valuesPerKey`
 * values of up to `valueLength` characters (about 130,000 characters in all).
 */
export const tagLimits = { keys: 50, keyLength: 128, valuesPerKey: 10, valueLength: 256 } as const;
