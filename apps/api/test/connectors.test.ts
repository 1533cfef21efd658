import type { ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { call, json, organisation } from './helpers';

describe('connectors', () => {
  it('creates an HTTP connector with every field the reference requires', async () => {
    const org = await organisation();
    const response = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
      apiKey: org.apiKey,
      body: {
        name: 'Shop',
        baseUrl: 'https://shop.example.com/v2',
        public: true,
        documentationURL: 'https://docs.example.com',
        tags: { category: ['e-commerce'] },
        connectionVariables: [{ name: 'region', value: 'eu' }],
        authSchemeConfigs: [],
        organisationId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      },
    });
    expect(response.status).toBe(201);
    const connector = await json(response);
    expect(connector).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      organisationId: org.organisationId,
      name: 'Shop',
      protocol: 'http',
      baseUrl: 'https://shop.example.com/v2',
      public: true,
      documentationURL: 'https://docs.example.com',
      imageURL: '',
      tags: { category: ['e-commerce'] },
      categories: [],
      connectionVariables: [{ name: 'region', value: 'eu' }],
      authSchemeConfigs: [],
      compatibilityPolicy: 'none',
      connections: [],
      versions: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('names the wrong field of a bad connector body', async () => {
    const org = await organisation();
    const cases: [unknown, string][] = [
      [{ baseUrl: 'https://x.example.com' }, 'name'],
      [{ name: '  ', baseUrl: 'https://x.example.com' }, 'name'],
      [{ name: 'x' }, 'baseUrl'],
      [{ name: 'x', baseUrl: 'ftp://x.example.com' }, 'baseUrl'],
      [{ name: 'x', baseUrl: 'https://x.example.com', tags: { a: 'not-a-list' } }, 'tags.a'],
      [
        { name: 'x', baseUrl: 'https://x.example.com', connectionVariables: [{ name: 'a' }] },
        'connectionVariables[0].value',
      ],
      [
        { name: 'x', baseUrl: 'https://x.example.com', authSchemeConfigs: [{ id: 'a', type: 'none' }] },
        'authSchemeConfigs[0].schemeType',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
        apiKey: org.apiKey,
        body,
      });
      expect(response.status, field).toBe(400);
      const error = await json<ErrorBody>(response);
      expect(error.code).toBe('invalid_argument');
      expect(error.fields?.map((f) => f.field)).toContain(field);
    }
    const list = await json<{ totalCount: number }>(
      await call('GET', `/o/${org.organisationId}/connectors`, { apiKey: org.apiKey }),
    );
    expect(list.totalCount).toBe(0);
  });

  it('gets a connector with its versions and lists the organisation’s connectors only', async () => {
    const mine = await organisation();
    const theirs = await organisation();
    const a = await mine.connector('a');
    const b = await mine.connector('b');
    await theirs.connector('theirs');
    await mine.createVersion(a, { name: '1' });

    const got = await json<{ versions: { name: string }[] }>(
      await call('GET', `/o/${mine.organisationId}/connectors/${a}`, { apiKey: mine.apiKey }),
    );
    expect(got.versions.map((v) => v.name)).toEqual(['1']);

    const page = await json<{ totalCount: number; connectors: { id: string }[]; next?: string }>(
      await call('GET', `/o/${mine.organisationId}/connectors?first=1`, { apiKey: mine.apiKey }),
    );
    expect(page.totalCount).toBe(2);
    // Most recently updated first: b was created last.
    expect(page.connectors.map((c) => c.id)).toEqual([b]);
    const rest = await json<{ connectors: { id: string }[] }>(
      await call('GET', `/o/${mine.organisationId}/connectors?first=1&after=${page.next ?? ''}`, {
        apiKey: mine.apiKey,
      }),
    );
    expect(rest.connectors.map((c) => c.id)).toEqual([a]);
  });

  it('treats another organisation in the path as nothing at all', async () => {
    const mine = await organisation();
    const theirs = await organisation();
    const theirConnector = await theirs.connector();
    const list = await call('GET', `/o/${theirs.organisationId}/connectors`, { apiKey: mine.apiKey });
    expect(list.status).toBe(404);
    expect(await json(list)).toEqual({ code: 'not_found', message: 'organisation not found' });

    const get = await call('GET', `/o/${theirs.organisationId}/connectors/${theirConnector}`, { apiKey: mine.apiKey });
    const getViaMine = await call('GET', `/o/${mine.organisationId}/connectors/${theirConnector}`, {
      apiKey: mine.apiKey,
    });
    expect(get.status).toBe(404);
    expect(getViaMine.status).toBe(404);
    expect(await get.text()).toBe(await getViaMine.text());

    const create = await call('POST', `/o/${theirs.organisationId}/protocols/http/connectors`, {
      apiKey: mine.apiKey,
      body: { name: 'intruder', baseUrl: 'https://x.example.com' },
    });
    expect(create.status).toBe(404);
    const theirList = await json<{ totalCount: number }>(
      await call('GET', `/o/${theirs.organisationId}/connectors`, { apiKey: theirs.apiKey }),
    );
    expect(theirList.totalCount).toBe(1);
  });

  it('replaces a connector’s mutable fields, unsetting those left out', async () => {
    const org = await organisation();
    const path = `/o/${org.organisationId}/connectors`;
    const created = await json<{ id: string; createdAt: string }>(
      await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
        apiKey: org.apiKey,
        body: {
          name: 'Shop',
          baseUrl: 'https://shop.example.com',
          tags: { a: ['b'] },
          documentationURL: 'https://docs.example.com',
        },
      }),
    );
    const response = await call('PUT', `${path}/${created.id}`, {
      apiKey: org.apiKey,
      body: { protocol: 'http', name: 'Shop 2', baseUrl: 'https://shop2.example.com', public: true, id: created.id },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      id: created.id,
      name: 'Shop 2',
      baseUrl: 'https://shop2.example.com',
      public: true,
      tags: {},
      documentationURL: '',
      createdAt: created.createdAt,
    });
    for (const [body, field] of [
      [{ name: 'x' }, 'baseUrl'],
      [{ baseUrl: 'https://x.example.com' }, 'name'],
      [{ name: 'x', baseUrl: 'https://x.example.com', protocol: 'bigquery' }, 'protocol'],
      [{ name: 'x', baseUrl: 'https://x.example.com', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'id'],
      [{ name: 'x', baseUrl: 'https://x.example.com', organisationId: 'another' }, 'organisationId'],
      [{ name: 'x', baseUrl: 'https://x.example.com', imageURL: 'ftp://x.example.com/a.png' }, 'imageURL'],
    ] as const) {
      const bad = await call('PUT', `${path}/${created.id}`, { apiKey: org.apiKey, body });
      expect(bad.status).toBe(400);
      expect((await json<ErrorBody>(bad)).fields?.map((f) => f.field)).toContain(field);
    }
  });

  it('takes back a connector as it was read, empty links included, and clears a link sent empty', async () => {
    const org = await organisation();
    const path = `/o/${org.organisationId}/connectors`;
    const id = await org.connector('Round trip');
    const read = await json(await call('GET', `${path}/${id}`, { apiKey: org.apiKey }));
    expect(read).toMatchObject({ documentationURL: '', imageURL: '', organisationId: org.organisationId });
    const sentBack = await call('PUT', `${path}/${id}`, {
      apiKey: org.apiKey,
      body: { ...read, name: 'Round trip 2' },
    });
    expect(sentBack.status).toBe(200);
    expect(await json(sentBack)).toMatchObject({ id, name: 'Round trip 2', documentationURL: '', imageURL: '' });

    const linked = await call('PUT', `${path}/${id}`, {
      apiKey: org.apiKey,
      body: { ...read, documentationURL: 'https://docs.example.com' },
    });
    expect(await json(linked)).toMatchObject({ documentationURL: 'https://docs.example.com' });
    const cleared = await call('PUT', `${path}/${id}`, { apiKey: org.apiKey, body: { ...read, documentationURL: '' } });
    expect(await json(cleared)).toMatchObject({ documentationURL: '' });
  });

  it('deletes a connector with its versions, published ones too; one with subscribed versions only with force', async () => {
    const org = await organisation();
    const path = `/o/${org.organisationId}/connectors`;
    const draftOnly = await org.connector('drafts');
    await org.createVersion(draftOnly, { name: '1' });
    expect((await call('DELETE', `${path}/${draftOnly}`, { apiKey: org.apiKey })).status).toBe(204);
    expect((await call('GET', `${path}/${draftOnly}`, { apiKey: org.apiKey })).status).toBe(404);

    const unsubscribed = await org.connector('published');
    await org.createVersion(unsubscribed, { name: '1' });
    expect((await call('POST', `${path}/${unsubscribed}/versions/1/publish`, { apiKey: org.apiKey })).status).toBe(200);
    expect((await call('DELETE', `${path}/${unsubscribed}`, { apiKey: org.apiKey })).status).toBe(204);

    const live = await org.connector('live');
    await org.createVersion(live, { name: '1' });
    expect((await call('POST', `${path}/${live}/versions/1/publish`, { apiKey: org.apiKey })).status).toBe(200);
    const subscribe = { apiKey: org.apiKey, body: { subscriber: 'switchboard' } };
    expect((await call('POST', `${path}/${live}/versions/1/subscriptions`, subscribe)).status).toBe(201);
    const refused = await call('DELETE', `${path}/${live}`, { apiKey: org.apiKey });
    expect(refused.status).toBe(409);
    expect((await json<ErrorBody>(refused)).code).toBe('version_subscribed');
    expect((await call('DELETE', `${path}/${live}?force=maybe`, { apiKey: org.apiKey })).status).toBe(400);
    expect((await call('DELETE', `${path}/${live}?force=False`, { apiKey: org.apiKey })).status).toBe(409);
    // Booleans as HTTP libraries spell them: Python's `True`, or 1.
    expect((await call('DELETE', `${path}/${live}?force=True`, { apiKey: org.apiKey })).status).toBe(204);
    expect((await call('DELETE', `${path}/${live}?force=true`, { apiKey: org.apiKey })).status).toBe(404);
  });
});
