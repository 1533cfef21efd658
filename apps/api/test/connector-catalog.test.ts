import { createClient } from '@connect/client';
import {
  categoryNames,
  type AuthSchemePage,
  type Connector,
  type ConnectorPage,
  type ProtocolPage,
} from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, organisation, type Organisation } from './helpers';

const connectorPath = (org: Organisation, id: string, rest = '') => `/o/${org.organisationId}/connectors/${id}${rest}`;

async function connectorOf(org: Organisation, id: string): Promise<{ body: Connector; etag: string | null }> {
  const response = await call('GET', connectorPath(org, id), { apiKey: org.apiKey });
  return { body: await json<Connector>(response), etag: response.headers.get('etag') };
}

async function createConnector(org: Organisation, body: Record<string, unknown>): Promise<Connector> {
  const response = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
    apiKey: org.apiKey,
    body: { baseUrl: 'https://api.example.com', ...body },
  });
  expect(response.status).toBe(201);
  return json<Connector>(response);
}

async function listed(org: Organisation, query: string): Promise<ConnectorPage> {
  const response = await call('GET', `/o/${org.organisationId}/connectors?${query}`, { apiKey: org.apiKey });
  expect(response.status, query).toBe(200);
  return json<ConnectorPage>(response);
}

const names = (page: ConnectorPage) => page.connectors.map((c) => c.name).sort();

describe('UpdateConnectorTags and UpdateConnectorCategories', () => {
  it('replace the tags or categories whole, answer 204 with the new ETag, and leave the rest as it was', async () => {
    const org = await organisation();
    const id = await org.connector('Shop');
    const before = await connectorOf(org, id);
    expect(before.body.categories).toEqual([]);

    const tagged = await call('PUT', connectorPath(org, id, '/tags'), {
      apiKey: org.apiKey,
      body: { tags: { env: ['prod', 'eu'], team: [] } },
    });
    expect(tagged.status).toBe(204);
    const afterTags = await connectorOf(org, id);
    expect(afterTags.body.tags).toEqual({ env: ['prod', 'eu'], team: [] });
    expect(tagged.headers.get('etag')).toBe(afterTags.etag);

    // The same category twice is kept once; the set is in the reference's order.
    const categorised = await call('PUT', connectorPath(org, id, '/categories'), {
      apiKey: org.apiKey,
      body: { categories: ['CRM', 'ERP', 'CRM'] },
    });
    expect(categorised.status).toBe(204);
    const after = await connectorOf(org, id);
    expect(after.body.categories).toEqual(['ERP', 'CRM']);
    expect(after.body.tags).toEqual({ env: ['prod', 'eu'], team: [] });
    expect(categorised.headers.get('etag')).toBe(after.etag);
    // Everything else is as it was.
    const unlabelled = (c: Connector) => ({ ...c, tags: {}, categories: [], updatedAt: '' });
    expect(unlabelled(after.body)).toEqual(unlabelled(before.body));

    // An empty body clears the tags; categories: [] clears the categories.
    expect((await call('PUT', connectorPath(org, id, '/tags'), { apiKey: org.apiKey, body: {} })).status).toBe(204);
    expect(
      (await call('PUT', connectorPath(org, id, '/categories'), { apiKey: org.apiKey, body: { categories: [] } }))
        .status,
    ).toBe(204);
    expect((await connectorOf(org, id)).body).toMatchObject({ tags: {}, categories: [] });
  });

  it('refuse a stale If-Match (412), bad values (400 naming the field) and other organisations’ connectors (404), changing nothing', async () => {
    const org = await organisation();
    const other = await organisation();
    const id = await org.connector();
    const { etag } = await connectorOf(org, id);
    await call('PUT', connectorPath(org, id, '/tags'), { apiKey: org.apiKey, body: { tags: { a: ['1'] } } });

    const stale = await call('PUT', connectorPath(org, id, '/categories'), {
      apiKey: org.apiKey,
      body: { categories: ['HR'] },
      headers: { 'If-Match': etag ?? '' },
    });
    expect(stale.status).toBe(412);
    await expectInvalidFields(
      await call('PUT', connectorPath(org, id, '/categories'), {
        apiKey: org.apiKey,
        body: { categories: ['Gardening'] },
      }),
      ['categories[0]'],
    );
    await expectInvalidFields(
      await call('PUT', connectorPath(org, id, '/tags'), { apiKey: org.apiKey, body: { tags: { '': ['x'] } } }),
      ['tags'],
    );
    await expectInvalidFields(
      await call('PUT', connectorPath(org, id, '/tags'), { apiKey: org.apiKey, body: { tags: { a: 'not-a-list' } } }),
      ['tags.a'],
    );
    for (const route of ['/tags', '/categories']) {
      const response = await call('PUT', connectorPath(other, id, route), {
        apiKey: other.apiKey,
        body: { tags: {}, categories: [] },
      });
      expect(response.status, route).toBe(404);
    }
    expect((await connectorOf(org, id)).body).toMatchObject({ tags: { a: ['1'] }, categories: [] });
  });
});

