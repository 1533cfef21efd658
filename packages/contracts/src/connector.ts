import { z } from 'zod';
import { category } from './category.js';
import { authSchemeConfig, authSchemeConfigId, authSchemeConfigList } from './auth-scheme-config.js';
import { connectorVersion } from './connector-version.js';
import { embeddedVersionsBudgetBytes, embeddedVersionsMax, limitTable, tagLimits } from './limits.js';
import { storableText, ulid } from './names.js';
import { pageInfo } from './page.js';

const httpUrl = storableText(
  z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(limitTable.urlLength.default),
);

/**
 * A link that may be unset: an http(s) URL, or empty. Reads show an unset link as `""` (the
 * reference's clients expect a string), so a connector read and sent back must pass; empty is
 * stored as unset.
 */
const optionalHttpUrl = z
  .union([z.literal(''), httpUrl], { error: 'must be an http or https URL, or empty' })
  .transform((url) => (url === '' ? undefined : url))
  .optional();

export const connectionVariable = z.object({
  name: storableText(z.string().min(1).max(256)),
  value: storableText(z.string().max(4096)),
});

const tagKey = storableText(z.string().min(1).max(tagLimits.keyLength));

/**
 * Tags as the reference shapes them: a key with a list of values, bounded (`tagLimits`) so a
 * connector, and a page of them, stays small. Keys are checked on the whole record, so a refusal
 * names `tags` rather than the (possibly very long) key.
 */
export const tags = z
  .record(
    z.string(),
    z
      .array(
        storableText(
          z.string().max(tagLimits.valueLength, `must be at most ${String(tagLimits.valueLength)} characters`),
        ),
      )
      .max(tagLimits.valuesPerKey, `must have at most ${String(tagLimits.valuesPerKey)} values`),
  )
  .refine((t) => Object.keys(t).length <= tagLimits.keys, `must have at most ${String(tagLimits.keys)} keys`)
  .refine(
    (t) => Object.keys(t).every((key) => tagKey.safeParse(key).success),
    `keys must be 1 to ${String(tagLimits.keyLength)} characters, without NUL or unpaired surrogates`,
  )
  // The refinements above do not show in JSON Schema; the OpenAPI document states the same bounds.
  .meta({
    maxProperties: tagLimits.keys,
    propertyNames: { type: 'string', minLength: 1, maxLength: tagLimits.keyLength },
  });

/**
 * What publishing checks against the latest version: `backward` refuses a version whose diff from
 * latest breaks callers within a SemVer major (docs/version-intelligence.md); `none` does not.
 */
export const compatibilityPolicy = z.enum(['none', 'backward'], { error: 'must be "none" or "backward"' });
export type CompatibilityPolicy = z.infer<typeof compatibilityPolicy>;

/** Body of CreateHTTPConnector. */
export const httpConnectorCreate = z.object({
  name: storableText(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(
        limitTable.connectorNameLength.default,
        `must be at most ${String(limitTable.connectorNameLength.default)} characters`,
      ),
  ),
  baseUrl: httpUrl,
  public: z.boolean().optional(),
  documentationURL: optionalHttpUrl,
  imageURL: optionalHttpUrl,
  tags: tags.optional(),
  connectionVariables: z.array(connectionVariable).max(limitTable.connectionVariablesPerConnector.default).optional(),
  /** How the connector authenticates to its API (docs/connections.md). On update, left out: unchanged. */
  authSchemeConfigs: authSchemeConfigList.optional(),
  /** Not in the reference. Default `none`; on update, left out: unchanged. */
  compatibilityPolicy: compatibilityPolicy.optional(),
});
export type HttpConnectorCreate = z.infer<typeof httpConnectorCreate>;

/** An HTTP connector, as every response shows it. */
export const connector = z.object({
  id: z.string(),
  organisationId: z.string(),
  name: z.string(),
  protocol: z.literal('http'),
  baseUrl: z.string(),
  public: z.boolean(),
  /** Empty when not set, as the reference's clients expect a string. */
  documentationURL: z.string(),
  imageURL: z.string(),
  tags: tags,
  /** Not in the reference's Connector: set by UpdateConnectorCategories, so shown where it is read. */
  categories: z.array(category),
  connectionVariables: z.array(connectionVariable),
  authSchemeConfigs: z.array(authSchemeConfig),
  /** Not in the reference: what publishing checks (see `compatibilityPolicy`). */
  compatibilityPolicy: compatibilityPolicy,
  connections: z.array(z.never()),
  versions: z
    .array(connectorVersion)
    .describe(
      `The most recently updated versions: at most ${String(embeddedVersionsMax)}, fewer once they hold ${String(embeddedVersionsBudgetBytes / 1024 / 1024)} MiB of JSON (the first page of the connector's versions list, which pages the rest).`,
    ),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Connector = z.infer<typeof connector>;

export const connectorPage = pageInfo.extend({ connectors: z.array(connector) });
export type ConnectorPage = z.infer<typeof connectorPage>;

export const connectorGetInput = z.object({ connectorId: ulid });
export type ConnectorGetInput = z.infer<typeof connectorGetInput>;

/**
 * Body of UpdateConnector: the whole mutable state. A field left out is unset (tags and
 * variables emptied, URLs cleared, `public` false); versions are not changed here.
 */
export const httpConnectorUpdate = httpConnectorCreate.extend({
  protocol: z.literal('http', { error: 'must be "http"' }).optional(),
  /** Read-only: may be sent back as read; a different value is a 400 (see `readOnlyConnectorFields`). */
  id: z.string().optional(),
  organisationId: z.string().optional(),
  /** The reference's reordering: exactly the connector's config ids, in their new order. */
  authSchemeConfigIds: z.array(authSchemeConfigId).optional(),
});
export type HttpConnectorUpdate = z.infer<typeof httpConnectorUpdate>;

export const connectorUpdateInput = httpConnectorUpdate.extend({ connectorId: ulid });
export type ConnectorUpdateInput = z.infer<typeof connectorUpdateInput>;
export const connectorDeleteInput = connectorGetInput.extend({ force: z.boolean().optional() });
export type ConnectorDeleteInput = z.infer<typeof connectorDeleteInput>;
