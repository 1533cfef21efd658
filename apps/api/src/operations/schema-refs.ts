import { definitionNamePattern, type InlineSchema } from '@connect/contracts';
import { invalidArgument } from '../api-error';

const defsPrefix = '#/$defs/';

/** A JSON Pointer segment as written (`~1` is `/`, `~0` is `~`), after URI decoding. */
function pointerSegment(text: string): string | null {
  try {
    return decodeURIComponent(text).replace(/~1/g, '/').replace(/~0/g, '~');
  } catch {
    return null;
  }
}

/**
 * The names of the version's definitions that a schema refers to: every `$ref` of the form
 * `#/$defs/{name}` (or a pointer below it), except names the schema defines in its own `$defs`,
 * which are local. Only JSON schemas (content type naming json) are read; others link nothing.
 * Content that claims to be JSON and is not is a 400 on `field`.
 */
export function schemaRefs(schema: InlineSchema, field: string): string[] {
  if (!/json/.test(schema.contentType.split(';')[0] ?? '')) return [];
  let document: unknown;
  try {
    document = JSON.parse(schema.content);
  } catch {
    throw invalidArgument(field, 'is not valid JSON, though its contentType says it is');
  }
  const local = new Set(
    document !== null && typeof document === 'object' && !Array.isArray(document)
      ? Object.keys((document as { $defs?: object }).$defs ?? {})
      : [],
  );
  const names = new Set<string>();
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
      if (key === '$ref' && typeof value === 'string' && value.startsWith(defsPrefix)) {
        const name = pointerSegment(value.slice(defsPrefix.length).split('/')[0] ?? '');
        if (name === null || !definitionNamePattern.test(name)) {
          throw invalidArgument(field, `refers to ${value}, which cannot name a definition`);
        }
        if (!local.has(name)) names.add(name);
      } else {
        pending.push(value);
      }
    }
  }
  return [...names].sort();
}
