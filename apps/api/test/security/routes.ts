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

export const routes: RouteCase[] = [
  { name: 'REST create connector', method: 'POST', path: ({ o }) => `${rest}/o/${o}/protocols/http/connectors`, body: () => ({ name: 'intruder', baseUrl: 'https://x.example.com' }) },
  { name: 'REST list connectors', method: 'GET', path: ({ o }) => `${rest}/o/${o}/connectors` },
  { name: 'REST get connector', method: 'GET', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}` },
  { name: 'REST update connector', method: 'PUT', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}`, body: () => ({ name: 'renamed', baseUrl: 'https://x.example.com' }) },
  { name: 'REST delete connector', method: 'DELETE', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}?force=true` },
  { name: 'REST update version', method: 'PUT', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}`, body: () => ({ description: 'changed' }) },
  { name: 'REST delete version', method: 'DELETE', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}?force=true` },
  { name: 'REST publish version', method: 'POST', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}/publish` },
  { name: 'REST unpublish version', method: 'POST', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}/unpublish` },
  { name: 'REST create version', method: 'POST', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}/versions`, body: () => ({ name: 'intruder' }) },
  { name: 'REST list versions', method: 'GET', path: ({ o, c }) => `${rest}/o/${o}/connectors/${c}/versions` },
  { name: 'REST get version', method: 'GET', path: ({ o, c, v }) => `${rest}/o/${o}/connectors/${c}/versions/${v}` },
  { name: 'REST create API key', method: 'POST', path: ({ o }) => `${rest}/o/${o}/api-keys`, body: () => ({ name: 'intruder' }) },
  { name: 'REST list API keys', method: 'GET', path: ({ o }) => `${rest}/o/${o}/api-keys` },
  { name: 'REST revoke API key', method: 'DELETE', path: ({ o, k }) => `${rest}/o/${o}/api-keys/${k}` },
  { name: 'tRPC connectors.create', method: 'POST', path: () => '/trpc/connectors.create', body: () => ({ name: 'intruder', baseUrl: 'https://x.example.com' }) },
  { name: 'tRPC connectors.list', method: 'GET', path: () => `/trpc/connectors.list${trpcInput({})}` },
  { name: 'tRPC connectors.get', method: 'GET', path: ({ c }) => `/trpc/connectors.get${trpcInput({ connectorId: c })}` },
  { name: 'tRPC connectors.update', method: 'POST', path: () => '/trpc/connectors.update', body: ({ c }) => ({ connectorId: c, name: 'renamed', baseUrl: 'https://x.example.com' }) },
  { name: 'tRPC connectors.delete', method: 'POST', path: () => '/trpc/connectors.delete', body: ({ c }) => ({ connectorId: c, force: true }) },
  { name: 'tRPC connectorVersions.update', method: 'POST', path: () => '/trpc/connectorVersions.update', body: ({ c, v }) => ({ connectorId: c, version: v, description: 'changed' }) },
  { name: 'tRPC connectorVersions.delete', method: 'POST', path: () => '/trpc/connectorVersions.delete', body: ({ c, v }) => ({ connectorId: c, version: v, force: true }) },
  { name: 'tRPC connectorVersions.publish', method: 'POST', path: () => '/trpc/connectorVersions.publish', body: ({ c, v }) => ({ connectorId: c, version: v }) },
  { name: 'tRPC connectorVersions.unpublish', method: 'POST', path: () => '/trpc/connectorVersions.unpublish', body: ({ c, v }) => ({ connectorId: c, version: v }) },
  { name: 'tRPC connectorVersions.create', method: 'POST', path: () => '/trpc/connectorVersions.create', body: ({ c }) => ({ connectorId: c, name: 'intruder' }) },
  { name: 'tRPC connectorVersions.list', method: 'GET', path: ({ c }) => `/trpc/connectorVersions.list${trpcInput({ connectorId: c })}` },
  { name: 'tRPC connectorVersions.get', method: 'GET', path: ({ c, v }) => `/trpc/connectorVersions.get${trpcInput({ connectorId: c, version: v })}` },
  { name: 'tRPC apiKeys.create', method: 'POST', path: () => '/trpc/apiKeys.create', body: () => ({ name: 'intruder' }) },
  { name: 'tRPC apiKeys.list', method: 'GET', path: () => '/trpc/apiKeys.list' },
  { name: 'tRPC apiKeys.revoke', method: 'POST', path: () => '/trpc/apiKeys.revoke', body: ({ k }) => ({ id: k }) },
];
