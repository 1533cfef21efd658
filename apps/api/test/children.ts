import type { Action, ConnectorVersion, Definition, Definitions } from '@connect/contracts';
import { expect } from 'vitest';
import { call, json, organisation, type Organisation } from './helpers';

/** A connector with a helper per child route of its versions, called over REST as a user would. */
export interface Workspace {
  org: Organisation;
  connectorId: string;
  path: (version: string, rest?: string) => string;
  send: (method: string, path: string, body?: unknown) => Promise<Response>;
  /** Creates a draft version (optionally copied) and fails the test if that does not work. */
  version: (name: string, fromVersion?: string) => Promise<ConnectorVersion>;
  definitions: (version: string, definitions: unknown[]) => Promise<Definition[]>;
  action: (version: string, body: unknown) => Promise<Action>;
  publish: (version: string) => Promise<Response>;
}

export async function workspace(): Promise<Workspace> {
  const org = await organisation();
  const connectorId = await org.connector();
  // A version name may be any text, so it is percent-encoded as one path segment.
  const path = (version: string, rest = '') =>
    `/o/${org.organisationId}/connectors/${connectorId}/versions/${encodeURIComponent(version)}${rest}`;
  const send = (method: string, p: string, body?: unknown) => call(method, p, { apiKey: org.apiKey, body });
  const created = async <T>(response: Response): Promise<T> => {
    if (response.status !== 201) expect.fail(`expected 201, got ${String(response.status)}: ${await response.text()}`);
    return json<T>(response);
  };
  return {
    org,
    connectorId,
    path,
    send,
    version: async (name, fromVersion) => created(await org.createVersion(connectorId, { name, fromVersion })),
    definitions: async (version, definitions) =>
      (await created<Definitions>(await send('POST', path(version, '/definitions'), { definitions }))).definitions,
    action: async (version, body) => created(await send('POST', path(version, '/actions'), body)),
    publish: (version) => send('POST', path(version, '/publish')),
  };
}

/**
 * A workspace with draft version 1 holding the order definitions (Order and Customer refer to each
 * other; Error is served as JSON and XML), and any `extra` definitions.
 */
export async function orderWorkspace(extra: unknown[] = []): Promise<Workspace> {
  const w = await workspace();
  await w.version('1');
  await w.definitions('1', [
    jsonDefinition('Order', ['Customer']),
    jsonDefinition('Customer', ['Order']),
    jsonDefinition('Error', [], ['application/json', 'text/xml']),
    ...extra,
  ]);
  return w;
}

/** A JSON Schema definition body; `refs` become `$ref`s to other definitions of the version. */
export function jsonDefinition(name: string, refs: string[] = [], accept = ['application/json']) {
  const properties = Object.fromEntries(refs.map((ref) => [ref.toLowerCase(), { $ref: `#/$defs/${ref}` }]));
  return {
    name,
    accept,
    description: `The ${name} shape`,
    schema: { contentType: 'application/schema+json', content: JSON.stringify({ type: 'object', properties }) },
  };
}

/** An action body linking definitions by name: the request body and a 201 and a default response. */
export function orderAction(name = 'createOrder', links = { request: 'Order', created: 'Order', error: 'Error' }) {
  return {
    type: 'http',
    name,
    summary: 'Create an order',
    method: 'POST',
    path: '/orders/{{ param.shop }}',
    parameters: [{ name: 'shop', in: 'path', required: true, type: 'string' }],
    requestBody: { required: true, definitions: [{ definition: { name: links.request } }] },
    responses: [
      { status: 201, definitions: [{ definition: { name: links.created } }] },
      { definitions: [{ definition: { name: links.error } }] },
    ],
  };
}
