/** Every route of the Worker, with a body that would write something if the caller were let in. */
export interface RouteCase {
  name: string;
  method: string;
  /** A path under the origin, for organisation `o` and connector `c` (and version `v`, key `k`). */
  path: (ids: { o: string; c: string; v: string; k: string }) => string;
  body?: (ids: { o: string; c: string; v: string; k: string }) => unknown;
}

const rest = '/api/connect/v1';
const trpcInput = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;

type Ids = { o: string; c: string; v: string; k: string };

/**
 * The routes of a version's children. The names are those `seedChildren` gives a version
 * (action createOrder, trigger orderShipped, definition Error, linked by both).
 */
function childRoutes(): RouteCase[] {
  const at = ({ o, c, v }: Ids) => `${rest}/o/${o}/connectors/${c}/versions/${v}`;
  const version = ({ c, v }: Ids) => ({ connectorId: c, version: v });
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
  const list = (ids: Ids) => trpcInput(version(ids));
  return [
    { name: 'REST list actions', method: 'GET', path: (ids) => `${at(ids)}/actions` },
    {
      name: 'REST create action',
      method: 'POST',
      path: (ids) => `${at(ids)}/actions`,
      body: () => operation('intruder'),
    },
    { name: 'REST get action', method: 'GET', path: (ids) => `${at(ids)}/actions/createOrder` },
    {
      name: 'REST update action',
      method: 'PUT',
      path: (ids) => `${at(ids)}/actions/createOrder`,
      body: () => operation('createOrder'),
    },
    { name: 'REST delete action', method: 'DELETE', path: (ids) => `${at(ids)}/actions/createOrder` },
    { name: 'REST list triggers', method: 'GET', path: (ids) => `${at(ids)}/triggers` },
    {
      name: 'REST create trigger',
      method: 'POST',
      path: (ids) => `${at(ids)}/triggers`,
      body: () => trigger('intruder'),
    },
    { name: 'REST get trigger', method: 'GET', path: (ids) => `${at(ids)}/triggers/orderShipped` },
    {
      name: 'REST update trigger',
      method: 'PUT',
      path: (ids) => `${at(ids)}/triggers/orderShipped`,
      body: () => trigger('orderShipped'),
    },
    { name: 'REST delete trigger', method: 'DELETE', path: (ids) => `${at(ids)}/triggers/orderShipped` },
    { name: 'REST list definitions', method: 'GET', path: (ids) => `${at(ids)}/definitions` },
    {
      name: 'REST create definitions',
      method: 'POST',
      path: (ids) => `${at(ids)}/definitions`,
      body: () => definitions,
    },
    {
      name: 'REST delete definitions',
      method: 'DELETE',
      path: (ids) => `${at(ids)}/definitions`,
      body: () => ({ names: ['Order', 'Customer'] }),
    },
    { name: 'REST get definition', method: 'GET', path: (ids) => `${at(ids)}/definitions/Error` },
    {
      name: 'REST update definition',
      method: 'PUT',
      path: (ids) => `${at(ids)}/definitions/Error`,
      body: () => ({ accept: ['text/plain'] }),
    },
    { name: 'REST delete definition', method: 'DELETE', path: (ids) => `${at(ids)}/definitions/Order` },
    {
      name: 'REST get raw schema',
      method: 'GET',
      path: ({ o, c, v, k }) => `${rest}/o/${o}/schemas/${c}/${v}/${k}.json`,
    },
    { name: 'tRPC actions.list', method: 'GET', path: (ids) => `/trpc/actions.list${list(ids)}` },
    {
      name: 'tRPC actions.create',
      method: 'POST',
      path: () => '/trpc/actions.create',
      body: (ids) => ({ ...version(ids), ...operation('intruder') }),
    },
    {
      name: 'tRPC actions.get',
      method: 'GET',
      path: (ids) => `/trpc/actions.get${trpcInput({ ...version(ids), actionName: 'createOrder' })}`,
    },
    {
      name: 'tRPC actions.update',
      method: 'POST',
      path: () => '/trpc/actions.update',
      body: (ids) => ({ ...version(ids), actionName: 'createOrder', ...operation('createOrder') }),
    },
    {
      name: 'tRPC actions.delete',
      method: 'POST',
      path: () => '/trpc/actions.delete',
      body: (ids) => ({ ...version(ids), actionName: 'createOrder' }),
    },
    { name: 'tRPC triggers.list', method: 'GET', path: (ids) => `/trpc/triggers.list${list(ids)}` },
    {
      name: 'tRPC triggers.create',
      method: 'POST',
      path: () => '/trpc/triggers.create',
      body: (ids) => ({ ...version(ids), ...trigger('intruder') }),
    },
    {
      name: 'tRPC triggers.get',
      method: 'GET',
      path: (ids) => `/trpc/triggers.get${trpcInput({ ...version(ids), triggerName: 'orderShipped' })}`,
    },
    {
      name: 'tRPC triggers.update',
      method: 'POST',
      path: () => '/trpc/triggers.update',
      body: (ids) => ({ ...version(ids), triggerName: 'orderShipped', ...trigger('orderShipped') }),
    },
    {
      name: 'tRPC triggers.delete',
      method: 'POST',
      path: () => '/trpc/triggers.delete',
      body: (ids) => ({ ...version(ids), triggerName: 'orderShipped' }),
    },
    { name: 'tRPC definitions.list', method: 'GET', path: (ids) => `/trpc/definitions.list${list(ids)}` },
    {
      name: 'tRPC definitions.create',
      method: 'POST',
      path: () => '/trpc/definitions.create',
      body: (ids) => ({ ...version(ids), ...definitions }),
    },
    {
      name: 'tRPC definitions.get',
      method: 'GET',
      path: (ids) => `/trpc/definitions.get${trpcInput({ ...version(ids), definitionName: 'Error' })}`,
    },
    {
      name: 'tRPC definitions.update',
      method: 'POST',
      path: () => '/trpc/definitions.update',
      body: (ids) => ({ ...version(ids), definitionName: 'Error', accept: ['text/plain'] }),
    },
    {
      name: 'tRPC definitions.delete',
      method: 'POST',
      path: () => '/trpc/definitions.delete',
      body: (ids) => ({ ...version(ids), definitionName: 'Order' }),
    },
    {
      name: 'tRPC definitions.deleteMany',
      method: 'POST',
      path: () => '/trpc/definitions.deleteMany',
      body: (ids) => ({ ...version(ids), all: true }),
    },
  ];
}

