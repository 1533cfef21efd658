import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText, versionName, versionSelector, ulid } from './names.js';
import { childListQuery, oneDirection, pageInfo, pageQueryFields } from './page.js';

const description = storableText(
  z
    .string()
    .max(
      limitTable.descriptionLength.default,
      `must be at most ${String(limitTable.descriptionLength.default)} characters`,
    ),
);

/** A version of a connector, as every response shows it. */
export const connectorVersion = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  isLatest: z.boolean(),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Null while the version is a draft. */
  publishedAt: z.iso.datetime().nullable(),
  /** How many products subscribe to the version (see subscriptions). */
  subscriptionCount: z.number().int(),
  /** When the version was (or will be) deprecated; null when it is not. Published versions only. */
  deprecatedAt: z.iso.datetime().nullable(),
  /** When a deprecated version stops being served; null when no date is announced. */
  sunsetAt: z.iso.datetime().nullable(),
  /** What callers of a deprecated version should do (e.g. which version to move to). */
  deprecationMessage: z.string().nullable(),
});
export type ConnectorVersion = z.infer<typeof connectorVersion>;

/** Body of CreateConnectorVersion. */
export const connectorVersionCreate = z.object({
  name: versionName,
  /** Copy every action, trigger and definition of this version (a name, `latest` or `default`). */
  fromVersion: versionSelector.optional(),
  description: description.optional(),
});
export type ConnectorVersionCreate = z.infer<typeof connectorVersionCreate>;

export const connectorVersionPage = pageInfo.extend({ items: z.array(connectorVersion) });
export type ConnectorVersionPage = z.infer<typeof connectorVersionPage>;

/** Inputs of the version procedures: the connector (and version) the path would name. */
export const connectorVersionCreateInput = connectorVersionCreate.extend({ connectorId: ulid });
export const connectorVersionGetInput = z.object({ connectorId: ulid, version: versionSelector });
/**
 * The query of ListConnectorVersions: a page, and with `deprecated` only deprecated versions (`true`)
 * or only the others (`false`); `true`/`false`/`1`/`0` in any case, as `forceQuery` takes them.
 */
export const versionListQuery = oneDirection(
  pageQueryFields.extend({
    deprecated: z
      .string()
      .regex(/^(true|false|1|0)$/i, 'must be true or false')
      .transform((text) => /^(true|1)$/i.test(text))
      .optional(),
  }),
);
export type VersionListQuery = z.infer<typeof versionListQuery>;
/** The same for tRPC, where `deprecated` is a boolean. */
export const connectorVersionListInput = oneDirection(
  pageQueryFields.extend({ connectorId: ulid, deprecated: z.boolean().optional() }),
);
export type ConnectorVersionCreateInput = z.infer<typeof connectorVersionCreateInput>;
export type ConnectorVersionGetInput = z.infer<typeof connectorVersionGetInput>;
export type ConnectorVersionListInput = z.infer<typeof connectorVersionListInput>;

/** Input of the lists of a version's children (actions, triggers, definitions). */
export const childListInput = oneDirection(childListQuery.extend({ connectorId: ulid, version: versionSelector }));
export type ChildListInput = z.infer<typeof childListInput>;

/**
 * Body of UpdateConnectorVersion: the version as GET returns it. Only `description` (drafts only)
 * and `isDefault` (published versions only) can change; the read-only fields may be sent back as
 * they are, and a different value is a 400. `updatedAt` is the server's and is ignored.
 */
export const connectorVersionUpdate = z.object({
  id: storableText().optional(),
  name: storableText().optional(),
  description: description.optional(),
  isLatest: z.boolean().optional(),
  isDefault: z.boolean().optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  updatedAt: z.iso.datetime({ offset: true }).optional(),
  publishedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /**
   * Deprecation, published versions only: a time deprecates (it may be in the future), null
   * undeprecates (clearing `sunsetAt` and `deprecationMessage` too); left out, unchanged.
   */
  deprecatedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Only with a deprecation, not before `deprecatedAt`; null clears it. */
  sunsetAt: z.iso.datetime({ offset: true }).nullable().optional(),
  deprecationMessage: description.nullable().optional(),
});
export type ConnectorVersionUpdate = z.infer<typeof connectorVersionUpdate>;

export const connectorVersionUpdateInput = connectorVersionUpdate.extend({
  connectorId: ulid,
  version: versionSelector,
});
export type ConnectorVersionUpdateInput = z.infer<typeof connectorVersionUpdateInput>;

export const connectorVersionDeleteInput = connectorVersionGetInput.extend({ force: z.boolean().optional() });
export type ConnectorVersionDeleteInput = z.infer<typeof connectorVersionDeleteInput>;

/** Response of publish and unpublish: the version as it now is. */
export const connectorVersionChanged = z.object({ version: connectorVersion });
export type ConnectorVersionChanged = z.infer<typeof connectorVersionChanged>;

/**
 * What the HTTP layer says of a deprecated version beside a read of it or of its children (the
 * `Deprecation`, `Sunset` and `Link` headers): read in the same statement as the answer.
 */
export interface VersionDeprecation {
  deprecatedAt: string;
  sunsetAt: string | null;
  /** The newest published, not deprecated version published after it, if any. */
  successor: string | null;
}
