import { z } from 'zod';
import { validationMessage } from './errors.js';
import { ulid, versionSelector } from './names.js';
import { subscription } from './subscription.js';

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

export const semverBump = z.enum(['major', 'minor', 'patch']);
export type SemverBump = z.infer<typeof semverBump>;

/** The answer of a diff: every change from `from` to `to`, sorted by pointer. */
export const versionDiff = z.object({
  /** The versions compared, by name (an alias resolved). */
  from: z.string(),
  to: z.string(),
  changes: z.array(versionChange),
  breaking: z.boolean(),
  /** The least SemVer bump from `from` to `to` that the changes call for; null unless both names are SemVer or when nothing changed. */
  suggestedBump: semverBump.nullable(),
});
export type VersionDiff = z.infer<typeof versionDiff>;

/** Input of the diff procedure: the connector and the two versions (names or aliases). */
export const versionDiffInput = z.object({ connectorId: ulid, from: versionSelector, to: versionSelector });
export type VersionDiffInput = z.infer<typeof versionDiffInput>;

/** The query of the diff route: `breaking=true` keeps only the breaking changes. */
export const versionDiffQuery = z.object({
  breaking: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .optional(),
});

/** An HTTP parameter of an action or trigger as the diff reads it. */
export interface SnapshotParameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
  default?: string | number | boolean | undefined;
}

/** An action or trigger as the diff reads it: linked definitions by name. */
export interface SnapshotOperation {
  name: string;
  summary: string;
  description: string;
  method: string;
  /** Actions only. */
  path?: string | undefined;
  parameters: SnapshotParameter[];
  requestBody?: { required: boolean; definitions: string[] } | undefined;
  responses: { status: number | null; definitions: string[] }[];
}

/** A definition as the diff reads it. */
export interface SnapshotDefinition {
  id: string;
  name: string;
  description: string;
  accept: string[];
  contentType: string;
  /**
   * The schema text; null when the other version's definition of the same name has the same text
   * (it is not read twice, which keeps the diff of two large versions within one answer).
   */
  content: string | null;
  /** The ids of the definitions (of its version) its schema `$ref`s. */
  refs: string[];
}

/** Everything of a version that a diff compares, read in one statement. */
export interface VersionSnapshot {
  name: string;
  actions: SnapshotOperation[];
  triggers: SnapshotOperation[];
  definitions: SnapshotDefinition[];
}

/** The answer of a dry-run publish: what publishing the version would do; nothing is changed. */
export const publishCheck = z.object({
  /** The version checked, by name. */
  version: z.string(),
  /** Whether a publish now would succeed. */
  publishable: z.boolean(),
  /** Why it would not (as a failed publish says), or nothing. */
  messages: z.array(validationMessage),
  /** The version that is latest now (null when nothing is published): the one the diff starts from. */
  latest: z.string().nullable(),
  /** The changes from the current latest to this version; null when nothing is published. */
  diff: versionDiff.nullable(),
  /** Subscriptions of the current latest (the first 20): the products a new latest concerns. */
  subscriptions: z.array(subscription),
  subscriptionCount: z.number().int(),
});
export type PublishCheck = z.infer<typeof publishCheck>;

/** The query of publish: `dryRun=true` checks without publishing. */
export const publishQuery = z.object({
  dryRun: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .optional(),
});
