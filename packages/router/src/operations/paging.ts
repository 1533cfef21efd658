import type { PageQuery } from '@connect/contracts';
import { decodeCursor, type PageRequest } from '@connect/db';
import { invalidArgument } from '../api-error.js';

/** The page a query asks for; a cursor that is malformed or from another list is a 400. */
export function pageRequest(query: PageQuery, scope: string): PageRequest {
  const page: PageRequest = { first: query.first };
  for (const field of ['after', 'before'] as const) {
    const text = query[field];
    if (text === undefined) continue;
    const cursor = decodeCursor(text, scope);
    if (!cursor) throw invalidArgument(field, 'is not a cursor of this list');
    page[field] = cursor;
  }
  return page;
}

/** A short, stable hash of `text` (FNV-1a, 32 bits, hex): enough to tell one list's filters from another's. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
