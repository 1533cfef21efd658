import { describe, expect, it } from 'vitest';
import { mapped, openapi30, openapi31 } from './mapped.js';

describe('securitySchemes → auth scheme configs', () => {
  it('maps API keys, basic auth, mutual TLS and OAuth 2.0 flows with grants', () => {
    const mapping = mapped(
      openapi31({
        servers: [{ url: 'https://api.example.com/v1' }],
        components: {
          securitySchemes: {
            'api key': { type: 'apiKey', name: 'X-Api-Key', in: 'header', description: 'Your key' },
            basic: { type: 'http', scheme: 'Basic' },
            tls: { type: 'mutualTLS' },
            oauth: {
              type: 'oauth2',
              flows: {
                authorizationCode: {
                  authorizationUrl: 'https://example.com/authorize',
                  tokenUrl: '/oauth/token',
                  scopes: { 'orders:read': 'Read orders' },
                },
                clientCredentials: { tokenUrl: 'https://example.com/token', scopes: {} },
                implicit: { authorizationUrl: 'https://example.com/authorize', scopes: {} },
              },
            },
          },
        },
      }),
    );
    expect(mapping.authSchemeConfigs).toEqual([
      { id: 'api_key', description: 'Your key', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' },
      { id: 'basic', description: '', schemeType: 'basic-auth' },
      { id: 'tls', description: '', schemeType: 'certificate' },
      {
        id: 'oauth_authorizationCode',
        description: '',
        schemeType: 'oauth2',
        authorizeUrl: 'https://example.com/authorize',
        tokenUrl: 'https://api.example.com/oauth/token',
        scopes: [{ name: 'orders:read', description: 'Read orders' }],
        defaultScopes: [],
        pkce: true,
        grant: { grantType: 'authorization_code' },
      },
      {
        id: 'oauth_clientCredentials',
        description: '',
        schemeType: 'oauth2',
        authorizeUrl: 'https://example.com/token',
        tokenUrl: 'https://example.com/token',
        scopes: [],
        defaultScopes: [],
        pkce: true,
        grant: { grantType: 'client_credentials' },
      },
    ]);
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/components/securitySchemes/oauth/flows/implicit',
        reason: 'the implicit flow has no grant among authorization_code, client_credentials and password',
      },
    ]);
  });

  it('reports schemes the configs cannot express, and configs the contracts refuse', () => {
    const mapping = mapped(
      openapi30({
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://example.com/.well-known/openid-configuration' },
            spaced: { type: 'apiKey', name: 'Api Key', in: 'header' },
          },
        },
      }),
    );
    expect(mapping.authSchemeConfigs).toEqual([]);
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/components/securitySchemes/bearer',
        reason: 'the HTTP bearer scheme has no auth scheme config type',
      },
      {
        pointer: '/components/securitySchemes/oidc',
        reason: 'the openIdConnect scheme has no auth scheme config type',
      },
      {
        pointer: '/components/securitySchemes/spaced',
        reason: 'is not a valid auth scheme config: name must be 1 to 256 characters of an HTTP token (no spaces)',
      },
    ]);
  });
});

describe('servers → baseUrl', () => {
  it('takes the first server, its variables replaced by their defaults, and reports the others', () => {
    const mapping = mapped(
      openapi30({
        servers: [
          { url: 'https://{region}.example.com/v1', variables: { region: { default: 'eu', enum: ['eu', 'us'] } } },
          { url: 'https://sandbox.example.com/v1' },
        ],
      }),
    );
    expect(mapping.baseUrl).toBe('https://eu.example.com/v1');
    expect(mapping.unmapped).toEqual([{ pointer: '/servers/1', reason: 'only the first server becomes the base URL' }]);
  });

  it('leaves baseUrl out without servers', () => {
    expect(mapped(openapi30({}))).not.toHaveProperty('baseUrl');
  });
});
