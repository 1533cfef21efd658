import { z } from 'zod';

/**
 * Every limit of the API, in one table: what it bounds, its unit and its default. `docs/limits.md`
 * shows the same table. Kinds:
 *  - `quota`: how much an organisation may keep (checked by the database, in the statement that
 *    writes; over it the answer is 409 `quota_exceeded` and nothing is written);
 *  - `request`: how big one request may be (checked by the Worker before any work);
 *  - `answer`: budgets that keep every answer below the database driver's response cap (Neon's HTTP
 *    service refuses a response whose values add up to more than 10 MiB);
 *  - `validation`: bounds of single fields, compiled into the zod schemas (and so into the OpenAPI
 *    document and the typed client).
 * Only quotas and request limits can be changed per deployment (the `LIMITS` var, see
 * `limitsOverride`): answer budgets are measured against the driver's cap, and validation bounds
 * are part of the published contract, so both stay fixed.
 */
export interface LimitEntry {
  readonly kind: 'quota' | 'request' | 'answer' | 'validation';
  readonly default: number;
  readonly unit: 'count' | 'bytes' | 'characters';
  /** What the limit bounds, in a sentence (shown in the docs). */
  readonly bounds: string;
}

export const limitTable = {
  // Quotas: per organisation, connector or version.
  connectorsPerOrganisation: {
    kind: 'quota',
    default: 1000,
    unit: 'count',
    bounds: 'connectors an organisation holds',
  },
  versionsPerConnector: {
    kind: 'quota',
    default: 1000,
    unit: 'count',
    bounds: 'versions a connector holds (drafts and published; a copy counts as one)',
  },
  childrenPerVersion: {
    kind: 'quota',
    default: 5000,
    unit: 'count',
    bounds: "a version's actions, triggers and definitions together (a copy must fit it too)",
  },
  apiKeysPerOrganisation: {
    kind: 'quota',
    default: 100,
    unit: 'count',
    bounds: 'active (not revoked, not expired) API keys an organisation holds',
  },
  schemaBytes: {
    kind: 'quota',
    default: 1024 * 1024,
    unit: 'bytes',
    bounds: "one definition's schema text, in UTF-8",
  },
  versionBytes: {
    kind: 'quota',
    default: 16 * 1024 * 1024,
    unit: 'bytes',
    bounds: "all of a version's schema texts together, in UTF-8 (a copy must fit it too)",
  },

  // Requests: checked by the Worker before any work.
  bodyBytes: {
    kind: 'request',
    default: 1024 * 1024,
    unit: 'bytes',
    bounds: 'a request body (413 `payload_too_large` above it)',
  },
  importDocumentBytes: {
    kind: 'request',
    default: 32 * 1024 * 1024,
    unit: 'bytes',
    bounds:
      'a document imported as a connector or version, in UTF-8: the `content_length` of an upload URL, what is read of a public URL (400 on `schemaURL` past it), and a document sent inline (400 `invalid_argument`)',
  },
  trpcBatchMax: {
    kind: 'request',
    default: 50,
    unit: 'count',
    bounds: 'calls in one tRPC batch request (413 `payload_too_large` above it, before any call runs)',
  },

  // Answers: fixed.
  pageBudgetBytes: {
    kind: 'answer',
    default: 4 * 1024 * 1024,
    unit: 'bytes',
    bounds:
      'JSON of the items before the last of a page: a page ends early past it (the largest item, a connector of about 4.5 MB, on top stays under the 10 MiB cap)',
  },
  embeddedVersionsMax: {
    kind: 'answer',
    default: 50,
    unit: 'count',
    bounds: 'versions a connector embeds, the most recently updated first',
  },
  embeddedVersionsBudgetBytes: {
    kind: 'answer',
    default: 1024 * 1024,
    unit: 'bytes',
    bounds: 'JSON of the versions a connector embeds before it stops (the first always fits)',
  },

  // Validation: fixed, part of the schemas.
  pageSizeMax: {
    kind: 'answer',
    default: 100,
    unit: 'count',
    bounds: 'items in a page (a larger `first` is served this many)',
  },
  connectorNameLength: { kind: 'validation', default: 200, unit: 'characters', bounds: "a connector's name" },
  versionNameLength: { kind: 'validation', default: 128, unit: 'characters', bounds: "a version's name" },
  childNameLength: {
    kind: 'validation',
    default: 128,
    unit: 'characters',
    bounds: "an action's, trigger's or definition's name",
  },
  apiKeyNameLength: { kind: 'validation', default: 100, unit: 'characters', bounds: "an API key's name" },
  descriptionLength: {
    kind: 'validation',
    default: 2000,
    unit: 'characters',
    bounds: 'a description (versions, definitions)',
  },
  schemaLength: {
    kind: 'validation',
    default: 256 * 1024,
    unit: 'characters',
    bounds: "one definition's schema text, in UTF-16 code units as JSON strings count them",
  },
  definitionsPerRequest: {
    kind: 'validation',
    default: 100,
    unit: 'count',
    bounds: 'definitions in one CreateDefinitions request',
  },
  urlLength: {
    kind: 'validation',
    default: 2048,
    unit: 'characters',
    bounds: "a URL (a connector's base, documentation and image URLs) and an action's path",
  },
  mediaTypeLength: { kind: 'validation', default: 255, unit: 'characters', bounds: 'a media type' },
  acceptPerDefinition: {
    kind: 'validation',
    default: 20,
    unit: 'count',
    bounds: "media types of a definition's `accept`",
  },
  linksPerBody: {
    kind: 'validation',
    default: 20,
    unit: 'count',
    bounds: 'definitions one request or response body links',
  },
  responsesPerOperation: {
    kind: 'validation',
    default: 100,
    unit: 'count',
    bounds: "an action's or trigger's responses",
  },
  parametersPerOperation: {
    kind: 'validation',
    default: 100,
    unit: 'count',
    bounds: "an action's or trigger's parameters",
  },
  connectionVariablesPerConnector: {
    kind: 'validation',
    default: 100,
    unit: 'count',
    bounds: "a connector's connection variables",
  },
  authSchemeConfigsPerConnector: {
    kind: 'validation',
    default: 20,
    unit: 'count',
    bounds: "a connector's auth scheme configs",
  },
  credentialsPerConnection: {
    kind: 'validation',
    default: 10,
    unit: 'count',
    bounds: "a connection's credentials (actions' and triggers' together)",
  },
  credentialSecretLength: {
    kind: 'validation',
    default: 65536,
    unit: 'characters',
    bounds: 'one secret value of a credential (a key, password, token or PEM text)',
  },
  tagKeys: { kind: 'validation', default: 50, unit: 'count', bounds: "keys of a connector's tags" },
  tagKeyLength: { kind: 'validation', default: 128, unit: 'characters', bounds: 'a tag key' },
  tagValuesPerKey: { kind: 'validation', default: 10, unit: 'count', bounds: 'values of one tag key' },
  tagValueLength: { kind: 'validation', default: 256, unit: 'characters', bounds: 'a tag value' },
} as const satisfies Record<string, LimitEntry>;

