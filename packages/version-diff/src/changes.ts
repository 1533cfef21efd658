import type { ChangeKind, VersionChange } from '@connect/contracts';

/** A JSON Pointer (RFC 6901) from its segments: `~` is written `~0` and `/` is written `~1`. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Where a change reaches callers: what they send (request) or what they receive (response). */
export type Side = 'request' | 'response';

/** The change being recorded, without the kind and name of the child it is in. */
export interface Found {
  change: VersionChange['change'];
  pointer: string;
  before?: unknown;
  after?: unknown;
  breaking: boolean;
  reason: string;
}

/** Collects the changes of one child (an action, trigger or definition). */
export class ChangeLog {
  readonly changes: VersionChange[] = [];

  add(kind: ChangeKind, name: string, found: Found): void {
    const { before, after, ...rest } = found;
    this.changes.push({
      kind,
      name,
      ...rest,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  }

  /** A recorder for one child: what `schemaChanges` and the operation rules call. */
  for(kind: ChangeKind, name: string): (found: Found) => void {
    return (found) => {
      this.add(kind, name, found);
    };
  }
}

/** Deep equality of JSON values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => k in bo && sameJson(ao[k], bo[k]));
}
