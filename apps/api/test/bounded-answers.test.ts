import type { ApiKey, Connector, ConnectorPage, ConnectorVersion } from '@connect/contracts';
import { embeddedVersionsMax, tagLimits } from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectInvalidFields, json, newOrganisation, organisation, origin, rows, sql } from './helpers';
import { idToken } from './support/id-tokens';

// Large organisations are seeded with SQL (one statement each), not through thousands of calls.

/** The largest tags a connector may have: every key, every value, each as long as allowed. */
function maximalTags(): Record<string, string[]> {
  const tags: Record<string, string[]> = {};
  for (let k = 0; k < tagLimits.keys; k++) {
    // Quotes double in JSON, so these are as large as the answer's JSON can make them.
    tags[`${k}`.padEnd(tagLimits.keyLength, 'k')] = Array.from({ length: tagLimits.valuesPerKey }, () =>
      '"'.repeat(tagLimits.valueLength),
    );
  }
  return tags;
}

/** `count` draft versions of a connector, each with a 2,000-character description. */
async function seedVersions(connectorId: string, count: number): Promise<void> {
  await sql.query(
    `INSERT INTO connector_versions (connector_id, name, description, created_at, updated_at)
     SELECT $1, '1.0.' || g, repeat('d"', 1000), now() - g * interval '1 ms', now() - g * interval '1 ms'
     FROM generate_series(1, $2::int) g`,
    [connectorId, count],
  );
}