export type LimitName = keyof typeof limitTable;

/** The names a deployment may change: quotas and request limits. */
export type OverridableLimitName = {
  [K in LimitName]: (typeof limitTable)[K]['kind'] extends 'quota' | 'request' ? K : never;
}[LimitName];

export const overridableLimitNames = (Object.keys(limitTable) as LimitName[]).filter(
  (name): name is OverridableLimitName => limitTable[name].kind === 'quota' || limitTable[name].kind === 'request',
);

/** The limits a deployment runs with: every overridable one, resolved. */
export type Limits = { readonly [K in OverridableLimitName]: number };

export const defaultLimits: Limits = Object.fromEntries(
  overridableLimitNames.map((name) => [name, limitTable[name].default]),
) as Record<OverridableLimitName, number>;

const limitValue = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(Number.MAX_SAFE_INTEGER, 'must be a safe integer');

/**
 * A deployment's `LIMITS` var: a JSON object of overridable limits and their values. Strict, so a
 * misspelt or fixed limit is refused rather than silently ignored.
 */
export const limitsOverride = z.strictObject(
  Object.fromEntries(overridableLimitNames.map((name) => [name, limitValue.optional()])) as Record<
    OverridableLimitName,
    z.ZodOptional<typeof limitValue>
  >,
);

/** Why a `LIMITS` value cannot be used: each problem with the limit it is about. */
export class LimitsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`LIMITS is not valid: ${problems.join('; ')}`);
    this.name = 'LimitsConfigError';
  }
}

/** The limits for a deployment's `LIMITS` var (absent or empty: the defaults). Throws LimitsConfigError. */
export function resolveLimits(raw: string | undefined): Limits {
  if (raw === undefined || raw.trim() === '') return defaultLimits;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new LimitsConfigError(['not JSON']);
  }
  const result = limitsOverride.safeParse(parsed);
  if (!result.success) {
    throw new LimitsConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`),
    );
  }
  // JSON has no undefined: a name given has its number, one left out is absent.
  return { ...defaultLimits, ...result.data };
}

// The fixed limits under the names the code used before the table: one source, the table.

/** A connector embeds at most this many of its versions, the most recently updated first. */
export const embeddedVersionsMax = limitTable.embeddedVersionsMax.default;
/** …and stops embedding once the versions before hold this much JSON (the first always fits). */
export const embeddedVersionsBudgetBytes = limitTable.embeddedVersionsBudgetBytes.default;
/** A page of any list ends early once the items before hold this much JSON (it always holds one). */
export const pageBudgetBytes = limitTable.pageBudgetBytes.default;
/** Tags: at most `keys` keys of up to `keyLength` characters, each with at most `valuesPerKey` values. */
export const tagLimits = {
  keys: limitTable.tagKeys.default,
  keyLength: limitTable.tagKeyLength.default,
  valuesPerKey: limitTable.tagValuesPerKey.default,
  valueLength: limitTable.tagValueLength.default,
} as const;
