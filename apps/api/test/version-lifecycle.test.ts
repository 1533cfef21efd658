import type { ConnectorVersion, ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, organisation, origin, sql } from './helpers';
import { seedChildren, versionId } from './seed-children';

async function lifecycle() {
  const org = await organisation();
  const connectorId = await org.connector();
  const path = (v: string, action = '') => `/o/${org.organisationId}/connectors/${connectorId}/versions/${v}${action}`;
  const send = (method: string, p: string, body?: unknown) => call(method, p, { apiKey: org.apiKey, body });
  return {
    org,
    connectorId,
    create: async (name: string) => {
      expect((await org.createVersion(connectorId, { name })).status).toBe(201);
    },
    get: async (v: string) => json<ConnectorVersion>(await send('GET', path(v))),
    publish: (v: string) => send('POST', path(v, '/publish')),
    unpublish: (v: string) => send('POST', path(v, '/unpublish')),
    update: (v: string, body: unknown) => send('PUT', path(v), body),
    remove: (v: string, force?: boolean) => send('DELETE', `${path(v)}${force === undefined ? '' : `?force=${force}`}`),
  };
}

describe('version lifecycle', () => {
  it('publishes a draft once, and moves latest and the fallback default with it', async () => {
    const l = await lifecycle();
    await l.create('1');
    await l.create('2');
    const first = await l.publish('1');
    expect(first.status).toBe(200);
    const { version } = await json<{ version: ConnectorVersion }>(first);
    expect(version).toMatchObject({ name: '1', isLatest: true, isDefault: true });
    expect(version.publishedAt).not.toBeNull();

    const again = await l.publish('1');
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).code).toBe('version_published');
    const overTrpc = await call('POST', `${origin}/trpc/connectorVersions.publish`, {
      apiKey: l.org.apiKey,
      body: { connectorId: l.connectorId, version: '1' },
    });
    expect(overTrpc.status).toBe(409);
    expect(await json(overTrpc)).toMatchObject({ error: { data: { apiCode: 'version_published', httpStatus: 409 } } });

    await l.publish('2');
    expect(await l.get('latest')).toMatchObject({ name: '2', isLatest: true, isDefault: true });
    expect(await l.get('1')).toMatchObject({ isLatest: false, isDefault: false });
  });

  it('refuses to publish a version whose action has no response, saying why', async () => {
    const l = await lifecycle();
    await l.create('1');
    const id = await versionId(l.connectorId, '1');
    await seedChildren(id);
    await sql.query(`INSERT INTO actions (version_id, name, method, path) VALUES ($1, 'noResponses', 'GET', '/x')`, [
      id,
    ]);
    const response = await l.publish('1');
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      code: 'invalid_argument',
      messages: [{ text: 'action "noResponses" has no response', severity: 'error' }],
    });
    expect((await l.get('1')).publishedAt).toBeNull();
  });

  it('sets and clears the explicit default, and protects it from unpublishing', async () => {
    const l = await lifecycle();
    for (const name of ['1', '2', '3']) await l.create(name);
    await l.publish('1');
    await l.publish('2');

    const draftDefault = await l.update('3', { isDefault: true });
    expect(draftDefault.status).toBe(400);
    expect((await json<ErrorBody>(draftDefault)).fields?.map((f) => f.field)).toEqual(['isDefault']);

    const set = await l.update('1', { isDefault: true });
    expect(set.status).toBe(200);
    expect(await json(set)).toMatchObject({ name: '1', isDefault: true, isLatest: false });
    expect(await l.get('default')).toMatchObject({ name: '1' });
    expect(await l.get('latest')).toMatchObject({ name: '2', isDefault: false });

    const refused = await l.unpublish('default');
    expect(refused.status).toBe(409);
    expect((await json<ErrorBody>(refused)).code).toBe('version_is_default');

    expect((await l.update('1', { isDefault: false })).status).toBe(200);
    expect(await l.get('default')).toMatchObject({ name: '2', isLatest: true, isDefault: true });
    // 2 is the default only as the latest: there is no choice to clear.
    const clearLatest = await l.update('2', { isDefault: false });
    expect(clearLatest.status).toBe(400);
    expect((await json<ErrorBody>(clearLatest)).fields?.map((f) => f.field)).toEqual(['isDefault']);
    const unpublished = await l.unpublish('1');
    expect(unpublished.status).toBe(200);
    expect((await json<{ version: ConnectorVersion }>(unpublished)).version).toMatchObject({ publishedAt: null });
    expect((await l.unpublish('1')).status).toBe(409);
  });

  it('pins the latest version as the default when asked, so a newer publish does not move it', async () => {
    const l = await lifecycle();
    await l.create('1');
    await l.create('2');
    await l.publish('1');
    expect(await l.get('1')).toMatchObject({ isLatest: true, isDefault: true });
    expect((await l.update('1', { isDefault: true })).status).toBe(200);
    await l.publish('2');
    expect(await l.get('default')).toMatchObject({ name: '1', isDefault: true, isLatest: false });
    expect((await l.unpublish('1')).status).toBe(409);
  });

  it('edits drafts only, and refuses changes to read-only fields', async () => {
    const l = await lifecycle();
    await l.create('1');
    const before = await l.get('1');
    const edited = await l.update('1', { ...before, description: 'now described' });
    expect(edited.status).toBe(200);
    const after = await json<ConnectorVersion>(edited);
    expect(after.description).toBe('now described');
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));

    for (const [field, value] of [
      ['name', '9'],
      ['id', '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
      ['createdAt', '2001-01-01T00:00:00Z'],
      ['isLatest', true],
      ['publishedAt', '2001-01-01T00:00:00Z'],
    ] as const) {
      const response = await l.update('1', { [field]: value });
      expect(response.status, field).toBe(400);
      expect(
        (await json<ErrorBody>(response)).fields?.map((f) => f.field),
        field,
      ).toEqual([field]);
    }

    await l.publish('1');
    const locked = await l.update('1', { description: 'too late' });
    expect(locked.status).toBe(409);
    expect((await json<ErrorBody>(locked)).code).toBe('version_published');
    expect((await l.update('1', await l.get('1'))).status).toBe(200);
  });

  it('deletes drafts, and published versions only with force', async () => {
    const l = await lifecycle();
    await l.create('1');
    await l.create('2');
    await l.publish('1');
    expect((await l.update('1', { isDefault: true })).status).toBe(200);
    expect((await l.remove('2')).status).toBe(204);
    const refused = await l.remove('1');
    expect(refused.status).toBe(409);
    expect((await json<ErrorBody>(refused)).code).toBe('version_published');
    expect((await l.remove('1', true)).status).toBe(204);
    expect(
      (
        await call('GET', `/o/${l.org.organisationId}/connectors/${l.connectorId}/versions/default`, {
          apiKey: l.org.apiKey,
        })
      ).status,
    ).toBe(404);
    expect((await l.remove('1')).status).toBe(404);
  });
});
