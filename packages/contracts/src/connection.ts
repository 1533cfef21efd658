import { z } from 'zod';
import { authSchemeConfig, type AuthSchemeType } from './auth-scheme-config.js';
import { connectionVariable } from './connector.js';
import { limitTable } from './limits.js';
import { oauth2EndpointUrl } from './oauth2-url.js';
import { storableText, ulid } from './names.js';
import { oneDirection, pageInfo, pageQueryFields } from './page.js';

/** The reference's credential types: what a credential's `data` holds. */
export const credentialType = z.enum(
  [
    'none',
    'string',
    'binary',
    'basic-auth',
    'oauth2-client',
    'oauth2-code',
    'oauth2-password',
    'oauth2-token',
    'custom-function',
    'certificate',
    'jwt-bearer',
  ],
  { error: 'must be one of the credential types (none, string, binary, basic-auth, oauth2-client, …)' },
);
export type CredentialType = z.infer<typeof credentialType>;

/**
 * The credential types each scheme can use. `oauth2-code` is not created directly: the code is
 * exchanged by the OAuth 2.0 redirect (docs/connections.md), which stores an `oauth2-token`.
 */
export const credentialTypesOfScheme: Record<AuthSchemeType, readonly CredentialType[]> = {
  none: ['none'],
  'api-key': ['string'],
  'basic-auth': ['basic-auth'],
  oauth2: ['oauth2-client', 'oauth2-token', 'oauth2-password'],
  hmac: ['string', 'binary'],
  certificate: ['certificate'],
};

const secretLength = limitTable.credentialSecretLength.default;
/** A secret value: never shown again once stored (reads give `""` in its place). */
const secret = storableText(
  z
    .string({ error: 'is required and must be a string' })
    .min(1, 'must not be empty')
    .max(secretLength, `must be at most ${String(secretLength)} characters`),
);
const shownText = storableText(
  z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty').max(1024),
);
const scopes = z.array(storableText(z.string().min(1).max(256))).max(200);

/** One PEM block of the given label(s) (RFC 7468): its base64 body must decode. */
function pem(labels: RegExp, what: string) {
  return storableText(z.string({ error: 'is required and must be a string' }).max(secretLength)).refine((text) => {
    const block = /^\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\s*$/.exec(text);
    if (!block?.[1] || !block[2] || !labels.test(block[1])) return false;
    try {
      return atob(block[2].replace(/[\r\n]/g, '')).length > 0;
    } catch {
      return false;
    }
  }, `must be a PEM-encoded ${what}`);
}
const certificatePem = pem(/^CERTIFICATE$/, 'certificate (-----BEGIN CERTIFICATE-----)');

/**
 * The `data` a credential of each type takes, as sent. Secret fields are listed in
 * `secretFields`: they are encrypted at rest and never read back.
 */
export const credentialDataOfType = {
  none: z.strictObject({}, { error: 'must be an empty object' }),
  string: z.object({ value: secret }),
  binary: z.object({
    valueBase64: secret.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
  }),
  'basic-auth': z.object({ username: shownText, password: secret }),
  'oauth2-client': z.object({
    clientId: shownText,
    clientSecret: secret,
    authorizeUrl: z.union([z.literal(''), oauth2EndpointUrl], { error: 'must be an https URL, or empty' }).default(''),
    tokenUrl: oauth2EndpointUrl,
    scopes: scopes.default([]),
    additionalParams: storableText(z.string().max(limitTable.urlLength.default)).default(''),
  }),
  'oauth2-token': z
    .object({ scopes: scopes, accessToken: secret.optional(), refreshToken: secret.optional() })
    .refine((data) => data.accessToken !== undefined || data.refreshToken !== undefined, {
      message: 'must hold an accessToken or a refreshToken',
      path: ['accessToken'],
    }),
  'oauth2-password': z.object({ username: shownText, password: secret }),
  certificate: z.object({
    certificate: certificatePem,
    key: pem(/^(RSA |EC |ENCRYPTED )?PRIVATE KEY$/, 'private key (-----BEGIN PRIVATE KEY-----)'),
    ca: z.union([z.literal(''), certificatePem]).default(''),
  }),
} as const;
export type StorableCredentialType = keyof typeof credentialDataOfType;

/** The fields of each type's data that are secret: encrypted at rest, shown as `""`. */
export const secretFields: Record<StorableCredentialType, readonly string[]> = {
  none: [],
  string: ['value'],
  binary: ['valueBase64'],
  'basic-auth': ['password'],
  'oauth2-client': ['clientSecret'],
  'oauth2-token': ['accessToken', 'refreshToken'],
  'oauth2-password': ['password'],
  certificate: ['key'],
};

