import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText, ulid } from './names.js';
import { oauth2EndpointUrl } from './oauth2-url.js';

const scopeToken = storableText(
  z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/, 'must be an OAuth 2.0 scope token'),
);

/**
 * The authorize parameters this API sets itself: `additionalParams` may not name them (the
 * reference: "these cannot conflict with any of the other parameters").
 */
export const reservedAuthorizeParams = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'prompt',
  'code_challenge',
  'code_challenge_method',
] as const;

/** The reference's InitialiseOAuth2ConnectionRequest. */
export const oauth2Initialise = z.object({
  /** The connection's `oauth2-client` credential: it holds the client secret the code is exchanged with. */
  credential: z.object({ id: ulid, organisationId: ulid }, { error: 'must be an object with id and organisationId' }),
  authorizeUrl: oauth2EndpointUrl,
  clientId: storableText(z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty').max(1024)),
  scopes: z.array(scopeToken).max(200, 'must have at most 200 scopes').optional(),
  disableOfflineAccess: z.boolean().default(false),
  prompt: storableText(
    z.string().regex(/^[A-Za-z_+ ]{1,128}$/, 'must be prompt values such as login, consent or consent+select_account'),
  ).optional(),
  additionalParams: storableText(
    z
      .string()
      .max(limitTable.urlLength.default)
      .regex(/^[A-Za-z0-9\-._~%!$'()*+,;=:@/?&]*$/, 'must be a URL-encoded query string such as a=1&b=2'),
  ).default(''),
});
export type OAuth2Initialise = z.output<typeof oauth2Initialise>;

export const oauth2InitialiseInput = oauth2Initialise.extend({ connectorId: ulid });
export type OAuth2InitialiseInput = z.output<typeof oauth2InitialiseInput>;

/** The reference's InitialiseOAuth2ConnectionResponse: where to send the user. */
export const oauth2InitialiseResponse = z.object({ url: z.string() });
export type OAuth2InitialiseResponse = z.infer<typeof oauth2InitialiseResponse>;

/**
 * What the provider sends back to the redirect endpoint (RFC 6749 §4.1.2): a code and the state,
 * or an error and the state. Checked by hand, so each refusal names its parameter.
 */
export const oauth2CallbackQuery = z.object({
  state: z.string().optional(),
  code: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});
export type OAuth2CallbackQuery = z.infer<typeof oauth2CallbackQuery>;

/** What the redirect endpoint answers once the tokens are stored: which credential holds them. */
export const oauth2CallbackResult = z.object({
  connectorId: z.string(),
  connectionId: z.string(),
  credentialId: z.string(),
  expiresAt: z.iso.datetime().optional(),
});
export type OAuth2CallbackResult = z.infer<typeof oauth2CallbackResult>;

/** RefreshOAuth2Connection: the connection whose OAuth 2.0 tokens are renewed now. */
export const oauth2RefreshInput = z.object({ connectorId: ulid, connectionId: ulid });
export type OAuth2RefreshInput = z.infer<typeof oauth2RefreshInput>;