export const routes: RouteCase[] = [
  {
    name: 'REST create connector',
    method: 'POST',
    path: ({ o }) => `${rest}/o/${o}/protocols/http/connectors`,
    body: () => ({ name: 'intruder', baseUrl: 'https://x.example.com' }),
  },
  { name: 'REST list connectors', method: 'GET', path: ({ o }) => `${rest}/o/${o}/connectors` },
  { name: 'REST get connector', method: 'GET', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}` },
  {
    name: 'REST update connector',
    method: 'PUT',
    path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}`,
    body: () => ({ name: 'renamed', baseUrl: 'https://x.example.com' }),
  },
  { name: 'REST delete connector', method: 'DELETE', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}?force=true` },
  {
    name: 'REST update version',
    method: 'PUT',
    path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}`,
    body: () => ({ description: 'changed' }),
  },
  {
    name: 'REST delete version',
    method: 'DELETE',
    path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}?force=true`,
  },
  {
    name: 'REST publish version',
    method: 'POST',
    path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}/publish`,
  },
  {
    name: 'REST unpublish version',
    method: 'POST',
    path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}/unpublish`,
  },
  {
    name: 'REST create version',
    method: 'POST',
    path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}/versions`,
    body: () => ({ name: 'intruder' }),
  },
  { name: 'REST list versions', method: 'GET', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}/versions` },
  { name: 'REST get version', method: 'GET', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}` },
  ...childRoutes(),
  {
    name: 'REST create API key',
    method: 'POST',
    path: ({ o }) => `${rest}/o/${o}/api-keys`,
    body: () => ({ name: 'intruder' }),
  },
  { name: 'REST list API keys', method: 'GET', path: ({ o }) => `${rest}/o/${o}/api-keys` },
  { name: 'REST revoke API key', method: 'DELETE', path: ({ o, k }) => `${rest}/o/${o}/api-keys/${k}` },
  {
    name: 'tRPC connectors.create',
    method: 'POST',
    path: () => '/trpc/connectors.create',
    body: () => ({ name: 'intruder', baseUrl: 'https://x.example.com' }),
  },
  { name: 'tRPC connectors.list', method: 'GET', path: () => `/trpc/connectors.list${trpcInput({})}` },
  {
    name: 'tRPC connectors.get',
    method: 'GET',
    path: ({ c }) => `/trpc/connectors.get${trpcInput({ connectorId: c })}`,
  },
  {
    name: 'tRPC connectors.update',
    method: 'POST',
    path: () => '/trpc/connectors.update',
    body: ({ c }) => ({ connectorId: c, name: 'renamed', baseUrl: 'https://x.example.com' }),
  },
  {
    name: 'tRPC connectors.delete',
    method: 'POST',
    path: () => '/trpc/connectors.delete',
    body: ({ c }) => ({ connectorId: c, force: true }),
  },
  {
    name: 'tRPC connectorVersions.update',
    method: 'POST',
    path: () => '/trpc/connectorVersions.update',
    body: ({ c, v }) => ({ connectorId: c, version: v, description: 'changed' }),
  },
  {
    name: 'tRPC connectorVersions.delete',
    method: 'POST',
    path: () => '/trpc/connectorVersions.delete',
    body: ({ c, v }) => ({ connectorId: c, version: v, force: true }),
  },
  {
    name: 'tRPC connectorVersions.publish',
    method: 'POST',
    path: () => '/trpc/connectorVersions.publish',
    body: ({ c, v }) => ({ connectorId: c, version: v }),
  },
  {
    name: 'tRPC connectorVersions.unpublish',
    method: 'POST',
    path: () => '/trpc/connectorVersions.unpublish',
    body: ({ c, v }) => ({ connectorId: c, version: v }),
  },
  {
    name: 'tRPC connectorVersions.create',
    method: 'POST',
    path: () => '/trpc/connectorVersions.create',
    body: ({ c }) => ({ connectorId: c, name: 'intruder' }),
  },
  {
    name: 'tRPC connectorVersions.list',
    method: 'GET',
    path: ({ c }) => `/trpc/connectorVersions.list${trpcInput({ connectorId: c })}`,
  },
  {
    name: 'tRPC connectorVersions.get',
    method: 'GET',
    path: ({ c, v }) => `/trpc/connectorVersions.get${trpcInput({ connectorId: c, version: v })}`,
  },
  {
    name: 'tRPC apiKeys.create',
    method: 'POST',
    path: () => '/trpc/apiKeys.create',
    body: () => ({ name: 'intruder' }),
  },
  { name: 'tRPC apiKeys.list', method: 'GET', path: () => '/trpc/apiKeys.list' },
  { name: 'tRPC apiKeys.revoke', method: 'POST', path: () => '/trpc/apiKeys.revoke', body: ({ k }) => ({ id: k }) },
];
