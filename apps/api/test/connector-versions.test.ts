import type { ConnectorVersion, DefinitionPage, ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, workspace } from './children';
import { call, expectInvalidFields, json, organisation, publish, rows } from './helpers';

type Version = ConnectorVersion;

const versionCount = async (connectorId: string) =>
  Number(
    (
      await rows<{ n: string }>('SELECT count(*) AS n FROM connector_versions WHERE connector_id = $1', [connectorId])
    )[0]?.n,
  );

describe('CreateConnectorVersion', () => {
  it('creates a draft version', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const response = await org.createVersion(connectorId, { name: '1.0.0', description: 'first cut' });
    expect(response.status).toBe(201);
    const version = await json<Version>(response);
    expect(version).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      name: '1.0.0',
      description: 'first cut',
      isLatest: false,
      isDefault: false,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      updatedAt: version.createdAt,
      publishedAt: null,
      subscriptionCount: 0,
      deprecatedAt: null,
      sunsetAt: null,
      deprecationMessage: null,
    });
  });

  it.each(['1', '2024.11.01', '1.2.3-rc.1+build.5', 'v2', 'A_b-c'])('accepts the name %s', async (name) => {
    const org = await organisation();
    const connectorId = await org.connector();
    expect((await org.createVersion(connectorId, { name })).status).toBe(201);
  });

  it.each(['latest', 'default', 'Latest', 'DEFAULT', 'lAtEsT'])(
    'refuses the reserved name %s on field name',
    async (name) => {
      const org = await organisation();
      const connectorId = await org.connector();
      const response = await org.createVersion(connectorId, { name });
      expect(response.status).toBe(400);
      const body = await json<ErrorBody>(response);
      expect(body.code).toBe('invalid_argument');
      expect(body.fields).toEqual([{ field: 'name', message: expect.stringContaining('reserved') }]);
      expect(await versionCount(connectorId)).toBe(0);
    },
  );

  it.each([
    ['empty', ''],
    ['leading space', ' 1'],
    ['trailing tab', '1\t'],
    ['a line break', '1\n0'],
    ['too long', 'a'.repeat(129)],
    ['a number', 5],
    ['null', null],
  ])('refuses a name that is %s', async (_, name) => {
    const org = await organisation();
    const connectorId = await org.connector();
    const response = await org.createVersion(connectorId, { name });
    await expectInvalidFields(response, ['name']);
    expect(await versionCount(connectorId)).toBe(0);
  });

  it('refuses a missing name, a long description and a body that is not JSON', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const missing = await org.createVersion(connectorId, { description: 'no name' });
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).fields?.[0]?.field).toBe('name');

    const long = await org.createVersion(connectorId, { name: '1', description: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    expect((await json<ErrorBody>(long)).fields?.[0]?.field).toBe('description');

    const notJson = await call('POST', `/o/${org.organisationId}/connectors/${connectorId}/versions`, {
      apiKey: org.apiKey,
      rawBody: '{"name":',
    });
    expect(notJson.status).toBe(400);
    expect((await json<ErrorBody>(notJson)).code).toBe('invalid_argument');

    const array = await org.createVersion(connectorId, [{ name: '1' }]);
    expect(array.status).toBe(400);
    expect(await versionCount(connectorId)).toBe(0);
  });

  it('answers 409 for a name already used in the connector, and allows it in another connector', async () => {
    const org = await organisation();
    const first = await org.connector('first');
    const second = await org.connector('second');
    expect((await org.createVersion(first, { name: '1.0.0' })).status).toBe(201);
    const duplicate = await org.createVersion(first, { name: '1.0.0' });
    expect(duplicate.status).toBe(409);
    const body = await json<ErrorBody>(duplicate);
    expect(body.code).toBe('already_exists');
    expect(body.fields?.[0]?.field).toBe('name');
    expect((await org.createVersion(second, { name: '1.0.0' })).status).toBe(201);
    expect(await versionCount(first)).toBe(1);
  });

  it('lets exactly one of 20 racing creates of one name win', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => org.createVersion(connectorId, { name: 'race' })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect((await json<ErrorBody>(r)).code).toBe('already_exists');
    }
    expect(await versionCount(connectorId)).toBe(1);
  });

  it('answers 404 with one body for an unknown connector, a malformed id and another organisation’s connector', async () => {
    const mine = await organisation();
    const theirs = await organisation();
    const theirConnector = await theirs.connector();

    const unknown = await mine.createVersion('01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: '1' });
    const malformed = await mine.createVersion('not-an-id', { name: '1' });
    const foreign = await mine.createVersion(theirConnector, { name: '1' });
    const foreignPath = await call('POST', `/o/${theirs.organisationId}/connectors/${theirConnector}/versions`, {
      apiKey: mine.apiKey,
      body: { name: '1' },
    });
    const bodies = await Promise.all([unknown, malformed, foreign, foreignPath].map((r) => r.text()));
    expect([unknown, malformed, foreign, foreignPath].map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] ?? '')).toEqual({ code: 'not_found', message: 'connector not found' });
    expect(await versionCount(theirConnector)).toBe(0);
  });

  it('answers 400 on fromVersion for an unknown source, and writes nothing', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    for (const fromVersion of ['2', 'latest', 'default']) {
      const response = await org.createVersion(connectorId, { name: 'copy', fromVersion });
      await expectInvalidFields(response, ['fromVersion']);
    }
    expect(await versionCount(connectorId)).toBe(1);
  });

  it('does not copy from another connector’s version of the same name', async () => {
    const org = await organisation();
    const a = await org.connector('a');
    const b = await org.connector('b');
    await org.createVersion(a, { name: 'only-in-a' });
    const response = await org.createVersion(b, { name: '1', fromVersion: 'only-in-a' });
    expect(response.status).toBe(400);
  });

  it('ignores fields a caller may not set', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    const response = await org.createVersion(connectorId, {
      name: '1',
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      publishedAt: '2020-01-01T00:00:00.000Z',
      isLatest: true,
      isDefault: true,
    });
    expect(response.status).toBe(201);
    const version = await json<Version>(response);
    expect(version.id).not.toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(version).toMatchObject({ publishedAt: null, isLatest: false, isDefault: false });
  });
});

