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
export const connectorVersionListInput = oneDirection(pageQueryFields.extend({ connectorId: ulid }));
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
