import { exports } from 'cloudflare:workers';
import type { ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction } from './children';
import { call, json, organisation, restRoot } from './helpers';

const body = { name: 'Shop', baseUrl: 'https://shop.example.com/v2' };

async function connectorOf() {
  const org = await organisation();
  const created = await call('POST', `/o/${org.organisationId}/protocols/http/connectors`, {
    apiKey: org.apiKey,
    body,
  });
  expect(created.status).toBe(201);
  const { id } = await json<{ id: string }>(created);
  return { org, path: `/o/${org.organisationId}/connectors/${id}` };
}

describe('connector entity tags', () => {
  it('a GET carries a strong ETag that stays the same across reads and changes with a write', async () => {
    const { org, path } = await connectorOf();
    const first = await call('GET', path, { apiKey: org.apiKey });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await call('GET', path, { apiKey: org.apiKey })).headers.get('etag')).toBe(etag);

    const updated = await call('PUT', path, { apiKey: org.apiKey, body: { ...body, name: 'Shop 2' } });
    expect(updated.status).toBe(200);
    const newEtag = updated.headers.get('etag');
    expect(newEtag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(newEtag).not.toBe(etag);
    // The PUT's ETag is the one the next GET shows.
    expect((await call('GET', path, { apiKey: org.apiKey })).headers.get('etag')).toBe(newEtag);
  });

  it('the embedded versions are part of the representation: a new version changes the ETag', async () => {
    const { org, path } = await connectorOf();
    const before = (await call('GET', path, { apiKey: org.apiKey })).headers.get('etag');
    const version = await call('POST', `${path}/versions`, { apiKey: org.apiKey, body: { name: '1.0.0' } });
    expect(version.status).toBe(201);
    expect((await call('GET', path, { apiKey: org.apiKey })).headers.get('etag')).not.toBe(before);
  });

  it('If-None-Match with the current tag answers 304 without a body; a stale one the 200', async () => {
    const { org, path } = await connectorOf();
    const etag = (await call('GET', path, { apiKey: org.apiKey })).headers.get('etag') ?? '';
    const notModified = await call('GET', path, { apiKey: org.apiKey, headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(await notModified.text()).toBe('');
    const weak = await call('GET', path, { apiKey: org.apiKey, headers: { 'if-none-match': `"x", W/${etag}` } });
    expect(weak.status).toBe(304);
    const stale = await call('GET', path, {
      apiKey: org.apiKey,
      headers: { 'if-none-match': '"00000000000000000000000000000000"' },
    });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('etag')).toBe(etag);
  });

  it('PUT with a stale If-Match is 412 failed_precondition and changes nothing; the current one passes', async () => {
    const { org, path } = await connectorOf();
    const etag = (await call('GET', path, { apiKey: org.apiKey })).headers.get('etag') ?? '';
    const changed = await call('PUT', path, { apiKey: org.apiKey, body: { ...body, name: 'Changed' } });
    expect(changed.status).toBe(200);
    const current = changed.headers.get('etag') ?? '';

    const stale = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { ...body, name: 'Lost update' },
      headers: { 'if-match': etag },
    });
    expect(stale.status).toBe(412);
    const error = await json<ErrorBody>(stale);
    expect(error.code).toBe('failed_precondition');
    expect(error.message).toContain('changed');
    const after = await call('GET', path, { apiKey: org.apiKey });
    expect((await json(after)).name).toBe('Changed');
    expect(after.headers.get('etag')).toBe(current);

    // A weak tag never matches for If-Match (strong comparison).
    const weak = await call('PUT', path, { apiKey: org.apiKey, body, headers: { 'if-match': `W/${current}` } });
    expect(weak.status).toBe(412);

    const fresh = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { ...body, name: 'Next' },
      headers: { 'if-match': `"00000000000000000000000000000000", ${current}` },
    });
    expect(fresh.status).toBe(200);
    expect((await json(fresh)).name).toBe('Next');
    expect((await call('PUT', path, { apiKey: org.apiKey, body, headers: { 'if-match': '*' } })).status).toBe(200);
  });

  it('DELETE with a stale If-Match is 412 and keeps the connector; with the current one it deletes', async () => {
    const { org, path } = await connectorOf();
    const etag = (await call('GET', path, { apiKey: org.apiKey })).headers.get('etag') ?? '';
    const current =
      (await call('PUT', path, { apiKey: org.apiKey, body: { ...body, name: 'Changed' } })).headers.get('etag') ?? '';
    const stale = await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect((await json<ErrorBody>(stale)).code).toBe('failed_precondition');
    expect((await call('GET', path, { apiKey: org.apiKey })).status).toBe(200);
    expect((await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': current } })).status).toBe(204);
    expect((await call('GET', path, { apiKey: org.apiKey })).status).toBe(404);
    // A missing resource stays a 404, whatever the tag.
    expect((await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': current } })).status).toBe(404);
  });

  it('two PUTs with the same If-Match at once: exactly one 200, the other 412', async () => {
    const { org, path } = await connectorOf();
    const etag = (await call('GET', path, { apiKey: org.apiKey })).headers.get('etag') ?? '';
    for (let round = 0; round < 5; round++) {
      const tag = round === 0 ? etag : ((await call('GET', path, { apiKey: org.apiKey })).headers.get('etag') ?? '');
      const answers = await Promise.all(
        ['A', 'B'].map((name) =>
          call('PUT', path, {
            apiKey: org.apiKey,
            body: { ...body, name: `${name}${round}` },
            headers: { 'if-match': tag },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    }
  });
});

describe('version entity tags', () => {
  async function versionOf() {
    const { org, path: connectorPath } = await connectorOf();
    const created = await call('POST', `${connectorPath}/versions`, { apiKey: org.apiKey, body: { name: '1' } });
    expect(created.status).toBe(201);
    return { org, connectorPath, path: `${connectorPath}/versions/1` };
  }
  const etagOf = async (apiKey: string, path: string) =>
    (await call('GET', path, { apiKey })).headers.get('etag') ?? '';

  it('GET by name, latest and default gives the same strong ETag; 304 on If-None-Match', async () => {
    const { org, connectorPath, path } = await versionOf();
    // latest and default name published versions only.
    expect((await call('POST', `${path}/publish`, { apiKey: org.apiKey })).status).toBe(200);
    const etag = await etagOf(org.apiKey, path);
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await etagOf(org.apiKey, `${connectorPath}/versions/latest`)).toBe(etag);
    expect(await etagOf(org.apiKey, `${connectorPath}/versions/default`)).toBe(etag);
    const notModified = await call('GET', path, { apiKey: org.apiKey, headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
  });

  it('a change to a child moves the version’s ETag', async () => {
    const { org, path } = await versionOf();
    const etag = await etagOf(org.apiKey, path);
    const definition = await call('POST', `${path}/definitions`, {
      apiKey: org.apiKey,
      body: { definitions: [jsonDefinition('Pet')] },
    });
    expect(definition.status).toBe(201);
    expect(await etagOf(org.apiKey, path)).not.toBe(etag);
  });

  it('PUT: a stale If-Match is 412 and changes nothing; the current one passes and returns the new ETag', async () => {
    const { org, path } = await versionOf();
    const stale = await etagOf(org.apiKey, path);
    const first = await call('PUT', path, { apiKey: org.apiKey, body: { description: 'first' } });
    expect(first.status).toBe(200);
    const current = first.headers.get('etag') ?? '';
    expect(current).not.toBe(stale);
    expect(await etagOf(org.apiKey, path)).toBe(current);

    const refused = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { description: 'lost' },
      headers: { 'if-match': stale },
    });
    expect(refused.status).toBe(412);
    expect((await json<ErrorBody>(refused)).code).toBe('failed_precondition');
    expect((await json(await call('GET', path, { apiKey: org.apiKey }))).description).toBe('first');

    const ok = await call('PUT', path, {
      apiKey: org.apiKey,
      body: { description: 'next' },
      headers: { 'if-match': current },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(await etagOf(org.apiKey, path));
  });

  it('publish and unpublish: a stale If-Match is 412 and the version stays as it was', async () => {
    const { org, path } = await versionOf();
    const stale = await etagOf(org.apiKey, path);
    await call('PUT', path, { apiKey: org.apiKey, body: { description: 'changed' } });
    const current = await etagOf(org.apiKey, path);

    const refused = await call('POST', `${path}/publish`, { apiKey: org.apiKey, headers: { 'if-match': stale } });
    expect(refused.status).toBe(412);
    expect((await json<ErrorBody>(refused)).code).toBe('failed_precondition');
    expect((await json(await call('GET', path, { apiKey: org.apiKey }))).publishedAt).toBeNull();

    const published = await call('POST', `${path}/publish`, { apiKey: org.apiKey, headers: { 'if-match': current } });
    expect(published.status).toBe(200);
    const afterPublish = published.headers.get('etag') ?? '';
    expect(afterPublish).toBe(await etagOf(org.apiKey, path));

    const staleUnpublish = await call('POST', `${path}/unpublish`, {
      apiKey: org.apiKey,
      headers: { 'if-match': current },
    });
    expect(staleUnpublish.status).toBe(412);
    expect((await json(await call('GET', path, { apiKey: org.apiKey }))).publishedAt).not.toBeNull();

    const unpublished = await call('POST', `${path}/unpublish`, {
      apiKey: org.apiKey,
      headers: { 'if-match': afterPublish },
    });
    expect(unpublished.status).toBe(200);
    expect(unpublished.headers.get('etag')).toBe(await etagOf(org.apiKey, path));
  });

  it('DELETE: a stale If-Match is 412 and keeps the version; the current one deletes it', async () => {
    const { org, path } = await versionOf();
    const stale = await etagOf(org.apiKey, path);
    await call('PUT', path, { apiKey: org.apiKey, body: { description: 'changed' } });
    const refused = await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': stale } });
    expect(refused.status).toBe(412);
    expect((await call('GET', path, { apiKey: org.apiKey })).status).toBe(200);
    const current = await etagOf(org.apiKey, path);
    expect((await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': current } })).status).toBe(204);
    expect((await call('GET', path, { apiKey: org.apiKey })).status).toBe(404);
  });

  it('copy: If-Match names the source; stale → 412 and nothing created, current → 201', async () => {
    const { org, connectorPath, path } = await versionOf();
    const stale = await etagOf(org.apiKey, path);
    await call('PUT', path, { apiKey: org.apiKey, body: { description: 'changed' } });
    const refused = await call('POST', `${connectorPath}/versions`, {
      apiKey: org.apiKey,
      body: { name: '2', fromVersion: '1' },
      headers: { 'if-match': stale },
    });
    expect(refused.status).toBe(412);
    expect((await json<ErrorBody>(refused)).code).toBe('failed_precondition');
    expect((await call('GET', `${connectorPath}/versions/2`, { apiKey: org.apiKey })).status).toBe(404);
    const copied = await call('POST', `${connectorPath}/versions`, {
      apiKey: org.apiKey,
      body: { name: '2', fromVersion: '1' },
      headers: { 'if-match': await etagOf(org.apiKey, path) },
    });
    expect(copied.status).toBe(201);
  });

  it('two PUTs of a version with the same If-Match at once: exactly one 200, the other 412', async () => {
    const { org, path } = await versionOf();
    for (let round = 0; round < 5; round++) {
      const tag = await etagOf(org.apiKey, path);
      const answers = await Promise.all(
        ['A', 'B'].map((name) =>
          call('PUT', path, {
            apiKey: org.apiKey,
            body: { description: `${name}${round}` },
            headers: { 'if-match': tag },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    }
  });
});

/**
 * A version `1` with an action, a trigger and definitions, and for each child its path, its body
 * and a field a PUT may change.
 */
async function withChildren() {
  const { org, path: connectorPath } = await connectorOf();
  const version = `${connectorPath}/versions/1`;
  expect((await call('POST', `${connectorPath}/versions`, { apiKey: org.apiKey, body: { name: '1' } })).status).toBe(
    201,
  );
  // `Note` is referred to by nothing, so deleting it is refused only by its tag.
  const definitions = await call('POST', `${version}/definitions`, {
    apiKey: org.apiKey,
    body: { definitions: [jsonDefinition('Order'), jsonDefinition('Error'), jsonDefinition('Note')] },
  });
  expect(definitions.status).toBe(201);
  const action = orderAction();
  expect((await call('POST', `${version}/actions`, { apiKey: org.apiKey, body: action })).status).toBe(201);
  const trigger = {
    type: 'http',
    name: 'orderShipped',
    method: 'POST',
    requestBody: { required: true, definitions: [{ definition: { name: 'Order' } }] },
    responses: [{ status: 200, definitions: [] }],
  };
  expect((await call('POST', `${version}/triggers`, { apiKey: org.apiKey, body: trigger })).status).toBe(201);
  return {
    org,
    children: [
      [`${version}/actions/createOrder`, action, 'summary'],
      [`${version}/triggers/orderShipped`, trigger, 'summary'],
      [`${version}/definitions/Note`, jsonDefinition('Note'), 'description'],
    ] as [string, Record<string, unknown>, string][],
  };
}

describe('child entity tags (actions, triggers, definitions)', () => {
  it('each GET carries a strong ETag, stable across reads, changing with a write; 304 on If-None-Match', async () => {
    const { org, children } = await withChildren();
    for (const [path, body, field] of children) {
      const changed = { ...body, [field]: 'Changed' };
      const first = await call('GET', path, { apiKey: org.apiKey });
      expect(first.status, path).toBe(200);
      const etag = first.headers.get('etag') ?? '';
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect((await call('GET', path, { apiKey: org.apiKey })).headers.get('etag'), path).toBe(etag);
      const notModified = await call('GET', path, { apiKey: org.apiKey, headers: { 'if-none-match': etag } });
      expect(notModified.status, path).toBe(304);
      expect(await notModified.text(), path).toBe('');
      const put = await call('PUT', path, { apiKey: org.apiKey, body: changed });
      expect(put.status, path).toBe(200);
      const after = await call('GET', path, { apiKey: org.apiKey, headers: { 'if-none-match': etag } });
      expect(after.status, path).toBe(200);
      expect(after.headers.get('etag'), path).not.toBe(etag);
      // The PUT answers with the tag the next GET has, so a client can chain conditional writes.
      expect(put.headers.get('etag'), path).toBe(after.headers.get('etag'));
    }
  });
});

describe('entity tags from browser pages (CORS)', () => {
  it('a preflight allows If-Match and If-None-Match, and the answer exposes ETag', async () => {
    const preflight = await exports.default.fetch(
      new Request(`${restRoot}/o/any/connectors/any`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization, if-match, if-none-match',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['if-match', 'if-none-match']),
    );
    const { org, path } = await connectorOf();
    const read = await call('GET', path, { apiKey: org.apiKey, headers: { origin: 'https://app.example.org' } });
    expect(read.headers.get('access-control-expose-headers')?.split(',')).toContain('ETag');
  });
});

describe('conditional writes of actions, triggers and definitions', () => {
  const etagOf = async (apiKey: string, path: string) =>
    (await call('GET', path, { apiKey })).headers.get('etag') ?? '';

  it('PUT and DELETE with a stale If-Match are 412 and change nothing; the current tag passes', async () => {
    const { org, children } = await withChildren();
    for (const [path, body, field] of children) {
      const stale = await etagOf(org.apiKey, path);
      expect((await call('PUT', path, { apiKey: org.apiKey, body: { ...body, [field]: 'First' } })).status, path).toBe(
        200,
      );
      const current = await etagOf(org.apiKey, path);

      const refused = await call('PUT', path, {
        apiKey: org.apiKey,
        body: { ...body, [field]: 'Lost' },
        headers: { 'if-match': stale },
      });
      expect(refused.status, path).toBe(412);
      expect((await json<ErrorBody>(refused)).code, path).toBe('failed_precondition');
      expect((await json(await call('GET', path, { apiKey: org.apiKey })))[field], path).toBe('First');
      expect(await etagOf(org.apiKey, path), path).toBe(current);

      const deleteRefused = await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': stale } });
      expect(deleteRefused.status, path).toBe(412);
      expect((await call('GET', path, { apiKey: org.apiKey })).status, path).toBe(200);

      const updated = await call('PUT', path, {
        apiKey: org.apiKey,
        body: { ...body, [field]: 'Next' },
        headers: { 'if-match': current },
      });
      expect(updated.status, path).toBe(200);
      const latest = await etagOf(org.apiKey, path);
      expect((await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': latest } })).status, path).toBe(
        204,
      );
      expect((await call('GET', path, { apiKey: org.apiKey })).status, path).toBe(404);
      // A missing child stays a 404, whatever the tag.
      expect((await call('DELETE', path, { apiKey: org.apiKey, headers: { 'if-match': latest } })).status, path).toBe(
        404,
      );
    }
  });

  it('two PUTs of a child with the same If-Match at once: exactly one 200, the other 412', async () => {
    const { org, children } = await withChildren();
    for (const [path, body, field] of children)
      for (let round = 0; round < 3; round++) {
        const tag = await etagOf(org.apiKey, path);
        const answers = await Promise.all(
          ['A', 'B'].map((name) =>
            call('PUT', path, {
              apiKey: org.apiKey,
              body: { ...body, [field]: `${name}${round}` },
              headers: { 'if-match': tag },
            }),
          ),
        );
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      }
  });
});
