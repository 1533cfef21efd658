/**
 * Page cursors: the sort key of an item (its `updatedAt` and id) plus the scope it was issued
 * for, so a cursor from another list (another connector, another organisation) is refused.
 */
export interface Cursor {
  scope: string;
  updatedAt: string;
  id: string;
}

const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch {
    return null;
  }
}

export function encodeCursor(cursor: Cursor): string {
  return toBase64Url(JSON.stringify([cursor.scope, cursor.updatedAt, cursor.id]));
}

/** The cursor `text` holds, or null when it is malformed or was issued for another scope. */
export function decodeCursor(text: string, scope: string): Cursor | null {
  const json = fromBase64Url(text);
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [s, updatedAt, id] = value as unknown[];
  if (s !== scope || typeof updatedAt !== 'string' || !isoMillis.test(updatedAt)) return null;
  // A date that only looks like one (2024-02-30) would reach Postgres and fail there.
  const time = Date.parse(updatedAt);
  if (Number.isNaN(time) || new Date(time).toISOString() !== updatedAt) return null;
  if (typeof id !== 'string' || !/^[0-9A-Z]{26}$/.test(id)) return null;
  return { scope, updatedAt, id };
}