describe('ListConnectors filters', () => {
  it('filter by a part of the name, the protocol, tags and categories, all together, with totals and cursors of their own', async () => {
    const org = await organisation();
    const shop = await createConnector(org, { name: 'Shopify 100%', tags: { env: ['prod'], team: ['growth'] } });
    const erp = await createConnector(org, { name: 'NetSuite', tags: { env: ['staging'] } });
    const crm = await createConnector(org, { name: 'HubSpot CRM', tags: { team: [] } });
    await call('PUT', connectorPath(org, shop.id, '/categories'), {
      apiKey: org.apiKey,
      body: { categories: ['eCommerce'] },
    });
    await call('PUT', connectorPath(org, erp.id, '/categories'), {
      apiKey: org.apiKey,
      body: { categories: ['ERP', 'Accounting'] },
    });
    await call('PUT', connectorPath(org, crm.id, '/categories'), { apiKey: org.apiKey, body: { categories: ['CRM'] } });

    expect(names(await listed(org, 'name=SHOP'))).toEqual(['Shopify 100%']);
    expect(names(await listed(org, 'name=s'))).toEqual(['HubSpot CRM', 'NetSuite', 'Shopify 100%']);
    // `%` and `_` are the characters themselves, not patterns.
    expect(names(await listed(org, 'name=0%25'))).toEqual(['Shopify 100%']);
    expect(names(await listed(org, 'name=_'))).toEqual([]);
    expect((await listed(org, 'protocol=HT')).totalCount).toBe(3);
    expect((await listed(org, 'protocol=bigquery')).totalCount).toBe(0);
    expect(names(await listed(org, 'tags=env'))).toEqual(['NetSuite', 'Shopify 100%']);
    expect(names(await listed(org, 'tags=env:prod'))).toEqual(['Shopify 100%']);
    expect(names(await listed(org, 'tags=team'))).toEqual(['HubSpot CRM', 'Shopify 100%']);
    expect(names(await listed(org, 'tags=env:prod,team:growth'))).toEqual(['Shopify 100%']);
    expect(names(await listed(org, 'tags=env:staging,team'))).toEqual([]);
    expect(names(await listed(org, 'categories=ERP'))).toEqual(['NetSuite']);
    expect(names(await listed(org, 'categories=ERP&categories=Accounting'))).toEqual(['NetSuite']);
    expect(names(await listed(org, 'categories=ERP&categories=CRM'))).toEqual([]);
    expect(names(await listed(org, `categories=${encodeURIComponent('eCommerce')}&name=shop&tags=env`))).toEqual([
      'Shopify 100%',
    ]);

    const firstPage = await listed(org, 'tags=team&first=1');
    expect(firstPage.totalCount).toBe(2);
    expect(firstPage.next).toBeDefined();
    const second = await listed(org, `tags=team&first=1&after=${firstPage.next ?? ''}`);
    expect(second.connectors).toHaveLength(1);
    expect(second.next).toBeUndefined();
    // A cursor holds its filters: with others, or none, it is a 400.
    for (const query of [`after=${firstPage.next ?? ''}`, `tags=env&after=${firstPage.next ?? ''}`]) {
      const response = await call('GET', `/o/${org.organisationId}/connectors?${query}`, { apiKey: org.apiKey });
      await expectInvalidFields(response, ['after']);
    }
  });

  it('refuses filters that cannot match anything by their form, naming them', async () => {
    const org = await organisation();
    for (const [query, field] of [
      ['tags=:prod', 'tags'],
      ['tags=a,,b', 'tags'],
      ['categories=Gardening', 'categories[0]'],
      [`name=${'x'.repeat(201)}`, 'name'],
    ] as const) {
      await expectInvalidFields(
        await call('GET', `/o/${org.organisationId}/connectors?${query}`, { apiKey: org.apiKey }),
        [field],
      );
    }
  });
});

