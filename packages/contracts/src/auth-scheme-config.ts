import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText, ulid } from './names.js';
import { oauth2EndpointUrl } from './oauth2-url.js';

/**
 * An auth scheme config's id: chosen by the client (the reference's UpsertAuthSchemeConfig), unique
 * within its connector. Bounded and URL-safe, as it travels in a path.
 */
export const authSchemeConfigId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -');

const description = storableText(z.string().max(2000, 'must be at most 2000 characters'));

/** A header, query parameter or cookie name: an HTTP token (RFC 9110), so it can be sent as given. */
const parameterName = z
  .string({ error: 'must be a string' })
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, 'must be 1 to 256 characters of an HTTP token (no spaces)');

/** A URL-encoded query string (`a=1&b=2`), as the reference's additional parameters are. */
const formEncoded = storableText(
  z
    .string()
    .max(limitTable.urlLength.default)
    .regex(/^[A-Za-z0-9\-._~%!$'()*+,;=:@/?&]*$/, 'must be a URL-encoded query string such as a=1&b=2'),
);

const scopeName = storableText(
  z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/, 'must be an OAuth 2.0 scope token'),
);

/** Fields every scheme has. `validationMessages` is the server's to write: ignored when sent. */
const base = {
  id: authSchemeConfigId,
  description: description.default(''),
};

export const authSchemeConfigNone = z.object({ ...base, schemeType: z.literal('none') });

export const authSchemeConfigApiKey = z.object({
  ...base,
  schemeType: z.literal('api-key'),
  name: parameterName,
  in: z.enum(['header', 'query', 'cookie'], { error: 'must be header, query or cookie' }),
});

export const authSchemeConfigBasicAuth = z.object({ ...base, schemeType: z.literal('basic-auth') });

/**
 * The client of an authorization-code or password grant. Only its id is configuration: a client
 * secret is a credential and lives, encrypted, in a connection's `oauth2-client` credential, so
 * a connector (readable by anyone in the organisation, and copied into every connection) never
 * holds one. `credentialId`/`organisationId` are the reference's links to such a credential.
 */
const grantClient = {
  credentialId: ulid.optional(),
  organisationId: ulid.optional(),
  clientId: storableText(z.string().min(1, 'must not be empty').max(1024)).optional(),
  clientSecret: z
    .never({ error: "is a secret: send it in a connection's oauth2-client credential, not in the connector" })
    .optional(),
};

export const oauth2Grant = z.discriminatedUnion(
  'grantType',
  [
    z.object({ grantType: z.literal('authorization_code'), ...grantClient }),
    z.object({ grantType: z.literal('client_credentials') }),
    z.object({ grantType: z.literal('password'), ...grantClient }),
  ],
  { error: 'grantType must be authorization_code, client_credentials or password' },
);

export const authSchemeConfigOAuth2 = z.object({
  ...base,
  schemeType: z.literal('oauth2'),
  authorizeUrl: oauth2EndpointUrl,
  tokenUrl: oauth2EndpointUrl,
  scopes: z
    .array(z.object({ name: scopeName, description: description.optional() }))
    .max(200, 'must have at most 200 scopes'),
  defaultScopes: z.array(scopeName).max(200, 'must have at most 200 scopes'),
  additionalAuthorizeParams: formEncoded.optional(),
  additionalTokenParams: formEncoded.optional(),
  /**
   * Not in the reference: whether the authorization-code flow sends a PKCE S256 challenge. On
   * unless a provider is known to refuse it.
   */
  pkce: z.boolean().default(true),
  /**
   * Not in the reference: how the client authenticates to the token endpoint (RFC 6749 §2.3.1):
   * HTTP Basic (`client_secret_basic`, the default, which every provider must accept) or the
   * client id and secret in the form body (`client_secret_post`).
   */
  tokenAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post'], { error: 'must be client_secret_basic or client_secret_post' })
    .optional(),
  mtlsEnabled: z.boolean().optional(),
  mtlsCredentialId: ulid.optional(),
  grant: oauth2Grant,
});

export const authSchemeConfigHmac = z.object({
  ...base,
  schemeType: z.literal('hmac'),
  name: parameterName,
  in: z.enum(['header', 'query', 'cookie'], { error: 'must be header, query or cookie' }),
  algorithm: z.enum(['sha1', 'sha256', 'sha512'], { error: 'must be sha1, sha256 or sha512' }),
  digestInputs: z
    .array(z.enum(['body', 'url'], { error: 'must be body or url' }))
    .min(1, 'must name at least one input')
    .max(2)
    .refine((inputs) => new Set(inputs).size === inputs.length, 'must not repeat an input'),
});

export const authSchemeConfigCertificate = z.object({ ...base, schemeType: z.literal('certificate') });

/** How a connector authenticates to its API: one of the reference's six scheme types. */
export const authSchemeConfig = z.discriminatedUnion(
  'schemeType',
  [
    authSchemeConfigNone,
    authSchemeConfigApiKey,
    authSchemeConfigBasicAuth,
    authSchemeConfigOAuth2,
    authSchemeConfigHmac,
    authSchemeConfigCertificate,
  ],
  { error: 'schemeType must be none, api-key, basic-auth, oauth2, hmac or certificate' },
);
export type AuthSchemeConfig = z.infer<typeof authSchemeConfig>;
export type AuthSchemeType = AuthSchemeConfig['schemeType'];

const maxConfigs = limitTable.authSchemeConfigsPerConnector.default;

/** A connector's list of configs: bounded, ids unique within it. */
export const authSchemeConfigList = z
  .array(authSchemeConfig)
  .max(maxConfigs, `must have at most ${String(maxConfigs)} auth scheme configs`)
  .superRefine((configs, ctx) => {
    const seen = new Set<string>();
    configs.forEach((config, index) => {
      if (seen.has(config.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'is used by another auth scheme config' });
      }
      seen.add(config.id);
    });
  });

/** UpsertAuthSchemeConfig: the path names the config; a body `id`, if sent, must agree. */
export const authSchemeConfigUpsertInput = z.object({
  connectorId: ulid,
  authSchemeConfigId,
  authSchemeConfig,
});
export type AuthSchemeConfigUpsertInput = z.infer<typeof authSchemeConfigUpsertInput>;

export const authSchemeConfigDeleteInput = z.object({ connectorId: ulid, authSchemeConfigId });
export type AuthSchemeConfigDeleteInput = z.infer<typeof authSchemeConfigDeleteInput>;
