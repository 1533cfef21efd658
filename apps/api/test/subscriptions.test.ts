import type { ConnectorVersion, ErrorBody, Subscription, SubscriptionPage } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, organisation, origin } from './helpers';

/** A connector with versions `1` and `2` published (2 is latest) and `3` a draft. */
async function published() {
  const org = await organisation();
  const connectorId = await org.connector();
  const versions = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
  const send = (method: string, path: string, body?: unknown) => call(method, path, { apiKey: org.apiKey, body });
  for (const name of ['1', '2', '3']) expect((await org.createVersion(connectorId, { name })).status).toBe(201);
  for (const name of ['1', '2']) expect((await send('POST', `${versions}/${name}/publish`)).status).toBe(200);
  return {
    org,
    connectorId,
    versions,
    send,
    subscribe: (version: string, body: unknown) => send('POST', `${versions}/${version}/subscriptions`, body),
    list: async (version: string, query = '') =>
      json<SubscriptionPage>(await send('GET', `${versions}/${version}/subscriptions${query}`)),
    version: async (version: string) => json<ConnectorVersion>(await send('GET', `${versions}/${version}`)),
  };
}

describe('subscriptions', () => {
  it('subscribes once per subscriber, lists and deletes, and a version read counts them', async () => {
    const p = await published();
    const first = await p.subscribe('1', { subscriber: 'switchboard', description: 'board 7' });
    expect(first.status).toBe(201);
    const made = await json<Subscription>(first);
    expect(made).toMatchObject({ subscriber: 'switchboard', description: 'board 7', version: '1' });

    const again = await p.subscribe('1', { subscriber: 'switchboard', description: 'another text' });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(made);

    expect((await p.subscribe('1', { subscriber: 'orchestrator' })).status).toBe(201);
    expect(await p.version('1')).toMatchObject({ subscriptionCount: 2 });
    expect(await p.version('2')).toMatchObject({ subscriptionCount: 0 });
    const page = await p.list('1');
    expect(page.totalCount).toBe(2);
    expect(page.items.map((s) => s.subscriber)).toEqual(['orchestrator', 'switchboard']);

    expect((await p.send('DELETE', `${p.versions}/1/subscriptions/${made.id}`)).status).toBe(204);
    expect((await p.send('DELETE', `${p.versions}/1/subscriptions/${made.id}`)).status).toBe(404);
    expect(await p.version('1')).toMatchObject({ subscriptionCount: 1 });
  });

  it('subscribes an alias to the version it names now, which stays subscribed when latest moves', async () => {
    const p = await published();
    const viaAlias = await json<Subscription>(await p.subscribe('latest', { subscriber: 'switchboard' }));
    expect(viaAlias.version).toBe('2');
    expect((await p.send('POST', `${p.versions}/3/publish`)).status).toBe(200);
    expect((await p.list('latest')).totalCount).toBe(0);
    expect((await p.list('2')).items.map((s) => s.id)).toEqual([viaAlias.id]);
  });

  it('pages with first and cursors, and refuses a cursor of another list', async () => {
    const p = await published();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      expect((await p.subscribe('1', { subscriber: name })).status).toBe(201);
    }
    const one = await p.list('1', '?first=2');
    expect(one.items.map((s) => s.subscriber)).toEqual(['e', 'd']);
    expect(one.totalCount).toBe(5);
    const two = await p.list('1', `?first=2&after=${one.next ?? ''}`);
    expect(two.items.map((s) => s.subscriber)).toEqual(['c', 'b']);
    const back = await p.list('1', `?first=2&before=${two.prev ?? ''}`);
    expect(back.items.map((s) => s.subscriber)).toEqual(['e', 'd']);
    const foreign = await p.send('GET', `${p.versions}/2/subscriptions?after=${one.next ?? ''}`);
    expect(foreign.status).toBe(400);
    expect((await json<ErrorBody>(foreign)).fields?.map((f) => f.field)).toEqual(['after']);
  });

  it('refuses drafts, unknown versions and bad bodies, naming the field', async () => {
    const p = await published();
    const draft = await p.subscribe('3', { subscriber: 'switchboard' });
    expect(draft.status).toBe(409);
    expect((await json<ErrorBody>(draft)).code).toBe('version_not_published');
    expect((await p.subscribe('9', { subscriber: 'switchboard' })).status).toBe(404);
    for (const body of [
      {},
      { subscriber: '' },
      { subscriber: ' padded' },
      { subscriber: 'a\u0001b' },
      { subscriber: 7 },
    ]) {
      const bad = await p.subscribe('1', body);
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).fields?.map((f) => f.field)).toEqual(['subscriber']);
    }
    const long = await p.subscribe('1', { subscriber: 'x', description: 'd'.repeat(2001) });
    expect((await json<ErrorBody>(long)).fields?.map((f) => f.field)).toEqual(['description']);
    expect((await p.send('DELETE', `${p.versions}/1/subscriptions/not-an-id`)).status).toBe(404);
    expect((await p.list('1')).totalCount).toBe(0);
  });

  it('refuses to unpublish a subscribed version, naming the subscriptions', async () => {
    const p = await published();
    const made = await json<Subscription>(await p.subscribe('1', { subscriber: 'switchboard' }));
    const refused = await p.send('POST', `${p.versions}/1/unpublish`);
    expect(refused.status).toBe(409);
    const body = await json<ErrorBody>(refused);
    expect(body.code).toBe('version_subscribed');
    expect(body.message).toContain('switchboard');
    expect(body.subscriptions?.map((s) => s.id)).toEqual([made.id]);
    expect((await p.version('1')).publishedAt).not.toBeNull();

    await p.send('DELETE', `${p.versions}/1/subscriptions/${made.id}`);
    expect((await p.send('POST', `${p.versions}/1/unpublish`)).status).toBe(200);
  });

  it('deletes a connector with published, unsubscribed versions; a subscribed one only with force', async () => {
    const p = await published();
    const connector = `/o/${p.org.organisationId}/connectors/${p.connectorId}`;
    await p.subscribe('2', { subscriber: 'switchboard' });
    const refused = await p.send('DELETE', connector);
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({
      code: 'version_subscribed',
      subscriptions: [{ subscriber: 'switchboard', version: '2' }],
    });
    expect((await p.send('GET', connector)).status).toBe(200);
    expect((await p.send('DELETE', `${connector}?force=true`)).status).toBe(204);
    expect((await p.send('GET', connector)).status).toBe(404);
  });

  it('keeps subscribe and unpublish of one version consistent when they race', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await published();
      const [subscribe, unpublish] = await Promise.all([
        p.subscribe('1', { subscriber: 'switchboard' }),
        p.send('POST', `${p.versions}/1/unpublish`),
      ]);
      const version = await p.version('1');
      const count = (await p.list('1')).totalCount;
      if (subscribe.status === 201) {
        // The subscription came first: the unpublish was refused, and the version stays published.
        expect(unpublish.status).toBe(409);
        expect(version.publishedAt).not.toBeNull();
        expect(count).toBe(1);
      } else {
        expect(subscribe.status).toBe(409);
        expect(unpublish.status).toBe(200);
        expect(version.publishedAt).toBeNull();
        expect(count).toBe(0);
      }
    }
  });

  it('offers the same over tRPC', async () => {
    const p = await published();
    const trpc = (procedure: string, input: unknown) =>
      call('POST', `${origin}/trpc/${procedure}`, { apiKey: p.org.apiKey, body: input });
    const target = { connectorId: p.connectorId, version: 'default' };
    const made = await trpc('subscriptions.create', { ...target, subscriber: 'switchboard' });
    expect(made.status).toBe(200);
    const { result } = await json<{ result: { data: { subscription: Subscription; created: boolean } } }>(made);
    expect(result.data).toMatchObject({ created: true, subscription: { version: '2' } });
    const listed = await call(
      'GET',
      `${origin}/trpc/subscriptions.list?input=${encodeURIComponent(JSON.stringify({ ...target, version: '2' }))}`,
      { apiKey: p.org.apiKey },
    );
    expect(await json(listed)).toMatchObject({ result: { data: { totalCount: 1 } } });
    const removed = await trpc('subscriptions.delete', { ...target, subscriptionId: result.data.subscription.id });
    expect(removed.status).toBe(200);
    expect((await p.list('2')).totalCount).toBe(0);
  });
});
