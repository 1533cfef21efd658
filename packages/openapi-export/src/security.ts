import type { AuthSchemeConfig } from '@connect/contracts';
import type { JsonObject, Unexported } from './input.js';

type OAuth2 = Extract<AuthSchemeConfig, { schemeType: 'oauth2' }>;

const flowNames = {
  authorization_code: 'authorizationCode',
  client_credentials: 'clientCredentials',
  password: 'password',
} as const;

function oauth2Flow(config: OAuth2): JsonObject {
  const scopes = Object.fromEntries(config.scopes.map((scope) => [scope.name, scope.description ?? '']));
  const flow: JsonObject = { tokenUrl: config.tokenUrl, scopes };
  if (config.grant.grantType === 'authorization_code') flow.authorizationUrl = config.authorizeUrl;
  return { [flowNames[config.grant.grantType]]: flow };
}

/** The OpenAPI security scheme of a config, or why it has none. */
function schemeOf(config: AuthSchemeConfig): JsonObject | string {
  switch (config.schemeType) {
    case 'api-key':
      return { type: 'apiKey', name: config.name, in: config.in };
    case 'basic-auth':
      return { type: 'http', scheme: 'basic' };
    case 'certificate':
      return { type: 'mutualTLS' };
    case 'oauth2':
      return { type: 'oauth2', flows: oauth2Flow(config) };
    case 'hmac':
      return 'OpenAPI has no security scheme for an HMAC signature';
    case 'none':
      return 'a config without authentication is no security scheme';
  }
}

/**
 * `components.securitySchemes`: each auth scheme config under its id, the whole config beside it
 * as `x-connect-auth-scheme-config` (PKCE, default scopes, token endpoint authentication and the
 * other fields OpenAPI has no place for). `none` and `hmac` configs have no OpenAPI scheme and are
 * listed in `x-connect-unexported`, with their config.
 */
export function securitySchemesOf(configs: AuthSchemeConfig[], unexported: Unexported[]): JsonObject {
  const schemes: JsonObject = {};
  for (const config of configs) {
    const scheme = schemeOf(config);
    if (typeof scheme === 'string') {
      unexported.push({ kind: 'authSchemeConfig', name: config.id, reason: scheme });
      continue;
    }
    schemes[config.id] = {
      ...scheme,
      ...(config.description === '' ? {} : { description: config.description }),
      'x-connect-auth-scheme-config': config,
    };
  }
  return schemes;
}
