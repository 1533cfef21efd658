import type { ErrorBody, VersionDiff } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, origin } from './helpers';
import { orderAction, workspace, type Workspace } from './children';

/** Version 1.0.0: definitions Order (request and response) and Error; actions createOrder and getOrder. */
async function ordersVersion(): Promise<Workspace> {
  const w = await workspace();
  await w.version('1.0.0');
  const order = { type: 'object', properties: { id: { type: 'string' }, status: { enum: ['open', 'closed'] } } };
  await w.definitions('1.0.0', [
    {
      name: 'Order',
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: JSON.stringify(order) },
    },
    {
      name: 'Error',
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: '{"type":"string"}' },
    },
  ]);
  await w.action('1.0.0', orderAction());
  await w.action('1.0.0', { ...orderAction('getOrder'), method: 'GET', requestBody: null });
  return w;
}

const diff = async (w: Workspace, from: string, to: string, query = '') => {
  const response = await w.send('GET', w.path(from, `/diff/${to}${query}`));
  expect(response.status).toBe(200);
  return json<VersionDiff>(response);
};

describe('version diff', () => {
  it('finds nothing between a fresh copy and its source, nor between a version and itself', async () => {
    const w = await ordersVersion();
    await w.version('1.0.1', '1.0.0');
    for (const [from, to] of [
      ['1.0.0', '1.0.1'],
      ['1.0.1', '1.0.0'],
      ['1.0.0', '1.0.0'],
    ] as const) {
      expect(await diff(w, from, to)).toEqual({ from, to, changes: [], breaking: false, suggestedBump: null });
    }
  });

  it('reports each change with its pointer and verdict, and suggests the bump', async () => {
    const w = await ordersVersion();
    await w.version('1.1.0', '1.0.0');
    const stricter = {
      type: 'object',
      properties: { id: { type: 'string' }, status: { enum: ['open'] }, note: { type: 'string' } },
      required: ['note'],
    };
    const put = await w.send('PUT', w.path('1.1.0', '/definitions/Order'), {
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: JSON.stringify(stricter) },
    });
    expect(put.status).toBe(200);
    expect((await w.send('DELETE', w.path('1.1.0', '/actions/getOrder'))).status).toBe(204);

    const found = await diff(w, '1.0.0', '1.1.0');
    expect(found.changes.map((c) => [c.pointer, c.change, c.breaking])).toEqual([
      ['/actions/getOrder', 'removed', true],
      ['/definitions/Order/schema/properties/note', 'added', true],
      ['/definitions/Order/schema/properties/status/enum', 'changed', true],
    ]);
    expect(found.changes[2]).toMatchObject({
      kind: 'definition',
      name: 'Order',
      before: ['open', 'closed'],
      after: ['open'],
    });
    expect(found).toMatchObject({ from: '1.0.0', to: '1.1.0', breaking: true, suggestedBump: 'major' });

    // The other way: the action comes back (an addition) and the property is dropped from a schema
    // callers also receive (breaking there).
    const back = await diff(w, '1.1.0', '1.0.0');
    expect(back.changes.map((c) => [c.pointer, c.change])).toEqual([
      ['/actions/getOrder', 'added'],
      ['/definitions/Order/schema/properties/note', 'removed'],
      ['/definitions/Order/schema/properties/status/enum', 'changed'],
    ]);

    const breakingOnly = await diff(w, '1.0.0', '1.1.0', '?breaking=true');
    expect(breakingOnly.changes.every((c) => c.breaking)).toBe(true);
  });

  it('diffs two versions whose differing schemas together pass what one database answer holds', async () => {
    // Twenty-four schemas of 250 KB each, all changed in the other version: 12 MB of differing text, past
    // the driver's cap on one answer (10 MiB), so the diff reads them in batches.
    const w = await workspace();
    await w.version('1.0.0');
    const schema = (n: number, value: number) => ({
      contentType: 'application/schema+json',
      content: JSON.stringify({
        type: 'object',
        description: 'x'.repeat(250_000),
        properties: { v: { const: value } },
      }),
    });
    for (let n = 0; n < 24; n++) {
      await w.definitions('1.0.0', [{ name: `Big${String(n)}`, accept: ['application/json'], schema: schema(n, 1) }]);
    }
    await w.version('2.0.0', '1.0.0');
    for (let n = 0; n < 24; n++) {
      const put = await w.send('PUT', w.path('2.0.0', `/definitions/Big${String(n)}`), {
        accept: ['application/json'],
        schema: schema(n, 2),
      });
      expect(put.status).toBe(200);
    }
    const changes = (await diff(w, '1.0.0', '2.0.0')).changes;
    expect(changes.map((c) => [c.pointer, c.before, c.after])).toEqual(
      Array.from({ length: 24 }, (_, n) => [`/definitions/Big${String(n)}/schema/properties/v/const`, 1, 2]).sort(),
    );
  }, 120_000);

  it('resolves aliases, names a version it cannot find, and refuses a bad query', async () => {
    const w = await ordersVersion();
    await w.version('2.0.0', '1.0.0');
    expect((await w.publish('1.0.0')).status).toBe(200);
    expect(await diff(w, 'latest', '2.0.0')).toMatchObject({ from: '1.0.0', to: '2.0.0', changes: [] });
    const missing = await w.send('GET', w.path('1.0.0', '/diff/9.9.9'));
    expect(missing.status).toBe(404);
    expect((await json<ErrorBody>(missing)).message).toContain('9.9.9');
    const bad = await w.send('GET', w.path('1.0.0', '/diff/2.0.0?breaking=perhaps'));
    expect(bad.status).toBe(400);
    expect((await json<ErrorBody>(bad)).fields?.map((f) => f.field)).toEqual(['breaking']);
  });

  it('offers the same over tRPC', async () => {
    const w = await ordersVersion();
    await w.version('1.0.1', '1.0.0');
    expect((await w.send('DELETE', w.path('1.0.1', '/actions/getOrder'))).status).toBe(204);
    const input = encodeURIComponent(JSON.stringify({ connectorId: w.connectorId, from: '1.0.0', to: '1.0.1' }));
    const response = await call('GET', `${origin}/trpc/versionDiffs.get?input=${input}`, { apiKey: w.org.apiKey });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      result: { data: { breaking: true, suggestedBump: 'major', changes: [{ pointer: '/actions/getOrder' }] } },
    });
  });
});
