import type { ConnectorVersion, ConnectorVersionPage, Definition } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, origin, restRoot } from './helpers';
import { jsonDefinition, orderAction, workspace, type Workspace } from './children';

const deprecatedAt = '2026-01-15T09:30:00.000Z';
const sunsetAt = '2026-07-01T00:00:00.000Z';

/** Versions `1`, `2` and `3` published in that order, each with the order action and its definitions. */
async function threePublished(): Promise<Workspace> {
  const w = await workspace();
  await w.version('1');
  await w.definitions('1', [jsonDefinition('Order'), jsonDefinition('Error')]);
  await w.action('1', orderAction());
  expect((await w.publish('1')).status).toBe(200);
  for (const name of ['2', '3']) {
    await w.version(name, '1');
    expect((await w.publish(name)).status).toBe(200);
  }
  return w;
}

const put = (w: Workspace, version: string, body: unknown) => w.send('PUT', w.path(version), body);

describe('deprecation', () => {
  it('deprecates a published version; reads of it carry Deprecation, Sunset and the successor', async () => {
    const w = await threePublished();
    const changed = await put(w, '1', { deprecatedAt, sunsetAt, deprecationMessage: 'Move to 3' });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({ name: '1', deprecatedAt, sunsetAt, deprecationMessage: 'Move to 3' });

    const read = await w.send('GET', w.path('1'));
    expect(read.headers.get('deprecation')).toBe(`@${String(Date.parse(deprecatedAt) / 1000)}`);
    expect(read.headers.get('sunset')).toBe('Wed, 01 Jul 2026 00:00:00 GMT');
    const successor = `${restRoot}/o/${w.org.organisationId}/connectors/${w.connectorId}/versions/3`;
    expect(read.headers.get('link')).toBe(`<${successor}>; rel="successor-version"`);

    // A version that is not deprecated says nothing.
    const current = await w.send('GET', w.path('2'));
    expect(current.headers.get('deprecation')).toBeNull();
    expect(current.headers.get('link')).toBeNull();
    expect(await json(current)).toMatchObject({ deprecatedAt: null, sunsetAt: null, deprecationMessage: null });

    // The successor is the newest published version after it that is not deprecated.
    expect((await put(w, '3', { deprecatedAt })).status).toBe(200);
    expect((await w.send('GET', w.path('1'))).headers.get('link')).toContain('/versions/2>');
    expect((await put(w, '2', { deprecatedAt })).status).toBe(200);
    const alone = await w.send('GET', w.path('1'));
    expect(alone.headers.get('link')).toBeNull();
    expect(alone.headers.get('deprecation')).not.toBeNull();
    // Without a sunset: no Sunset header.
    expect((await w.send('GET', w.path('2'))).headers.get('sunset')).toBeNull();
  });

  it('carries the headers on reads of the children through the version, aliases included', async () => {
    const w = await threePublished();
    expect((await put(w, '3', { deprecatedAt, sunsetAt })).status).toBe(200);
    const definitions = await json<{ definitions: Definition[] }>(await w.send('GET', w.path('3', '/definitions')));
    const order = definitions.definitions.find((d) => d.name === 'Order');
    if (!order) throw new Error('no Order definition');
    const reads = [
      w.path('3', '/actions'),
      w.path('3', '/actions/createOrder'),
      w.path('3', '/triggers'),
      w.path('3', '/definitions'),
      w.path('3', '/definitions/Order'),
      w.path('latest', '/actions/createOrder'),
      w.path('latest'),
      w.path('default'),
      order.url.slice(restRoot.length),
    ];
    for (const path of reads) {
      const response = await w.send('GET', path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('deprecation'), path).toBe(`@${String(Date.parse(deprecatedAt) / 1000)}`);
      expect(response.headers.get('sunset'), path).toBe('Wed, 01 Jul 2026 00:00:00 GMT');
    }
    // Version 2 is untouched, and a missing child of the deprecated version is a plain 404.
    expect((await w.send('GET', w.path('2', '/actions/createOrder'))).headers.get('deprecation')).toBeNull();
    expect((await w.send('GET', w.path('3', '/actions/nothing'))).status).toBe(404);
    // CORS lets browser apps read them.
    const cors = await call('GET', w.path('3'), { apiKey: w.org.apiKey, headers: { origin: 'https://app.example' } });
    expect(cors.headers.get('access-control-expose-headers')).toContain('Deprecation');
  });

  it('leaves latest where it was, keeps the chosen default undeprecated, and is cleared by unpublish', async () => {
    const w = await threePublished();
    expect((await put(w, '3', { deprecatedAt })).status).toBe(200);
    // latest is the newest published version, deprecated or not.
    expect((await json<ConnectorVersion>(await w.send('GET', w.path('latest')))).name).toBe('3');

    expect((await put(w, '2', { isDefault: true })).status).toBe(200);
    const deprecateDefault = await put(w, '2', { deprecatedAt });
    expect(deprecateDefault.status).toBe(409);
    expect(await json(deprecateDefault)).toMatchObject({ code: 'version_is_default' });
    await expectInvalidFields(await put(w, '3', { isDefault: true }), ['isDefault']);
    // Another default first, then the old one may be deprecated.
    expect((await put(w, '1', { isDefault: true })).status).toBe(200);
    expect((await put(w, '2', { deprecatedAt })).status).toBe(200);

    // Undeprecating with null clears the sunset and message with it.
    expect((await put(w, '3', { sunsetAt, deprecationMessage: 'gone soon' })).status).toBe(200);
    expect(await json(await put(w, '3', { deprecatedAt: null }))).toMatchObject({
      deprecatedAt: null,
      sunsetAt: null,
      deprecationMessage: null,
    });

    // Unpublishing makes a draft, which is not deprecated; publishing it again starts afresh.
    expect((await w.send('POST', w.path('2', '/unpublish'))).status).toBe(200);
    expect(await json(await w.send('GET', w.path('2')))).toMatchObject({ publishedAt: null, deprecatedAt: null });
  });

  it('refuses a deprecation of a draft, a sunset or message without one, and a sunset before it', async () => {
    const w = await threePublished();
    await w.version('draft');
    await expectInvalidFields(await put(w, 'draft', { deprecatedAt }), ['deprecatedAt']);
    await expectInvalidFields(await put(w, '1', { sunsetAt }), ['sunsetAt']);
    await expectInvalidFields(await put(w, '1', { deprecationMessage: 'why' }), ['deprecationMessage']);
    await expectInvalidFields(await put(w, '1', { deprecatedAt: sunsetAt, sunsetAt: deprecatedAt }), ['sunsetAt']);
    await expectInvalidFields(await put(w, '1', { deprecatedAt: 'yesterday' }), ['deprecatedAt']);
    await expectInvalidFields(await put(w, '1', { deprecatedAt, deprecationMessage: 'x'.repeat(2001) }), [
      'deprecationMessage',
    ]);
    // Nothing was written: a version read and sent back as it is changes nothing.
    const read = await json<ConnectorVersion>(await w.send('GET', w.path('1')));
    expect(read.deprecatedAt).toBeNull();
    expect((await put(w, '1', read)).status).toBe(200);
  });

  it('filters version lists on deprecated, over REST and tRPC', async () => {
    const w = await threePublished();
    expect((await put(w, '1', { deprecatedAt })).status).toBe(200);
    const versions = `/o/${w.org.organisationId}/connectors/${w.connectorId}/versions`;
    const names = async (query: string) => {
      const page = await json<ConnectorVersionPage>(await w.send('GET', `${versions}${query}`));
      return { total: page.totalCount, names: page.items.map((v) => v.name).sort() };
    };
    expect(await names('?deprecated=true')).toEqual({ total: 1, names: ['1'] });
    expect(await names('?deprecated=false')).toEqual({ total: 2, names: ['2', '3'] });
    expect(await names('')).toEqual({ total: 3, names: ['1', '2', '3'] });
    await expectInvalidFields(await w.send('GET', `${versions}?deprecated=maybe`), ['deprecated']);

    // A cursor of the filtered list is refused for the unfiltered one.
    const first = await json<ConnectorVersionPage>(await w.send('GET', `${versions}?deprecated=false&first=1`));
    expect(first.next).toBeDefined();
    expect((await w.send('GET', `${versions}?first=1&after=${first.next ?? ''}`)).status).toBe(400);

    const input = encodeURIComponent(JSON.stringify({ connectorId: w.connectorId, deprecated: true }));
    const trpc = await call('GET', `${origin}/trpc/connectorVersions.list?input=${input}`, { apiKey: w.org.apiKey });
    expect(await json(trpc)).toMatchObject({
      result: { data: { totalCount: 1, items: [{ name: '1', deprecatedAt }] } },
    });
  });
});