/** A tRPC call; `data` is the procedure's result on success. */
async function trpc(credential: string, path: string, input: unknown, method: 'GET' | 'POST' = 'GET') {
  const url =
    method === 'GET'
      ? `${origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
      : `${origin}/trpc/${path}`;
  const response = await exports.default.fetch(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    data: response.status === 200 ? (JSON.parse(text) as { result: { data: unknown } }).result.data : undefined,
    text,
  };
}

describe('every answer is bounded', () => {
  it('reads and updates a connector with 5,000 versions and maximal tags over REST and tRPC', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const id = await org.connector('huge');
    const tags = maximalTags();
    const body = { name: 'huge', baseUrl: 'https://api.example.com', tags };
    expect((await call('PUT', `${o}/connectors/${id}`, { apiKey: org.apiKey, body })).status).toBe(200);
    await seedVersions(id, 5000);

    const got = await call('GET', `${o}/connectors/${id}`, { apiKey: org.apiKey });
    expect(got.status).toBe(200);
    const connector = await json<Connector>(got);
    expect(connector.tags).toEqual(tags);
    expect(connector.versions).toHaveLength(embeddedVersionsMax);
    // The most recently updated, as the first page of …/versions lists them.
    const firstPage = await json<{ items: ConnectorVersion[] }>(
      await call('GET', `${o}/connectors/${id}/versions?first=${embeddedVersionsMax}`, { apiKey: org.apiKey }),
    );
    expect(connector.versions.map((v) => v.name)).toEqual(firstPage.items.map((v) => v.name));
    expect(connector.versions[0]?.name).toBe('1.0.1');

    const put = await call('PUT', `${o}/connectors/${id}`, { apiKey: org.apiKey, body: { ...body, name: 'renamed' } });
    expect(put.status).toBe(200);
    expect((await json<Connector>(put)).versions).toHaveLength(embeddedVersionsMax);

    const listed = await call('GET', `${o}/connectors`, { apiKey: org.apiKey });
    expect(listed.status).toBe(200);
    expect((await json<ConnectorPage>(listed)).connectors.map((c) => c.id)).toEqual([id]);

    const viaGet = await trpc(org.apiKey, 'connectors.get', { connectorId: id });
    expect(viaGet.status).toBe(200);
    expect((viaGet.data as Connector).versions).toHaveLength(embeddedVersionsMax);
    const viaList = await trpc(org.apiKey, 'connectors.list', {});
    expect(viaList.status).toBe(200);
    expect((viaList.data as ConnectorPage).connectors).toHaveLength(1);
    const viaUpdate = await trpc(org.apiKey, 'connectors.update', { connectorId: id, ...body }, 'POST');
    expect(viaUpdate.status).toBe(200);
    expect((viaUpdate.data as Connector).name).toBe('huge');

    const versions = await call('GET', `${o}/connectors/${id}/versions?first=100`, { apiKey: org.apiKey });
    expect(versions.status).toBe(200);
    expect((await json<{ totalCount: number }>(versions)).totalCount).toBe(5000);
  });

  it('ends a page of connectors early at its byte budget, and pages on from there', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    // 20 connectors, each with maximal tags and more versions than it embeds: about 460 KB of JSON each.
    await sql.query(
      `WITH c AS (
         INSERT INTO connectors (organisation_id, name, base_url, tags)
         SELECT $1, 'bulk-' || g, 'https://api.example.com', $2::jsonb FROM generate_series(1, 20) g
         RETURNING id)
       INSERT INTO connector_versions (connector_id, name, description)
       SELECT c.id, '1.0.' || g, repeat('d"', 1000) FROM c, generate_series(1, 60) g`,
      [org.organisationId, JSON.stringify(maximalTags())],
    );
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const response = await call('GET', `${o}/connectors?first=100${after ? `&after=${after}` : ''}`, {
        apiKey: org.apiKey,
      });
      expect(response.status).toBe(200);
      const page = await json<ConnectorPage>(response);
      expect(page.totalCount).toBe(20);
      expect(page.connectors.length).toBeLessThan(20);
      for (const c of page.connectors) expect(c.versions).toHaveLength(embeddedVersionsMax);
      seen.push(...page.connectors.map((c) => c.id));
      after = page.next;
      pages++;
    } while (after && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(20);
    expect(seen).toHaveLength(20);
  });

  it('refuses tags beyond their bounds with 400 naming the field, over REST and tRPC', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const create = (tags: unknown) =>
      call('POST', `${o}/protocols/http/connectors`, {
        apiKey: org.apiKey,
        body: { name: 'tagged', baseUrl: 'https://api.example.com', tags },
      });
    const tooMany = Object.fromEntries(Array.from({ length: tagLimits.keys + 1 }, (_, i) => [`k${i}`, ['v']]));
    await expectInvalidFields(await create(tooMany), ['tags']);
    await expectInvalidFields(await create({ ['k'.repeat(tagLimits.keyLength + 1)]: ['v'] }), ['tags']);
    await expectInvalidFields(await create({ k: Array.from({ length: tagLimits.valuesPerKey + 1 }, () => 'v') }), [
      'tags.k',
    ]);
    await expectInvalidFields(await create({ k: ['v'.repeat(tagLimits.valueLength + 1)] }), ['tags.k[0]']);
    expect((await create(maximalTags())).status).toBe(201);
    const viaTrpc = await trpc(
      org.apiKey,
      'connectors.create',
      { name: 'tagged', baseUrl: 'https://api.example.com', tags: tooMany },
      'POST',
    );
    expect(viaTrpc.status).toBe(400);
    expect(viaTrpc.text).toContain('tags');
  });

  it('pages API keys with first and cursors, over REST and tRPC', async () => {
    const org = await newOrganisation();
    const token = await idToken(org.organisationId);
    const keys = `/o/${org.organisationId}/api-keys`;
    await sql.query(
      `INSERT INTO api_keys (organisation_id, name, prefix, key_hash, created_at)
       SELECT $1, 'bulk ' || g || ' ' || repeat('x', 80), 'ck_bulk00', encode(sha256(convert_to($1 || ':' || g, 'UTF8')), 'hex'),
              now() - interval '1 day' - g * interval '1 ms'
       FROM generate_series(1, 45000) g`,
      [org.organisationId],
    );
    type KeyPage = { totalCount: number; next?: string; prev?: string; items: ApiKey[] };
    const first = await call('GET', keys, { token });
    expect(first.status).toBe(200);
    const page1 = await json<KeyPage>(first);
    expect(page1.totalCount).toBe(45001);
    expect(page1.items).toHaveLength(20);
    expect(page1.prev).toBeUndefined();
    // The organisation's own key is the newest; the seeded ones follow, newest first.
    const numberOf = (key: ApiKey | undefined) => key?.name.split(' ')[1];
    expect(page1.items.slice(1, 4).map(numberOf)).toEqual(['1', '2', '3']);

    const page2 = await json<KeyPage>(await call('GET', `${keys}?first=100&after=${page1.next}`, { token }));
    expect(page2.items).toHaveLength(100);
    expect(numberOf(page2.items[0])).toBe('20');
    expect(page2.prev).toBeDefined();
    const back = await json<KeyPage>(await call('GET', `${keys}?first=19&before=${page2.prev}`, { token }));
    expect(back.items.map((k) => k.id)).toEqual(page1.items.slice(1).map((k) => k.id));

    const bad = await call('GET', `${keys}?after=nope`, { token });
    await expectInvalidFields(bad, ['after']);

    const viaTrpc = await trpc(token, 'apiKeys.list', { first: 5, after: page1.next });
    expect(viaTrpc.status).toBe(200);
    expect((viaTrpc.data as KeyPage).items.map((k) => k.id)).toEqual(page2.items.slice(0, 5).map((k) => k.id));
    const [count] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE organisation_id = $1', [
      org.organisationId,
    ]);
    expect(count?.n).toBe(45001);
  });
});
