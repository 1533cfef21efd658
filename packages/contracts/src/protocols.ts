import { z } from 'zod';
import { pageInfo } from './page.js';

/** A protocol the API serves connectors over (the reference's `Protocol`). */
export const protocol = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  iconURL: z.string(),
});
export type Protocol = z.infer<typeof protocol>;
export const protocolPage = pageInfo.extend({ protocols: z.array(protocol) });
export type ProtocolPage = z.infer<typeof protocolPage>;

/** The reference's `AuthSchemeType`s; a protocol supports some of them (see `authSchemeCatalog`). */
export const authSchemeTypes = [
  'none',
  'api-key',
  'basic-auth',
  'oauth2',
  'google-service-account',
  'hmac',
  'jwt-bearer',
  'custom-function',
  'certificate',
] as const;

/** An authentication scheme a protocol supports (the reference's `AuthScheme`). */
export const authScheme = z.object({
  id: z.string(),
  type: z.enum(authSchemeTypes),
  name: z.string(),
  description: z.string(),
});
export type AuthScheme = z.infer<typeof authScheme>;
export const authSchemePage = pageInfo.extend({ authSchemes: z.array(authScheme) });
export type AuthSchemePage = z.infer<typeof authSchemePage>;

/**
 * The protocols served, each with the auth schemes its connectors may use. Fixed ids: a protocol
 * and a scheme are the same thing in every organisation and every deployment. Only `http` is
 * served; `bigquery` (in the reference) is not, so it is not listed.
 */
export const protocolCatalog = [
  {
    id: '01JQ0000000000000000HTTP00',
    slug: 'http',
    name: 'HTTP',
    description: 'Calls an external system over HTTP: actions are requests, triggers are webhooks it sends.',
    icon: 'http.svg',
    authSchemes: [
      {
        id: '01JQ000000000000SCHEME0001',
        type: 'none',
        name: 'None',
        description: 'Requests carry no credentials.',
      },
      {
        id: '01JQ000000000000SCHEME0002',
        type: 'api-key',
        name: 'API key',
        description: 'A key sent in a header, a query parameter or a cookie.',
      },
      {
        id: '01JQ000000000000SCHEME0003',
        type: 'basic-auth',
        name: 'Basic authentication',
        description: 'A username and password in the Authorization header (RFC 7617).',
      },
      {
        id: '01JQ000000000000SCHEME0004',
        type: 'oauth2',
        name: 'OAuth 2.0',
        description:
          'Access tokens from an authorization server: authorization code (with PKCE), client credentials or password grant.',
      },
      {
        id: '01JQ000000000000SCHEME0005',
        type: 'hmac',
        name: 'HMAC signature',
        description: 'Each request signed with a shared secret.',
      },
      {
        id: '01JQ000000000000SCHEME0006',
        type: 'certificate',
        name: 'Client certificate',
        description: 'Mutual TLS with a client certificate and its private key (PEM).',
      },
    ],
  },
] as const satisfies readonly {
  id: string;
  slug: string;
  name: string;
  description: string;
  icon: string;
  authSchemes: readonly AuthScheme[];
}[];
