import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';

const prefix = '/api/connect/v1';

async function servedDocument() {
  const response = await createApp().request(`${prefix}/openapi.json`);
  expect(response.status).toBe(200);
  return response.json<{
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
  }>();
}

describe('the OpenAPI document', () => {
  it('is served without a credential, and is a valid OpenAPI 3.1 document', async () => {
    const document = await servedDocument();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every REST route the Worker serves, and nothing else', async () => {
    const document = await servedDocument();
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${prefix}${path}`),
    );
    // Hono's own table of what it serves: handlers by method (ALL entries are middleware and 405s).
    const served = createApp()
      .routes.filter((r) => r.path.startsWith(prefix) && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(new Set(served).size).toBe(served.length);
    expect([...documented].sort()).toEqual([...served].sort());
    const operationIds = documented.length;
    expect(new Set(Object.values(document.paths).flatMap((m) => Object.values(m).map((o) => o.operationId))).size).toBe(
      operationIds,
    );
  });
});
