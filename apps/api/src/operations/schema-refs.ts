import { definitionNamePattern, type InlineSchema } from '@connect/contracts';
import type { SchemaRef } from '@connect/db';
import { invalidArgument } from '../api-error';

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

function decodeSegment(text: string | undefined): string | null {
  try {
    return text === undefined ? null : decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The path of a definition's `url`: …/o/{organisation}/schemas/{connector}/{version}/{id}[.ext]. */
const definitionUrlPath = /\/o\/([^/]+)\/schemas\/([^/]+)\/([^/]+)\/([^/.]+)(?:\.[A-Za-z0-9]+)?$/;

/**
 * What a `$ref` refers to among the version's definitions, or null when it is none of theirs:
 * `#/$defs/{name}` names one (the request form), and a definition's `url` gives one by id (the
 * form for definitions that already exist). A `url` of another version's definition is a 400: a
 * version is self-contained, so that a copy or a publish never depends on another.
 */
function refOf(value: string, scope: RefScope, field: string): SchemaRef | null {
  if (value.startsWith(defsPrefix)) {
    const name = pointerSegment(value.slice(defsPrefix.length).split('/')[0] ?? '');
    if (name === null || !definitionNamePattern.test(name)) {
      throw invalidArgument(field, `refers to ${value}, which cannot name a definition`);
    }
    return { ref: value, name };
  }
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return null;
  const match = definitionUrlPath.exec(new URL(value).pathname);
  const [organisationId, connectorId, version, id] = (match?.slice(1) ?? []).map(decodeSegment);
  // Only the caller's own organisation's schema URLs are read (its id is a ULID, so no other URL
  // matches by chance); any other URL is left as it is.
  if (organisationId !== scope.organisationId) return null;
  if (connectorId !== scope.connectorId || version !== scope.version || !id) {
    throw invalidArgument(field, `refers to ${value}, a definition of another version; a schema may refer only to its own version's definitions`);
  }
  return { ref: value, id };
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
        const ref = refOf(value, scope, field);
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
 * A stored schema as its `url` serves it: each `#/$defs/{name}` that links another definition is
 * written as that definition's `url` (a pointer below it becomes the URL's fragment), so the
 * served document resolves with any JSON Schema tool, which fetches `$ref` URLs. The replacement
 * is made in the text, not by re-serialising: the schema keeps its layout and its numbers exactly.
 */
export function servedSchema(schema: { contentType: string; content: string; links: { name: string; url: string }[] }): string {
  if (schema.links.length === 0 || !isJson(schema.contentType)) return schema.content;
  let local: Set<string>;
  try {
    local = localDefs(JSON.parse(schema.content));
  } catch {
    return schema.content;
  }
  const urls = new Map(schema.links.filter((link) => !local.has(link.name)).map((link) => [link.name, link.url]));
  return schema.content.replace(/"#\/\$defs\/([A-Za-z0-9_-]+)(["/])/g, (whole, name: string, next: string) => {
    const url = urls.get(name);
    if (url === undefined) return whole;
    return next === '"' ? `"${url}"` : `"${url}#/`;
  });
}
