import type { ConnectorVersion, PublishCheck } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, origin } from './helpers';
import { orderAction, workspace } from './children';

const order = { type: 'object', properties: { id: { type: 'string' } } };
const definitions = [
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
];

describe('publish with dryRun=true', () => {
  it('answers the checks, the diff from latest and its subscriptions, and changes nothing', async () => {
    const w = await workspace();
    await w.version('1.0.0');
    await w.definitions('1.0.0', definitions);
    await w.action('1.0.0', orderAction());
    await w.action('1.0.0', { ...orderAction('getOrder'), method: 'GET', requestBody: null });

    // Nothing published yet: nothing to compare with.
    const first = await w.send('POST', w.path('1.0.0', '/publish?dryRun=true'));
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({
      version: '1.0.0',
      publishable: true,
      messages: [],
      latest: null,
      diff: null,
      subscriptions: [],
      subscriptionCount: 0,
      compatibility: { policy: 'none', checked: false, compatible: true, breakingChanges: [], breakingCount: 0 },
    });
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('1.0.0')))).publishedAt).toBeNull();

    expect((await w.publish('1.0.0')).status).toBe(200);
    expect((await w.send('POST', w.path('1.0.0', '/subscriptions'), { subscriber: 'switchboard' })).status).toBe(201);
    await w.version('2.0.0', '1.0.0');
    expect((await w.send('DELETE', w.path('2.0.0', '/actions/getOrder'))).status).toBe(204);
    const before = await json<ConnectorVersion>(await w.send('GET', w.path('2.0.0')));

    const check = await w.send('POST', w.path('2.0.0', '/publish?dryRun=true'));
    expect(check.status).toBe(200);
    const body = await json<PublishCheck>(check);
    expect(body).toMatchObject({
      version: '2.0.0',
      publishable: true,
      latest: '1.0.0',
      diff: {
        from: '1.0.0',
        to: '2.0.0',
        breaking: true,
        suggestedBump: 'major',
        changes: [{ pointer: '/actions/getOrder' }],
      },
      subscriptions: [{ subscriber: 'switchboard', version: '1.0.0' }],
      subscriptionCount: 1,
    });
    expect(await json(await w.send('GET', w.path('2.0.0')))).toEqual(before);
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('latest')))).name).toBe('1.0.0');
  });

  it('says why a version cannot be published, as publish would', async () => {
    const w = await workspace();
    await w.version('1');
    await w.definitions('1', definitions);
    await w.action('1', { ...orderAction(), responses: [] });
    const check = await json<PublishCheck>(await w.send('POST', w.path('1', '/publish?dryRun=1')));
    expect(check).toMatchObject({
      publishable: false,
      messages: [{ text: 'action "createOrder" has no response', severity: 'error' }],
    });
    expect((await w.publish('1')).status).toBe(400);

    await w.send('PUT', w.path('1', '/actions/createOrder'), orderAction());
    expect((await w.publish('1')).status).toBe(200);
    const again = await json<PublishCheck>(await w.send('POST', w.path('1', '/publish?dryRun=true')));
    expect(again).toMatchObject({
      publishable: false,
      messages: [{ text: 'the version is already published' }],
      latest: '1',
    });
    expect(again.diff?.changes).toEqual([]);
  });

  it('lets a trigger without a response through and names links cut by a forced delete, as publish does', async () => {
    const w = await workspace();
    await w.version('1');
    await w.definitions('1', definitions);
    await w.action('1', orderAction());
    const trigger = { type: 'http', name: 'orderShipped', method: 'POST', responses: [] };
    expect((await w.send('POST', w.path('1', '/triggers'), trigger)).status).toBe(201);
    const clean = await json<PublishCheck>(await w.send('POST', w.path('1', '/publish?dryRun=true')));
    expect(clean).toMatchObject({ publishable: true, messages: [] });

    expect((await w.send('DELETE', w.path('1', '/definitions/Order?force=true'))).status).toBe(204);
    const cut = await json<PublishCheck>(await w.send('POST', w.path('1', '/publish?dryRun=true')));
    expect(cut.publishable).toBe(false);
    expect(cut.messages.map((m) => m.text)).toContain(
      'action "createOrder" refers to definition "Order", which was deleted',
    );
    const refused = await w.publish('1');
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ messages: cut.messages });
  });

  it('refuses a bad dryRun, finds no unknown version, and offers the same over tRPC', async () => {
    const w = await workspace();
    await w.version('1');
    const bad = await w.send('POST', w.path('1', '/publish?dryRun=maybe'));
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ fields: [{ field: 'dryRun' }] });
    expect((await w.send('POST', w.path('9', '/publish?dryRun=true'))).status).toBe(404);
    const input = encodeURIComponent(JSON.stringify({ connectorId: w.connectorId, version: '1' }));
    const trpc = await call('GET', `${origin}/trpc/versionDiffs.publishCheck?input=${input}`, { apiKey: w.org.apiKey });
    expect(await json(trpc)).toMatchObject({ result: { data: { version: '1', publishable: true, latest: null } } });
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('1')))).publishedAt).toBeNull();
  });
});
