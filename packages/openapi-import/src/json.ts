/** A JSON object as parsed: keys to values of unknown shape. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON Pointer (RFC 6901) from its segments: `~` and `/` escaped as `~0` and `~1`. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** One segment of a `$ref` fragment, unescaped (a fragment is URI-encoded, then pointer-escaped). */
export function unescapeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return undefined;
  }
}

/** The value a local `$ref` (`#/a/b`) points at in `document`, or undefined when nothing is there. */
export function resolveLocal(document: unknown, ref: string): unknown {
  if (ref === '#') return document;
  if (!ref.startsWith('#/')) return undefined;
  let node = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = unescapeSegment(raw);
    if (segment === undefined) return undefined;
    if (Array.isArray(node)) {
      node = /^(0|[1-9]\d*)$/.test(segment) ? (node as unknown[])[Number(segment)] : undefined;
    } else if (isObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Text the API can store: NUL characters and unpaired UTF-16 surrogates (which Postgres refuses in
 * JSON) become U+FFFD, and at most `max` UTF-16 units are kept without splitting a pair.
 */
export function storable(
  text: string,
  max = Number.POSITIVE_INFINITY,
): { text: string; changed: boolean; cut: boolean } {
  const clean = text.replaceAll('\u0000', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');
  if (clean.length <= max) return { text: clean, changed: clean !== text, cut: false };
  let end = max;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: clean.slice(0, end), changed: true, cut: true };
}
