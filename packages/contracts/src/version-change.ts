import { z } from 'zod';

// Apart from the rest of the diff's shapes so the error table can name it without an import cycle.

/** What a change is to: an action, a trigger or a definition of the version, by name. */
export const changeKind = z.enum(['action', 'trigger', 'definition']);
export type ChangeKind = z.infer<typeof changeKind>;

/** One difference between two versions, down to a parameter, a body or a schema keyword. */
export const versionChange = z.object({
  kind: changeKind,
  /** The action, trigger or definition the change is in. */
  name: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  /** A JSON Pointer (RFC 6901) into the version: `/actions/{name}/parameters/query/{parameter}`, `/definitions/{name}/schema/properties/{property}`. */
  pointer: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** Whether a caller written against `from` can fail against `to`. */
  breaking: z.boolean(),
  /** Why the change is (or is not) breaking, in a sentence. */
  reason: z.string(),
});
export type VersionChange = z.infer<typeof versionChange>;
