import type { ActionCreate, AuthSchemeConfig, DefinitionCreate, TriggerCreate } from '@connect/contracts';

/** Something in the document that has no place in a connector version, and why. */
export interface Unmapped {
  /** JSON Pointer (RFC 6901) into the imported document. */
  pointer: string;
  reason: string;
}

/** What makes a document unimportable as a whole. */
export interface Problem {
  /** JSON Pointer (RFC 6901) into the imported document. */
  pointer: string;
  message: string;
}

/** A document mapped to the bodies that create a version's children, and what was left out. */
export interface ImportMapping {
  /** `servers[0].url`, its variables replaced by their defaults. */
  baseUrl?: string;
  actions: ActionCreate[];
  triggers: TriggerCreate[];
  definitions: DefinitionCreate[];
  authSchemeConfigs: AuthSchemeConfig[];
  unmapped: Unmapped[];
}

/** A document that cannot be imported: every problem found, none mapped. */
export interface ImportRefusal {
  problems: Problem[];
}

export type ImportResult = ImportMapping | ImportRefusal;

/**
 * Collects what the mapping leaves out, in the order met. A part reached through several `$ref`s
 * (a shared response, parameter or request body) is reported once, at its own pointer.
 */
export class UnmappedList {
  readonly entries: Unmapped[] = [];
  private readonly seen = new Set<string>();
  add(pointer: string, reason: string): void {
    const key = `${pointer}\n${reason}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entries.push({ pointer, reason });
  }
}
