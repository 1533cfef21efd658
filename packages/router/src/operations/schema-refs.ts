import {
  definitionNamePattern,
  isReservedVersionName,
  versionPathSegment,
  type InlineSchema,
} from '@connect/contracts';
import type { SchemaRef } from '@connect/db';
import { invalidArgument } from '../api-error.js';

const defsPrefix = '#/$defs/';

/** Schemas whose content type names JSON are read for `$ref`s; others are opaque text. */
const isJson = (contentType: string) => /json/.test(contentType.split(';')[0] ?? '');

/** The names a JSON document defines in its own top-level `$defs`. */
function localDefs(document: unknown): Set<string> {
  return new Set(
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? Object.keys((document as { $defs?: object }).$defs ?? {})
      : [],
  );
}

/** The version whose definitions a schema may refer to: the one it is written in. */
export interface RefScope {
  organisationId: string;
  connectorId: string;
  version: string;
}

/** A JSON Pointer segment as written (`~1` is `/`, `~0` is `~`), after URI decoding. */
function pointerSegment(text: string): string | null {
  try {
    return decodeURIComponent(text).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return null;
  }
}

function decodeSegment(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** A definition's `url` as the API writes it: …/o/{organisation}/schemas/{connector}/{version}/{id}[.ext][#pointer]. */
const definitionUrl =
  /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/o\/([^/?#]+)\/schemas\/([^/?#]+)\/([^/?#]+)\/([^/?#.]+)(?:\.[A-Za-z0-9]+)?(?:#.*)?$/i;
const canonicalUlid = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A `$ref` to an existing definition by its `url`, or null for a URL that is not one of the
 * caller's schemas (its organisation id is a ULID, so no other URL matches by chance). It must be
 * written as `url` gives it — same case, no percent-escapes but the version name's, and as plain text in the schema (no
 * `\/` escapes) — because a copy of the version finds it in the text to rewrite it.
 */
function urlRef(value: string, scope: RefScope, field: string, content: string): SchemaRef | null {
  const match = definitionUrl.exec(value);
  if (!match) return null;
  const [organisationId = '', connectorId = '', version = '', id = ''] = match.slice(1);
  if (decodeSegment(organisationId)?.toUpperCase() !== scope.organisationId) return null;
  // The version segment is the one part that may hold escapes: exactly those `url` writes.
  const versionName = decodeSegment(version);
  const canonical =
    organisationId === scope.organisationId &&
    canonicalUlid.test(id) &&
    versionName !== null &&
    versionPathSegment(versionName) === version &&
    content.includes(JSON.stringify(value));
  if (!canonical) {
    throw invalidArgument(
      field,
      `refers to ${value}; write a definition's URL exactly as its url gives it (same case, no escapes)`,
    );
  }
  // Through `latest` or `default` the write is refused anyway (409): no version name to compare.
  if (
    connectorId !== scope.connectorId ||
    (!isReservedVersionName(scope.version) && version !== versionPathSegment(scope.version))
  ) {
    throw invalidArgument(
      field,
      `refers to ${value}, a definition of another version; a schema may refer only to its own version's definitions`,
    );
  }
  return { ref: value, id };
}

/**
 * What a `$ref` refers to among the version's definitions, or null when it is none of theirs:
 * `#/$defs/{name}` names one (the request form), and a definition's `url` gives one by id (the
 * form for definitions that already exist). A `url` of another version's definition is a 400: a
 * version is self-contained, so that a copy or a publish never depends on another.
 */
function refOf(value: string, scope: RefScope, field: string, content: string): SchemaRef | null {
  if (value.startsWith(defsPrefix)) {
    const name = pointerSegment(value.slice(defsPrefix.length).split('/')[0] ?? '');
    if (name === null || !definitionNamePattern.test(name)) {
      throw invalidArgument(field, `refers to ${value}, which cannot name a definition`);
    }
    return { ref: value, name };
  }
  return urlRef(value, scope, field, content);
}

/**
 * The version's definitions a schema refers to (see `refOf`), except names the schema defines in
 * its own `$defs`, which are local. Only JSON schemas (content type naming json) are read; others
 * link nothing. Content that claims to be JSON and is not is a 400 on `field`.
 */
export function schemaRefs(schema: InlineSchema, field: string, scope: RefScope): SchemaRef[] {
  if (!isJson(schema.contentType)) return [];
  let document: unknown;
  try {
    document = JSON.parse(schema.content);
  } catch {
    throw invalidArgument(field, 'is not valid JSON, though its contentType says it is');
  }
  const local = localDefs(document);
  const refs = new Map<string, SchemaRef>();
  // Iterative, so a deeply nested schema cannot exhaust the stack.
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      // One push per item: spreading a long array into one call would overflow the stack.
      for (const item of node as unknown[]) pending.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const ref = refOf(value, scope, field, schema.content);
        if (ref?.name !== undefined && !local.has(ref.name)) refs.set(`name:${ref.name}`, ref);
        if (ref?.id !== undefined) refs.set(`id:${ref.id}`, ref);
      } else {
        pending.push(value);
      }
    }
  }
  return [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref);
}

/**
 * The string values of `$ref` keys in a JSON text, with where each token starts and ends. A scan of
 * the tokens (the text is valid JSON: it was checked when stored), so strings that only look like
 * a `$ref` — in `const`, `enum`, `examples`, a key or a description — are never taken for one.
 */
function refTokens(text: string): { start: number; end: number; value: string }[] {
  const found: { start: number; end: number; value: string }[] = [];
  let key: string | null = null; // the key whose value comes next
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end += 1;
      const value = JSON.parse(text.slice(i, end)) as string;
      let next = end;
      while (/\s/.test(text[next] ?? '')) next += 1;
      if (text[next] === ':') {
        key = value;
        i = next + 1;
        continue;
      }
      if (key === '$ref') found.push({ start: i, end, value });
      key = null;
      i = end;
      continue;
    }
    if (!/\s/.test(char)) key = null;
    i += 1;
  }
  return found;
}

/**
 * A stored schema as its `url` serves it: each `$ref` to `#/$defs/{name}` that links another
 * definition is written as that definition's `url` (a pointer below it becomes the URL's
 * fragment), so the served document resolves with any JSON Schema tool, which fetches `$ref`
 * URLs. Only those tokens change: the schema keeps its layout and its numbers exactly.
 */
export function servedSchema(schema: {
  contentType: string;
  content: string;
  links: { name: string; url: string }[];
}): string {
  if (schema.links.length === 0 || !isJson(schema.contentType)) return schema.content;
  let local: Set<string>;
  try {
    local = localDefs(JSON.parse(schema.content));
  } catch {
    return schema.content;
  }
  const urls = new Map(schema.links.filter((link) => !local.has(link.name)).map((link) => [link.name, link.url]));
  let served = '';
  let from = 0;
  for (const token of refTokens(schema.content)) {
    if (!token.value.startsWith(defsPrefix)) continue;
    const [segment = '', ...below] = token.value.slice(defsPrefix.length).split('/');
    const url = urls.get(pointerSegment(segment) ?? '');
    if (url === undefined) continue;
    const target = below.length > 0 ? `${url}#/${below.join('/')}` : url;
    served += schema.content.slice(from, token.start) + JSON.stringify(target);
    from = token.end;
  }
  return served + schema.content.slice(from);
}
