import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText } from './names.js';

// RFC 9110 §8.3.1 and §5.6: media-type = type "/" subtype *( OWS ";" OWS [ parameter ] ), where
// type, subtype and parameter names are tokens and a parameter value is a token or a quoted-string.
// Stricter than the RFC in two ways, because a stored media type is later sent as a header value:
// no control characters at all (the RFC allows HTAB as whitespace and inside quotes) and ASCII
// only (the RFC's obs-text, bytes 0x80–0xFF, is obsolete). Whitespace is spaces only, and none
// may lead or trail.
const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// qdtext without HTAB and obs-text; a quoted-pair escapes any visible character or a space.
const quotedString = '"(?:[ !#-\\[\\]-~]|\\\\[ -~])*"';

/**
 * The whole grammar in one pattern, which the OpenAPI document carries as is. Written so that no
 * two branches can match the same text (the space before a `;` belongs to the next group, the
 * space before a parameter to that parameter): it fails in linear time on any input.
 */
export const mediaTypePattern = new RegExp(`^${token}/${token}(?: *;(?: *${token}=(?:${token}|${quotedString}))?)* *$`);

/** Quoted strings, and the runs of text between them, of a media type that matched the pattern. */
const quotedOrNot = /"(?:[^"\\]|\\.)*"|[^"]+/g;

/**
 * A media type in the form it is stored and compared in: lower-cased but for quoted parameter
 * values. Type, subtype and parameter names are case-insensitive (RFC 9110), and so are most token
 * values (`charset=UTF-8`); a quoted value may be a URL or other case-sensitive text, so it is kept.
 */
export function normalizeMediaType(type: string): string {
  return type.replace(quotedOrNot, (part) => (part.startsWith('"') ? part : part.toLowerCase()));
}

/**
 * The `type/subtype` of a stored media type, lower-cased, or null when the text is not a media
 * type (rows written before media types were checked may hold anything).
 */
export function mediaTypeEssence(type: string): string | null {
  if (!mediaTypePattern.test(type)) return null;
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * A media type, `type/subtype` with optional parameters (RFC 9110), stored normalised (see
 * `normalizeMediaType`), so `Application/JSON` and `application/json` are the same type when
 * checking one definition per media type.
 */
export const mediaType = storableText(
  z
    .string({ error: 'must be a string' })
    .max(limitTable.mediaTypeLength.default, `must be at most ${String(limitTable.mediaTypeLength.default)} characters`)
    .regex(
      mediaTypePattern,
      'must be a media type such as application/json or text/xml; charset=utf-8 (RFC 9110), without control characters',
    ),
).transform(normalizeMediaType);