describe('categories, protocols and auth schemes', () => {
  it('lists the reference’s categories, the http protocol and its six auth schemes, paged', async () => {
    const org = await organisation();
    const categories = await json<string[]>(await call('GET', '/categories', { apiKey: org.apiKey }));
    expect(categories).toEqual([...categoryNames]);

    const protocols = await json<ProtocolPage>(
      await call('GET', `/o/${org.organisationId}/protocols`, { apiKey: org.apiKey }),
    );
    expect(protocols.totalCount).toBe(1);
    expect(protocols.protocols).toEqual([
      {
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        slug: 'http',
        name: 'HTTP',
        description: expect.any(String),
        iconURL: 'http://connect.test/icons/protocols/http.svg',
      },
    ]);

    const path = `/o/${org.organisationId}/protocols/http/auth-schemes`;
    const all = await json<AuthSchemePage>(await call('GET', path, { apiKey: org.apiKey }));
    expect(all.authSchemes.map((s) => s.type)).toEqual([
      'none',
      'api-key',
      'basic-auth',
      'oauth2',
      'hmac',
      'certificate',
    ]);
    const first = await json<AuthSchemePage>(await call('GET', `${path}?first=4`, { apiKey: org.apiKey }));
    expect(first.authSchemes).toEqual(all.authSchemes.slice(0, 4));
    const rest = await json<AuthSchemePage>(
      await call('GET', `${path}?first=4&after=${first.next ?? ''}`, { apiKey: org.apiKey }),
    );
    expect(rest.authSchemes).toEqual(all.authSchemes.slice(4));
    expect(rest.next).toBeUndefined();
    const back = await json<AuthSchemePage>(
      await call('GET', `${path}?first=4&before=${rest.prev ?? ''}`, { apiKey: org.apiKey }),
    );
    expect(back.authSchemes).toEqual(all.authSchemes.slice(0, 4));

    for (const slug of ['bigquery', 'ftp']) {
      const response = await call('GET', `/o/${org.organisationId}/protocols/${slug}/auth-schemes`, {
        apiKey: org.apiKey,
      });
      expect(response.status, slug).toBe(404);
    }
    await expectInvalidFields(
      await call('GET', `/o/${org.organisationId}/protocols/http/auth-schemes?after=${protocols.next ?? 'x'}`, {
        apiKey: org.apiKey,
      }),
      ['after'],
    );
    // Without a credential, nothing.
    expect((await call('GET', '/categories')).status).toBe(401);
  });

  it('serves the same over tRPC: filters, labels and the lists', async () => {
    const org = await organisation();
    const client = createClient({
      url: 'http://connect.test',
      apiKey: org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const a = await client.connectors.create.mutate({ name: 'Alpha', baseUrl: 'https://a.example.com' });
    await client.connectors.create.mutate({ name: 'Beta', baseUrl: 'https://b.example.com' });
    const { etag } = await client.connectors.updateTags.mutate({ connectorId: a.id, tags: { env: ['prod'] } });
    await client.connectors.updateCategories.mutate({ connectorId: a.id, categories: ['HR'], ifMatch: etag });
    const page = await client.connectors.list.query({ tags: 'env:prod', categories: ['HR'] });
    expect(page.connectors.map((c) => c.name)).toEqual(['Alpha']);
    expect(page.connectors[0]).toMatchObject({ tags: { env: ['prod'] }, categories: ['HR'] });
    expect(await client.catalog.categories.query()).toEqual([...categoryNames]);
    expect((await client.catalog.protocols.query()).protocols.map((p) => p.slug)).toEqual(['http']);
    expect((await client.catalog.authSchemes.query({ protocolSlug: 'http', first: 2 })).authSchemes).toHaveLength(2);
  });
});
