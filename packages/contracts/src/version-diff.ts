import { z } from 'zod';
import { validationMessage } from './errors.js';
import { ulid, versionSelector } from './names.js';
import { subscription } from './subscription.js';
import { versionChange } from './version-change.js';

export { changeKind, versionChange, type ChangeKind, type VersionChange } from './version-change.js';

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

/** How many breaking changes a `compatibility_breaking` refusal (and a dry run) lists. */
export const breakingChangesListed = 20;

/** What the connector's `compatibilityPolicy` says of publishing a version (see docs/version-intelligence.md). */
export const compatibilityVerdict = z.object({
  policy: z.enum(['none', 'backward']),
  /**
   * Whether the policy judges this publish: `backward` with a latest to compare against, unless both
   * names are SemVer and the version's major is greater than the latest's.
   */
  checked: z.boolean(),
  /** False when the policy refuses the publish (409 `compatibility_breaking`). */
  compatible: z.boolean(),
  /** The breaking changes from latest the policy refuses (the first 20); empty when it refuses none. */
  breakingChanges: z.array(versionChange),
  breakingCount: z.number().int(),
});
export type CompatibilityVerdict = z.infer<typeof compatibilityVerdict>;

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
  /** What the connector's compatibility policy says; a refusal also makes `publishable` false. */
  compatibility: compatibilityVerdict,
});
export type PublishCheck = z.infer<typeof publishCheck>;

/** The query of publish: `dryRun=true` checks without publishing. */
export const publishQuery = z.object({
  dryRun: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .optional(),
});
