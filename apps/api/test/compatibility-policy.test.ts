import type { Connector, ConnectorVersion, ErrorBody, PublishCheck } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, origin } from './helpers';
import { orderAction, workspace, type Workspace } from './children';

const definitions = [
  {
    name: 'Order',
    accept: ['application/json'],
    schema: { contentType: 'application/schema+json', content: '{"type":"object"}' },
  },
  {
    name: 'Error',
    accept: ['application/json'],
    schema: { contentType: 'application/schema+json', content: '{"type":"string"}' },
  },
];

/** Sets the workspace's connector's policy with a PUT of the connector as read. */
async function setPolicy(w: Workspace, policy: unknown): Promise<Response> {
  const path = `/o/${w.org.organisationId}/connectors/${w.connectorId}`;
  const read = await json<Connector>(await w.send('GET', path));
  // Sent back as read (the server ignores what it does not take), with the policy changed.
  return w.send('PUT', path, { ...read, compatibilityPolicy: policy });
}

/** A workspace whose version `first` (two actions) is published, under `policy`. */
async function publishedFirst(policy: 'none' | 'backward', first = '1.0.0'): Promise<Workspace> {
  const w = await workspace();
  expect((await setPolicy(w, policy)).status).toBe(200);
  await w.version(first);
  await w.definitions(first, definitions);
  await w.action(first, orderAction());
  await w.action(first, { ...orderAction('getOrder'), method: 'GET', requestBody: null });
  expect((await w.publish(first)).status).toBe(200);
  return w;
}

/** A draft copied from `from` without its `getOrder` action: a breaking change. */
async function withoutGetOrder(w: Workspace, name: string, from: string): Promise<void> {
  await w.version(name, from);
  expect((await w.send('DELETE', w.path(name, '/actions/getOrder'))).status).toBe(204);
}