/** The reference's CredentialCreate; `data` is checked against `type` (and the scheme) below. */
export const credentialCreate = z.object({
  name: storableText(z.string().min(1, 'must not be empty').max(256)).optional(),
  type: credentialType,
  data: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
});

const isStorable = (type: CredentialType): type is StorableCredentialType => type in credentialDataOfType;

/**
 * A connection credential to create: the scheme it is used with and the credential. The data is
 * checked against its type, and the type against the scheme, so a refusal names the exact field.
 */
export const connectionCredentialCreate = z
  .object({ authSchemeConfig, credential: credentialCreate })
  .transform((value, ctx) => {
    const { schemeType } = value.authSchemeConfig;
    const { type } = value.credential;
    if (!credentialTypesOfScheme[schemeType].includes(type) || !isStorable(type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['credential', 'type'],
        message:
          type === 'oauth2-code'
            ? 'an authorization code is exchanged by the OAuth 2.0 redirect, not stored'
            : `a ${schemeType} scheme takes a credential of type ${credentialTypesOfScheme[schemeType].join(' or ')}`,
      });
      return z.NEVER;
    }
    const data = credentialDataOfType[type].safeParse(value.credential.data);
    if (!data.success) {
      for (const issue of data.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['credential', 'data', ...issue.path], message: issue.message });
      }
      return z.NEVER;
    }
    return {
      authSchemeConfig: value.authSchemeConfig,
      credential: { name: value.credential.name ?? value.authSchemeConfig.id, type, data: data.data },
    };
  });
export type ConnectionCredentialCreate = z.output<typeof connectionCredentialCreate>;

const maxCredentials = limitTable.credentialsPerConnection.default;
const connectionName = storableText(
  z.string({ error: 'is required and must be a string' }).trim().min(1, 'must not be empty').max(256),
);
const variables = z.array(connectionVariable).max(limitTable.connectionVariablesPerConnector.default);

/** Two lists of credentials (applied in order): for the connector's actions and its triggers. */
function credentialLists<T extends z.ZodType>(item: T) {
  return z
    .object({ action: z.array(item).default([]), trigger: z.array(item).default([]) })
    .refine((lists) => lists.action.length + lists.trigger.length <= maxCredentials, {
      message: `must hold at most ${String(maxCredentials)} credentials`,
    });
}

/** The reference's ConnectionCreate. */
export const connectionCreate = z.object({
  name: connectionName,
  credentials: credentialLists(connectionCredentialCreate).default({ action: [], trigger: [] }),
  variables: variables.default([]),
});
export type ConnectionCreate = z.output<typeof connectionCreate>;

/** The reference's ConnectionUpdate: rename, replace variables, reorder credentials or edit their configs. */
export const connectionUpdate = z.object({
  /** Read-only: may be sent back as read; a different value is a 400. */
  id: z.string().optional(),
  name: connectionName,
  credentials: credentialLists(z.object({ id: ulid, authSchemeConfig })).optional(),
  /** Left out: unchanged; `[]` empties them. */
  variables: variables.optional(),
});
export type ConnectionUpdate = z.output<typeof connectionUpdate>;

/** A credential's data as reads show it: secret fields as `""`. */
export const shownCredentialData = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()]));

/** The reference's Credential, as reads show it. */
export const credential = z.object({
  id: z.string(),
  organisationId: z.string(),
  type: credentialType,
  name: z.string(),
  data: shownCredentialData,
  expiresAt: z.iso.datetime().optional(),
});
export type Credential = z.infer<typeof credential>;

export const connectionCredential = z.object({
  id: z.string(),
  authSchemeConfig,
  credential,
});

/** The reference's Connection. */
export const connection = z.object({
  id: z.string(),
  name: z.string(),
  credentials: z.object({ action: z.array(connectionCredential), trigger: z.array(connectionCredential) }),
  variables: z.array(connectionVariable),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Connection = z.infer<typeof connection>;

export const connectionSummary = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const connectionPage = pageInfo.extend({ items: z.array(connectionSummary) });
export type ConnectionPage = z.infer<typeof connectionPage>;

export const connectionListInput = oneDirection(pageQueryFields.extend({ connectorId: ulid }));
export type ConnectionListInput = z.infer<typeof connectionListInput>;
export const connectionGetInput = z.object({ connectorId: ulid, connectionId: ulid });
export type ConnectionGetInput = z.infer<typeof connectionGetInput>;
export const connectionCreateInput = connectionCreate.extend({ connectorId: ulid });
export type ConnectionCreateInput = z.output<typeof connectionCreateInput>;
export const connectionUpdateInput = connectionUpdate.extend({ connectorId: ulid, connectionId: ulid });
export type ConnectionUpdateInput = z.output<typeof connectionUpdateInput>;