describe('GetConnectorVersion', () => {
  it('reads a version by name and by the latest and default aliases', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    await org.createVersion(connectorId, { name: '2' });
    await org.createVersion(connectorId, { name: '3-draft' });
    const path = (v: string) => `/o/${org.organisationId}/connectors/${connectorId}/versions/${v}`;

    expect((await call('GET', path('latest'), { apiKey: org.apiKey })).status).toBe(404);

    await publish(connectorId, '1', new Date('2026-01-01T00:00:00Z'));
    await publish(connectorId, '2', new Date('2026-02-01T00:00:00Z'));

    const byName = await json<Version>(await call('GET', path('1'), { apiKey: org.apiKey }));
    expect(byName).toMatchObject({
      name: '1',
      isLatest: false,
      isDefault: false,
      publishedAt: '2026-01-01T00:00:00.000Z',
    });

    for (const alias of ['latest', 'default', 'LATEST']) {
      const response = await call('GET', path(alias), { apiKey: org.apiKey });
      expect(response.status).toBe(200);
      expect(await json<Version>(response)).toMatchObject({ name: '2', isLatest: true, isDefault: true });
    }

    const draft = await json<Version>(await call('GET', path('3-draft'), { apiKey: org.apiKey }));
    expect(draft).toMatchObject({ isLatest: false, isDefault: false, publishedAt: null });

    const missing = await call('GET', path('9'), { apiKey: org.apiKey });
    expect(missing.status).toBe(404);
    expect(await json<ErrorBody>(missing)).toEqual({ code: 'not_found', message: 'connector version not found' });
  });
});

describe('ListConnectorVersions', () => {
  it('pages through versions, most recently updated first, in both directions', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      expect((await org.createVersion(connectorId, { name })).status).toBe(201);
    }
    const list = async (query: string) => {
      const response = await call('GET', `/o/${org.organisationId}/connectors/${connectorId}/versions${query}`, {
        apiKey: org.apiKey,
      });
      expect(response.status).toBe(200);
      return json<{ totalCount: number; next?: string; prev?: string; items: Version[] }>(response);
    };

    const all = await list('');
    expect(all.totalCount).toBe(5);
    expect(all.items.map((v) => v.name)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(all.next).toBeUndefined();
    expect(all.prev).toBeUndefined();

    const page1 = await list('?first=2');
    expect(page1.items.map((v) => v.name)).toEqual(['e', 'd']);
    expect(page1.prev).toBeUndefined();
    const page2 = await list(`?first=2&after=${page1.next ?? ''}`);
    expect(page2.items.map((v) => v.name)).toEqual(['c', 'b']);
    const page3 = await list(`?first=2&after=${page2.next ?? ''}`);
    expect(page3.items.map((v) => v.name)).toEqual(['a']);
    expect(page3.next).toBeUndefined();
    const back = await list(`?first=2&before=${page3.prev ?? ''}`);
    expect(back.items.map((v) => v.name)).toEqual(['c', 'b']);
    expect(back.next).toBeDefined();
    expect(back.prev).toBeDefined();
    expect(back.totalCount).toBe(5);
  });

  it('refuses bad page parameters and cursors from another list with 400', async () => {
    const org = await organisation();
    const a = await org.connector('a');
    const b = await org.connector('b');
    for (const name of ['1', '2']) await org.createVersion(a, { name });
    const listA = await json<{ next?: string }>(
      await call('GET', `/o/${org.organisationId}/connectors/${a}/versions?first=1`, { apiKey: org.apiKey }),
    );
    expect(listA.next).toBeDefined();

    const cases: [string, string][] = [
      [`first=0`, 'first'],
      [`first=abc`, 'first'],
      [`after=not-a-cursor`, 'after'],
      [`after=${listA.next ?? ''}`, 'after'],
      [`before=${listA.next ?? ''}&after=${listA.next ?? ''}`, 'before'],
    ];
    for (const [query, field] of cases) {
      const response = await call('GET', `/o/${org.organisationId}/connectors/${b}/versions?${query}`, {
        apiKey: org.apiKey,
      });
      expect(response.status, query).toBe(400);
      const body = await json<ErrorBody>(response);
      expect(body.code).toBe('invalid_argument');
      expect(body.fields?.map((f) => f.field)).toContain(field);
    }
  });

  it('serves the largest page, 100, when `first` asks for more (the reference sets no maximum)', async () => {
    const w = await workspace();
    await w.version('1');
    for (const batch of [0, 1])
      await w.definitions(
        '1',
        Array.from({ length: 60 }, (_, i) => jsonDefinition(`D${String(batch * 60 + i)}`)),
      );
    const page = await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions?first=500')));
    expect(page.definitions).toHaveLength(100);
    expect(page.totalCount).toBe(120);
    expect(page.next).toBeDefined();
  });

  it('answers 404 for another organisation’s connector', async () => {
    const mine = await organisation();
    const theirs = await organisation();
    const connectorId = await theirs.connector();
    const response = await call('GET', `/o/${mine.organisationId}/connectors/${connectorId}/versions`, {
      apiKey: mine.apiKey,
    });
    expect(response.status).toBe(404);
    expect(await json<ErrorBody>(response)).toEqual({ code: 'not_found', message: 'connector not found' });
  });
});
