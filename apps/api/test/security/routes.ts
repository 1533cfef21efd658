import { appRouter } from '@connect/router';
import type { AnyTRPCProcedure } from '@trpc/server';
import { createApp } from '../../src/app';

/** The ids a call is made with: organisation `o`, connector `c`, version `v`, API key `k`, connection `n`. */
export interface Ids {
  o: string;
  c: string;
  v: string;
  k: string;
  n: string;
}

/** How to call one REST route: the path under the origin (with any query) and a body, if it takes one. */
export interface RestCall {
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
}

/** How to call one procedure: its input (in the query of a query, in the body of a mutation). */
export interface ProcedureCall {
  input?: (ids: Ids) => unknown;
}

/** One served route or procedure as the security tests call it. */
export interface RouteCase {
  /** `METHOD /path/:param` as Hono serves it, or `tRPC procedure.path`. */
  name: string;
  method: string;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
}

const rest = '/api/connect/v1';
const o = `${rest}/o/:organisation_id`;
const version = `${o}/connectors/:connector_id/versions/:version`;
const at = (ids: Ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/versions/${ids.v}`;

// Bodies that would write something if the caller were let in. The names are those
// `seedChildren` gives a version (action createOrder, trigger orderShipped, definition Error,
// linked by both; Order is deleted rather than Error, which is still referred to).
const operation = (name: string) => ({
  type: 'http',
  name,
  method: 'GET',
  path: '/x',
  parameters: [],
  responses: [{ status: 200, definitions: [{ definition: { name: 'Error' } }] }],
});
const trigger = (name: string) => ({
  type: 'http',
  name,
  method: 'POST',
  parameters: [],
  responses: [{ status: 200 }],
});
const definitions = {
  definitions: [
    {
      name: 'Intruder',
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: '{}' },
    },
  ],
};
const connector = { name: 'intruder', baseUrl: 'https://x.example.com', compatibilityPolicy: 'backward' };
const authSchemeConfig = { id: 'intruder', schemeType: 'api-key', name: 'X-Key', in: 'header' };
const newConnection = {
  name: 'intruder',
  credentials: {
    action: [{ authSchemeConfig, credential: { name: 'k', type: 'string', data: { value: 'intruder' } } }],
  },
  variables: [],
};
const oauth2Initialise = ({ o, n }: Ids) => ({
  credential: { id: n, organisationId: o },
  authorizeUrl: 'https://x.example.com/authorize',
  clientId: 'intruder',
});
// A document to import: small, valid, and written in full when the caller is let in.
const imported = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'intruder', version: 'intruder' },
  servers: [{ url: 'https://x.example.com' }],
  paths: { '/x': { get: { operationId: 'intrude', responses: { '200': { description: 'ok' } } } } },
});
const connectorImport = { format: 'openapi', document: imported };
const versionImport = { format: 'openapi', version: 'intruder', document: imported };
const renamed = { name: 'renamed', baseUrl: 'https://x.example.com', compatibilityPolicy: 'backward' };
// The version's changeable fields; its deprecation takes a published version (`1` is a draft: refused).
const versionChanges = { description: 'changed', deprecationMessage: 'intruder' };
const versionOf = ({ c, v }: Ids) => ({ connectorId: c, version: v });

/**
 * How to call every REST route the Worker serves, keyed as Hono lists it (`METHOD /path/:param`).
 * The keys must be exactly the routes served (less the public ones): `matrix.test.ts` checks it,
 * and the cross-organisation and bad-credential tests call every route through this table.
 */
export const restCalls: Record<string, RestCall> = {
  [`POST ${o}/protocols/http/connectors`]: {
    path: (ids) => `${rest}/o/${ids.o}/protocols/http/connectors`,
    body: () => connector,
  },
  [`POST ${o}/protocols/http/import`]: {
    path: (ids) => `${rest}/o/${ids.o}/protocols/http/import`,
    body: () => connectorImport,
  },
  [`POST ${o}/connector/:connector_id/http/import`]: {
    path: (ids) => `${rest}/o/${ids.o}/connector/${ids.c}/http/import`,
    body: () => versionImport,
  },
  [`GET ${o}/connectors`]: { path: (ids) => `${rest}/o/${ids.o}/connectors` },
  [`GET ${o}/connectors/:connector_id`]: { path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}` },
  [`PUT ${o}/connectors/:connector_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}`,
    body: () => renamed,
  },
  [`DELETE ${o}/connectors/:connector_id`]: { path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}?force=true` },
  [`POST ${o}/connectors/:connector_id/versions`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/versions`,
    body: () => ({ name: 'intruder' }),
  },
  [`GET ${o}/connectors/:connector_id/versions`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/versions?deprecated=false`,
  },
  [`GET ${version}`]: { path: at },
  [`PUT ${version}`]: { path: at, body: () => versionChanges },
  [`DELETE ${version}`]: { path: (ids) => `${at(ids)}?force=true` },
  [`POST ${version}/publish`]: { path: (ids) => `${at(ids)}/publish` },
  [`POST ${version}/unpublish`]: { path: (ids) => `${at(ids)}/unpublish` },
  [`POST ${version}/subscriptions`]: {
    path: (ids) => `${at(ids)}/subscriptions`,
    body: () => ({ subscriber: 'intruder' }),
  },
  [`GET ${version}/subscriptions`]: { path: (ids) => `${at(ids)}/subscriptions` },
  // Any ULID serves as the subscription id: the version around it is not the caller's.
  [`DELETE ${version}/subscriptions/:subscription_id`]: { path: (ids) => `${at(ids)}/subscriptions/${ids.k}` },
  [`GET ${version}/diff/:other`]: { path: (ids) => `${at(ids)}/diff/${ids.v}` },
  [`GET ${version}/openapi.json`]: { path: (ids) => `${at(ids)}/openapi.json` },
  [`GET ${version}/openapi.yaml`]: { path: (ids) => `${at(ids)}/openapi.yaml` },
  [`GET ${version}/actions`]: { path: (ids) => `${at(ids)}/actions` },
  [`POST ${version}/actions`]: { path: (ids) => `${at(ids)}/actions`, body: () => operation('intruder') },
  [`GET ${version}/actions/:action_name`]: { path: (ids) => `${at(ids)}/actions/createOrder` },
  [`PUT ${version}/actions/:action_name`]: {
    path: (ids) => `${at(ids)}/actions/createOrder`,
    body: () => operation('createOrder'),
  },
  [`DELETE ${version}/actions/:action_name`]: { path: (ids) => `${at(ids)}/actions/createOrder` },
  [`GET ${version}/triggers`]: { path: (ids) => `${at(ids)}/triggers` },
  [`POST ${version}/triggers`]: { path: (ids) => `${at(ids)}/triggers`, body: () => trigger('intruder') },
  [`GET ${version}/triggers/:trigger_name`]: { path: (ids) => `${at(ids)}/triggers/orderShipped` },
  [`PUT ${version}/triggers/:trigger_name`]: {
    path: (ids) => `${at(ids)}/triggers/orderShipped`,
    body: () => trigger('orderShipped'),
  },
  [`DELETE ${version}/triggers/:trigger_name`]: { path: (ids) => `${at(ids)}/triggers/orderShipped` },
  [`GET ${version}/definitions`]: { path: (ids) => `${at(ids)}/definitions` },
  [`POST ${version}/definitions`]: { path: (ids) => `${at(ids)}/definitions`, body: () => definitions },
  [`DELETE ${version}/definitions`]: {
    path: (ids) => `${at(ids)}/definitions`,
    body: () => ({ names: ['Order', 'Customer'] }),
  },
  [`GET ${version}/definitions/:definition_name`]: { path: (ids) => `${at(ids)}/definitions/Error` },
  [`PUT ${version}/definitions/:definition_name`]: {
    path: (ids) => `${at(ids)}/definitions/Error`,
    body: () => ({ accept: ['text/plain'] }),
  },
  [`DELETE ${version}/definitions/:definition_name`]: { path: (ids) => `${at(ids)}/definitions/Order` },
  // A definition's raw schema is behind the same authentication as the rest of the REST API
  // (a definition's `url` is followed with the caller's credential), so it is no public route.
  [`GET ${o}/schemas/:connector_id/:version/:schema_filename`]: {
    path: (ids) => `${rest}/o/${ids.o}/schemas/${ids.c}/${ids.v}/${ids.k}.json`,
  },
  [`PUT ${o}/connectors/:connector_id/tags`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/tags`,
    body: () => ({ tags: { intruder: ['yes'] } }),
  },
  [`PUT ${o}/connectors/:connector_id/categories`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/categories`,
    body: () => ({ categories: ['CRM'] }),
  },
  [`GET ${rest}/categories`]: { path: () => `${rest}/categories` },
  // The public library: every caller's; another organisation's connector that is not public is not in it.
  [`GET ${rest}/connectors`]: { path: () => `${rest}/connectors?first=5` },
  [`POST ${version}/library/import`]: { path: (ids) => `${at(ids)}/library/import` },
  [`GET ${o}/protocols`]: { path: (ids) => `${rest}/o/${ids.o}/protocols` },
  [`GET ${o}/protocols/:protocol_slug/upload-url`]: {
    path: (ids) => `${rest}/o/${ids.o}/protocols/http/upload-url?content_type=application/json&content_length=100`,
  },
  [`GET ${o}/protocols/:protocol_slug/auth-schemes`]: {
    path: (ids) => `${rest}/o/${ids.o}/protocols/http/auth-schemes`,
  },
  [`PUT ${o}/connectors/:connector_id/auth-scheme-configs/:auth_scheme_config_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/auth-scheme-configs/intruder`,
    body: () => authSchemeConfig,
  },
  [`DELETE ${o}/connectors/:connector_id/auth-scheme-configs/:auth_scheme_config_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/auth-scheme-configs/key`,
  },
  [`GET ${o}/connectors/:connector_id/connections`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections`,
  },
  [`POST ${o}/connectors/:connector_id/connections`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections`,
    body: () => newConnection,
  },
  [`GET ${o}/connectors/:connector_id/connections/:connection_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections/${ids.n}`,
  },
  [`PUT ${o}/connectors/:connector_id/connections/:connection_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections/${ids.n}`,
    body: () => ({ name: 'renamed' }),
  },
  [`DELETE ${o}/connectors/:connector_id/connections/:connection_id`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections/${ids.n}`,
  },
  // The seeded connection's id names no credential (404 after the keyed statement), so a retry
  // with the same Idempotency-Key has a stored answer to replay.
  [`POST ${o}/connectors/:connector_id/oauth2/initialise`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/oauth2/initialise`,
    body: (ids) => oauth2Initialise(ids),
  },
  // The seeded connection has no OAuth 2.0 credential: 412, and nothing asks a provider.
  [`POST ${o}/connectors/:connector_id/connections/:connection_id/oauth2/refresh`]: {
    path: (ids) => `${rest}/o/${ids.o}/connectors/${ids.c}/connections/${ids.n}/oauth2/refresh`,
  },
  [`POST ${o}/api-keys`]: { path: (ids) => `${rest}/o/${ids.o}/api-keys`, body: () => ({ name: 'intruder' }) },
  [`GET ${o}/api-keys`]: { path: (ids) => `${rest}/o/${ids.o}/api-keys` },
  [`DELETE ${o}/api-keys/:key_id`]: { path: (ids) => `${rest}/o/${ids.o}/api-keys/${ids.k}` },
};

/**
 * How to call every procedure of the tRPC router, keyed by its path. As with `restCalls`, the
 * keys must be exactly the router's procedures; a query is a GET, a mutation a POST.
 */
export const procedureCalls: Record<string, ProcedureCall> = {
  'connectors.create': { input: () => connector },
  'connectors.import': { input: () => connectorImport },
  'connectors.list': { input: () => ({}) },
  'connectors.get': { input: ({ c }) => ({ connectorId: c }) },
  'connectors.getTagged': { input: ({ c }) => ({ connectorId: c }) },
  'connectors.update': { input: ({ c }) => ({ connectorId: c, ...renamed }) },
  'connectors.delete': { input: ({ c }) => ({ connectorId: c, force: true }) },
  'connectorVersions.create': { input: ({ c }) => ({ connectorId: c, name: 'intruder' }) },
  'connectorVersions.import': { input: ({ c }) => ({ connectorId: c, ...versionImport }) },
  'connectorVersions.list': { input: ({ c }) => ({ connectorId: c, deprecated: false }) },
  'connectorVersions.get': { input: versionOf },
  'connectorVersions.getTagged': { input: versionOf },
  'connectorVersions.update': { input: (ids) => ({ ...versionOf(ids), ...versionChanges }) },
  'connectorVersions.delete': { input: (ids) => ({ ...versionOf(ids), force: true }) },
  'connectorVersions.publish': { input: versionOf },
  'connectorVersions.unpublish': { input: versionOf },
  'actions.list': { input: versionOf },
  'actions.get': { input: (ids) => ({ ...versionOf(ids), actionName: 'createOrder' }) },
  'actions.getTagged': { input: (ids) => ({ ...versionOf(ids), actionName: 'createOrder' }) },
  'actions.create': { input: (ids) => ({ ...versionOf(ids), ...operation('intruder') }) },
  'actions.update': { input: (ids) => ({ ...versionOf(ids), actionName: 'createOrder', ...operation('createOrder') }) },
  'actions.delete': { input: (ids) => ({ ...versionOf(ids), actionName: 'createOrder' }) },
  'triggers.list': { input: versionOf },
  'triggers.get': { input: (ids) => ({ ...versionOf(ids), triggerName: 'orderShipped' }) },
  'triggers.getTagged': { input: (ids) => ({ ...versionOf(ids), triggerName: 'orderShipped' }) },
  'triggers.create': { input: (ids) => ({ ...versionOf(ids), ...trigger('intruder') }) },
  'triggers.update': {
    input: (ids) => ({ ...versionOf(ids), triggerName: 'orderShipped', ...trigger('orderShipped') }),
  },
  'triggers.delete': { input: (ids) => ({ ...versionOf(ids), triggerName: 'orderShipped' }) },
  'definitions.list': { input: versionOf },
  'definitions.get': { input: (ids) => ({ ...versionOf(ids), definitionName: 'Error' }) },
  'definitions.getTagged': { input: (ids) => ({ ...versionOf(ids), definitionName: 'Error' }) },
  'definitions.create': { input: (ids) => ({ ...versionOf(ids), ...definitions }) },
  'definitions.update': { input: (ids) => ({ ...versionOf(ids), definitionName: 'Error', accept: ['text/plain'] }) },
  'definitions.delete': { input: (ids) => ({ ...versionOf(ids), definitionName: 'Order' }) },
  'definitions.deleteMany': { input: (ids) => ({ ...versionOf(ids), all: true }) },
  'connectors.updateTags': { input: ({ c }) => ({ connectorId: c, tags: { intruder: ['yes'] } }) },
  'connectors.updateCategories': { input: ({ c }) => ({ connectorId: c, categories: ['CRM'] }) },
  'catalog.categories': {},
  'library.list': { input: () => ({ first: 5 }) },
  'library.importVersion': { input: versionOf },
  'catalog.protocols': { input: () => ({ first: 5 }) },
  'catalog.authSchemes': { input: () => ({ protocolSlug: 'http' }) },
  'catalog.uploadUrl': { input: () => ({ protocolSlug: 'http', contentType: 'application/json', contentLength: 100 }) },
  'authSchemeConfigs.upsert': {
    input: ({ c }) => ({ connectorId: c, authSchemeConfigId: 'intruder', authSchemeConfig }),
  },
  'authSchemeConfigs.delete': { input: ({ c }) => ({ connectorId: c, authSchemeConfigId: 'key' }) },
  'connections.list': { input: ({ c }) => ({ connectorId: c }) },
  'connections.get': { input: ({ c, n }) => ({ connectorId: c, connectionId: n }) },
  'connections.getTagged': { input: ({ c, n }) => ({ connectorId: c, connectionId: n }) },
  'connections.create': { input: ({ c }) => ({ connectorId: c, ...newConnection }) },
  'connections.update': { input: ({ c, n }) => ({ connectorId: c, connectionId: n, name: 'renamed' }) },
  'connections.delete': { input: ({ c, n }) => ({ connectorId: c, connectionId: n }) },
  'oauth2.initialise': { input: (ids) => ({ connectorId: ids.c, ...oauth2Initialise(ids) }) },
  'oauth2.refresh': { input: ({ c, n }) => ({ connectorId: c, connectionId: n }) },
  'subscriptions.create': { input: (ids) => ({ ...versionOf(ids), subscriber: 'intruder' }) },
  'subscriptions.list': { input: versionOf },
  'subscriptions.delete': { input: (ids) => ({ ...versionOf(ids), subscriptionId: ids.k }) },
  'versionDiffs.get': { input: ({ c, v }) => ({ connectorId: c, from: v, to: v }) },
  'versionDiffs.publishCheck': { input: versionOf },
  'versionExports.get': { input: versionOf },
  'apiKeys.create': { input: () => ({ name: 'intruder' }) },
  'apiKeys.list': { input: () => ({ first: 5 }) },
  'apiKeys.revoke': { input: ({ k }) => ({ id: k }) },
};

/**
 * Routes served to anyone, with why. Each is checked to answer without a credential; anything
 * served that is neither here nor in `restCalls` fails `matrix.test.ts`.
 */
export const publicRoutes: Record<string, string> = {
  'GET /health': 'the liveness probe of load balancers and uptime checks; it reads nothing',
  'GET /': 'a redirect to the API reference, for people who open the address in a browser',
  'GET /docs': 'the API reference page: it renders the public OpenAPI document and holds no data',
  [`GET ${rest}/openapi.json`]: 'client generators fetch the API description unauthenticated; it holds no data',
  [`GET ${rest}/oauth2/callback`]:
    "the OAuth 2.0 redirect: the user's browser brings the provider's answer without our credential; the signed, single-use state authorises it",
  [`PUT ${rest}/uploads/:upload_id`]:
    'the upload of a document to import: any HTTP client sends the file without our credential; the signed, expiring, single-use query of GetProtocolUploadURL authorises it',
};

/** What a public route answers when called bare (without its query), where that is not 200. */
export const bareCallStatus: Record<string, number> = {
  [`GET ${rest}/oauth2/callback`]: 400,
  // Without its signed query an upload is forbidden.
  [`PUT ${rest}/uploads/:upload_id`]: 403,
};

/**
 * CORS preflights (OPTIONS, on every path) are public too: the CORS middleware answers them
 * before authentication, since browsers send them without the credential. They carry only the
 * CORS policy, never data; `matrix.test.ts` checks every route's preflight.
 */
export const preflightsArePublic = 'browsers send preflights without credentials; they return only the CORS policy';

/**
 * Hono's `ALL` entries that are no route of their own: middleware, and the tRPC server (whose
 * procedures are enumerated from the router). Every other `ALL` entry must be the 405 of a served path.
 */
export const mounts: Record<string, string> = {
  '/*': 'CORS (answers preflights) and the request body size limit',
  [`${rest}/*`]: 'authentication of every REST call',
  [`${o}/*`]: 'the organisation in the path must be the caller’s',
  '/trpc/*': 'the tRPC server',
};

/** What the Worker serves, from its own tables: Hono's routes and the tRPC router's procedures. */
export function served() {
  const table = createApp().routes;
  // tRPC keeps procedures both as a nested record and as this flat map by dotted path, which is
  // what the HTTP handler resolves a path in; its type claims the nested shape, hence the cast
  // (were that ever to change, the keys here would stop matching procedureCalls and say so).
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
  return {
    routes: table.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    all: [...new Set(table.filter((r) => r.method === 'ALL').map((r) => r.path))],
    procedures: Object.entries(procedures).map(([path, procedure]) => ({ path, type: procedure._def.type })),
  };
}

const trpcInput = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;

/** A case for something served that `restCalls` or `procedureCalls` does not say how to call: it fails when run. */
function uncallable(name: string, method: string, table: string): RouteCase {
  const fail = (): never => {
    throw new Error(`${name} is served but has no entry in ${table} (test/security/routes.ts): add how to call it`);
  };
  return { name, method, path: fail };
}

/**
 * Every route and procedure served but the public routes, each with how to call it. The
 * cross-organisation and bad-credential tests both run every case, so a route covered by one is
 * covered by the other, and a route served without an entry in the tables fails both.
 */
export function routeCases(): RouteCase[] {
  const { routes, procedures } = served();
  const restCases = routes
    .filter((key) => !(key in publicRoutes))
    .map((key): RouteCase => {
      const method = key.slice(0, key.indexOf(' '));
      const call = restCalls[key];
      if (!call) return uncallable(key, method, 'restCalls');
      return { name: key, method, path: call.path, ...(call.body ? { body: call.body } : {}) };
    });
  const procedureCases = procedures.map(({ path, type }): RouteCase => {
    const name = `tRPC ${path}`;
    const call = procedureCalls[path];
    if (!call) return uncallable(name, type === 'mutation' ? 'POST' : 'GET', 'procedureCalls');
    const input = call.input;
    if (type === 'mutation') {
      return { name, method: 'POST', path: () => `/trpc/${path}`, ...(input ? { body: input } : {}) };
    }
    return { name, method: 'GET', path: (ids) => `/trpc/${path}${input ? trpcInput(input(ids)) : ''}` };
  });
  return [...restCases, ...procedureCases];
}

export const routes: RouteCase[] = routeCases();

/**
 * The cases as `it.each` rows of [name, case], for titles with `%s`: `$name` would cut a REST
 * route's name to 40 characters, leaving many cases with the same title.
 */
export const namedRoutes: [string, RouteCase][] = routes.map((route) => [route.name, route]);
