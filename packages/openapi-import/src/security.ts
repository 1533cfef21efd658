import { authSchemeConfig, type AuthSchemeConfig } from '@connect/contracts';
import { isObject, pointer, storable, type Json } from './json.js';
import { NameAllocator } from './names.js';
import type { UnmappedList } from './result.js';

const maxConfigs = 20;
// The OAuth 2.0 flows the contracts' grants express; `implicit` has no grant (and is deprecated).
const grants: Record<string, 'authorization_code' | 'client_credentials' | 'password'> = {
  authorizationCode: 'authorization_code',
  clientCredentials: 'client_credentials',
  password: 'password',
};

/** An OAuth URL as an absolute one: OpenAPI lets them be relative to the server. */
function absolute(url: unknown, baseUrl: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url, baseUrl).href;
  } catch {
    return undefined;
  }
}

function oauthConfigs(
  id: (wanted: string) => string,
  key: string,
  scheme: Json,
  at: string,
  baseUrl: string | undefined,
  unmapped: UnmappedList,
) {
  const flows = isObject(scheme.flows) ? scheme.flows : {};
  const configs: { at: string; config: unknown }[] = [];
  const several = Object.keys(flows).length > 1;
  for (const [flow, raw] of Object.entries(flows)) {
    const here = `${at}/flows${pointer(flow)}`;
    const grantType = grants[flow];
    if (grantType === undefined || !isObject(raw)) {
      unmapped.add(here, `the ${flow} flow has no grant among authorization_code, client_credentials and password`);
      continue;
    }
    const tokenUrl = absolute(raw.tokenUrl, baseUrl);
    // Only the authorization-code flow has an authorization endpoint; the config's field is
    // required, so the other grants carry the token URL there.
    const authorizeUrl = grantType === 'authorization_code' ? absolute(raw.authorizationUrl, baseUrl) : tokenUrl;
    if (typeof raw.refreshUrl === 'string' && absolute(raw.refreshUrl, baseUrl) !== tokenUrl) {
      unmapped.add(`${here}/refreshUrl`, 'a refresh URL other than the token URL is not expressible');
    }
    const scopes = Object.entries(isObject(raw.scopes) ? raw.scopes : {}).map(([name, description]) => ({
      name,
      ...(typeof description === 'string' && description !== ''
        ? { description: storable(description, 2000).text }
        : {}),
    }));
    configs.push({
      at: here,
      config: {
        id: id(several ? `${key}_${flow}` : key),
        description: typeof scheme.description === 'string' ? storable(scheme.description, 2000).text : '',
        schemeType: 'oauth2',
        authorizeUrl,
        tokenUrl,
        scopes,
        defaultScopes: [],
        pkce: true,
        grant: { grantType },
      },
    });
  }
  return configs;
}

/**
 * `components.securitySchemes` → auth scheme configs, ids after the scheme names: apiKey →
 * api-key, http basic → basic-auth, mutualTLS → certificate, each OAuth 2.0 flow with a grant →
 * oauth2. Other schemes (http bearer and other HTTP schemes, openIdConnect) are reported.
 */
export function mapSecuritySchemes(
  document: Json,
  baseUrl: string | undefined,
  unmapped: UnmappedList,
): AuthSchemeConfig[] {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const ids = new NameAllocator(/[^A-Za-z0-9_-]+/g, 64, 'auth');
  const found: { at: string; config: unknown }[] = [];
  for (const [key, raw] of Object.entries(schemes)) {
    const at = pointer('components', 'securitySchemes', key);
    if (!isObject(raw)) {
      unmapped.add(at, 'is not a security scheme object');
      continue;
    }
    const description = typeof raw.description === 'string' ? storable(raw.description, 2000).text : '';
    const base = { description };
    if (raw.type === 'apiKey') {
      found.push({ at, config: { ...base, id: ids.claim(key), schemeType: 'api-key', name: raw.name, in: raw.in } });
    } else if (raw.type === 'http' && typeof raw.scheme === 'string' && raw.scheme.toLowerCase() === 'basic') {
      found.push({ at, config: { ...base, id: ids.claim(key), schemeType: 'basic-auth' } });
    } else if (raw.type === 'mutualTLS') {
      found.push({ at, config: { ...base, id: ids.claim(key), schemeType: 'certificate' } });
    } else if (raw.type === 'oauth2') {
      found.push(...oauthConfigs((wanted) => ids.claim(wanted), key, raw, at, baseUrl, unmapped));
    } else {
      const what = raw.type === 'http' ? `the HTTP ${String(raw.scheme)} scheme` : `the ${String(raw.type)} scheme`;
      unmapped.add(at, `${what} has no auth scheme config type`);
    }
  }
  const configs: AuthSchemeConfig[] = [];
  for (const { at, config } of found) {
    const parsed = authSchemeConfig.safeParse(config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      unmapped.add(
        at,
        `is not a valid auth scheme config: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      );
    } else if (configs.length === maxConfigs) {
      unmapped.add(at, `over the ${String(maxConfigs)} auth scheme configs a connector may have`);
    } else {
      configs.push(parsed.data);
    }
  }
  return configs;
}
