import { sqlClient } from '@connect/db';
import { createOrganisationWithKey, type OrganisationCredentials } from '@connect/db/seed';
import type { ErrorBody } from '@connect/contracts';
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const origin = 'http://connect.test';
export const restRoot = `${origin}/api/connect/v1`;

/** SQL straight to the test database, through the same Neon driver and endpoint as the Worker. */
export const sql = sqlClient(env.DATABASE_URL);

export async function rows<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return (await sql.query(query, params)) as T[];
}

/** A fresh organisation with a key: tests isolate by new ids instead of emptying tables. */
export function newOrganisation(name = 'test'): Promise<OrganisationCredentials> {
  return createOrganisationWithKey(
    async (query, params) => ({ rows: (await sql.query(query, params, { arrayMode: true })) as unknown[][] }),
    `${name}-${crypto.randomUUID()}`,
  );
}

/** Calls the Worker over HTTP as a user would. */
export async function call(
  method: string,
  path: string,
  options: { apiKey?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  const credential = options.apiKey ?? options.token;
  if (credential) headers.set('authorization', `Bearer ${credential}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set('content-type', 'application/json');
  }
  const url = path.startsWith('http') ? path : `${restRoot}${path}`;
  const response = await exports.default.fetch(
    new Request(url, { method, headers, ...(body === undefined ? {} : { body }) }),
  );
  // Read the body now: workerd keeps a response's connection open until its body is consumed,
  // and a test that only looks at the status would otherwise pile up open connections.
  const buffered = await response.arrayBuffer();
  return new Response(response.status === 204 || response.status === 304 ? null : buffered, response);
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return await response.json();
}

export interface Organisation extends OrganisationCredentials {
  /** Creates an HTTP connector in this organisation and returns its id. */
  connector(name?: string): Promise<string>;
  /** Creates a version over REST and returns the response. */
  createVersion(connectorId: string, body: unknown): Promise<Response>;
}

export async function organisation(): Promise<Organisation> {
  const creds = await newOrganisation();
  return {
    ...creds,
    async connector(name = 'Example') {
      const response = await call('POST', `/o/${creds.organisationId}/protocols/http/connectors`, {
        apiKey: creds.apiKey,
        body: { name, baseUrl: 'https://api.example.com' },
      });
      if (response.status !== 201)
        throw new Error(`creating a connector failed: ${response.status} ${await response.text()}`);
      return (await json<{ id: string }>(response)).id;
    },
    createVersion(connectorId, body) {
      return call('POST', `/o/${creds.organisationId}/connectors/${connectorId}/versions`, {
        apiKey: creds.apiKey,
        body,
      });
    },
  };
}

/** Marks a version published at `at` (until the publish route exists, tests publish with SQL). */
export async function publish(connectorId: string, name: string, at = new Date()): Promise<void> {
  await sql.query('UPDATE connector_versions SET published_at = $3 WHERE connector_id = $1 AND name = $2', [
    connectorId,
    name,
    at.toISOString(),
  ]);
}

/** Asserts a 400 `invalid_argument` that names exactly these fields. */
export async function expectInvalidFields(response: Response, fields: string[]): Promise<void> {
  expect(response.status).toBe(400);
  const body = await json<ErrorBody>(response);
  expect(body.code).toBe('invalid_argument');
  expect(body.fields?.map((f) => f.field)).toEqual(fields);
}