describe('compatibilityPolicy', () => {
  it('is none by default, set on create and update, kept when an update leaves it out, and checked', async () => {
    const w = await workspace();
    const org = w.org;
    const path = `/o/${org.organisationId}/connectors/${w.connectorId}`;
    expect(await json(await w.send('GET', path))).toMatchObject({ compatibilityPolicy: 'none' });

    const created = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: { name: 'Strict', baseUrl: 'https://api.example.com', compatibilityPolicy: 'backward' },
    });
    expect(created.status).toBe(201);
    const strict = await json<Connector>(created);
    expect(strict.compatibilityPolicy).toBe('backward');
    const strictPath = `/o/${org.organisationId}/connectors/${strict.id}`;
    const kept = await w.send('PUT', strictPath, { name: 'Strict', baseUrl: 'https://api.example.com' });
    expect(await json(kept)).toMatchObject({ compatibilityPolicy: 'backward' });

    expect(await json(await setPolicy(w, 'backward'))).toMatchObject({ compatibilityPolicy: 'backward' });
    expect(await json(await setPolicy(w, 'none'))).toMatchObject({ compatibilityPolicy: 'none' });
    await expectInvalidFields(await setPolicy(w, 'forward'), ['compatibilityPolicy']);
    await expectInvalidFields(
      await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
        apiKey: org.apiKey,
        body: { name: 'Bad', baseUrl: 'https://api.example.com', compatibilityPolicy: 42 },
      }),
      ['compatibilityPolicy'],
    );
    expect(await json(await w.send('GET', path))).toMatchObject({ compatibilityPolicy: 'none' });
  });

  it('under backward, refuses a breaking publish within the major with the changes, and lets others through', async () => {
    const w = await publishedFirst('backward');

    // An addition publishes.
    await w.version('1.1.0', '1.0.0');
    await w.action('1.1.0', { ...orderAction('listOrders'), method: 'GET', requestBody: null });
    expect((await w.publish('1.1.0')).status).toBe(200);

    // A removal within major 1 is refused, and the version stays a draft.
    await withoutGetOrder(w, '1.2.0', '1.1.0');
    const dry = await json<PublishCheck>(await w.send('POST', w.path('1.2.0', '/publish?dryRun=true')));
    expect(dry).toMatchObject({
      publishable: false,
      latest: '1.1.0',
      compatibility: { policy: 'backward', checked: true, compatible: false, breakingCount: 1 },
    });
    expect(dry.messages.map((m) => m.text)).toEqual([expect.stringContaining('1 breaking change')]);
    const refused = await w.publish('1.2.0');
    expect(refused.status).toBe(409);
    const body = await json<ErrorBody>(refused);
    expect(body).toMatchObject({ code: 'compatibility_breaking', breakingCount: 1 });
    expect(body.breakingChanges).toEqual([
      expect.objectContaining({ pointer: '/actions/getOrder', change: 'removed', breaking: true }),
    ]);
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('1.2.0')))).publishedAt).toBeNull();
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('latest')))).name).toBe('1.1.0');

    // A greater major announces the break: it publishes.
    await withoutGetOrder(w, '2.0.0', '1.1.0');
    const major = await json<PublishCheck>(await w.send('POST', w.path('2.0.0', '/publish?dryRun=true')));
    expect(major.compatibility).toMatchObject({ checked: false, compatible: true });
    expect((await w.publish('2.0.0')).status).toBe(200);

    // With the policy back to none, the refused version publishes.
    expect((await setPolicy(w, 'none')).status).toBe(200);
    expect((await w.publish('1.2.0')).status).toBe(200);
  });

  it('judges names that are not SemVer, and a lower major (a backport becomes latest)', async () => {
    const w = await publishedFirst('backward', 'alpha');
    await withoutGetOrder(w, 'beta', 'alpha');
    expect((await w.publish('beta')).status).toBe(409);

    const s = await publishedFirst('backward', '3.0.0');
    await withoutGetOrder(s, '2.9.0', '3.0.0');
    expect(await json(await s.publish('2.9.0'))).toMatchObject({ code: 'compatibility_breaking' });
  });

  it('lists the first 20 breaking changes and counts them all, over REST and tRPC', async () => {
    const w = await workspace();
    expect((await setPolicy(w, 'backward')).status).toBe(200);
    await w.version('1.0.0');
    const many = Array.from({ length: 25 }, (_, i) => ({ ...definitions[1], name: `Def${String(i)}` }));
    await w.definitions('1.0.0', many);
    expect((await w.publish('1.0.0')).status).toBe(200);
    await w.version('1.0.1');
    const refused = await json<ErrorBody>(await w.publish('1.0.1'));
    expect(refused.code).toBe('compatibility_breaking');
    expect(refused.breakingCount).toBe(25);
    expect(refused.breakingChanges).toHaveLength(20);
    expect(refused.message).toContain('25 breaking changes');

    const trpc = await call('POST', `${origin}/trpc/connectorVersions.publish`, {
      apiKey: w.org.apiKey,
      body: { connectorId: w.connectorId, version: '1.0.1' },
    });
    expect(trpc.status).toBe(409);
    const error = await json<{
      error: { data: { apiCode: string; breakingCount: number; breakingChanges: unknown[] } };
    }>(trpc);
    expect(error.error.data).toMatchObject({ apiCode: 'compatibility_breaking', breakingCount: 25 });
    expect(error.error.data.breakingChanges).toHaveLength(20);
  });

  it('under none, a breaking version publishes and the dry run says the policy did not judge it', async () => {
    const w = await publishedFirst('none');
    await withoutGetOrder(w, '1.1.0', '1.0.0');
    const dry = await json<PublishCheck>(await w.send('POST', w.path('1.1.0', '/publish?dryRun=true')));
    expect(dry).toMatchObject({ publishable: true, diff: { breaking: true }, compatibility: { checked: false } });
    expect((await w.publish('1.1.0')).status).toBe(200);
  });

  it('judges racing publishes against the latest each one meets: never two breaking steps past the check', async () => {
    const w = await publishedFirst('backward');
    // Each is compatible with 1.0.0, but 1.2.0 removes what 1.1.0 adds: whichever publishes second
    // is judged against the first, so exactly one of them can pass when they race.
    await w.version('1.1.0', '1.0.0');
    await w.action('1.1.0', { ...orderAction('listOrders'), method: 'GET', requestBody: null });
    await w.version('1.2.0', '1.0.0');
    await w.action('1.2.0', { ...orderAction('cancelOrder'), method: 'POST', requestBody: null });
    const statuses = (await Promise.all([w.publish('1.1.0'), w.publish('1.2.0')])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
  });
});
