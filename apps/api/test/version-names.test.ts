import { createClient } from '@connect/client';
import { versionPathSegment, type ConnectorVersion, type Definition, type DefinitionPage } from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, workspace } from './children';
import { call, expectInvalidFields, json, rows } from './helpers';

/** Names the reference allows ("can be any value") that the earlier `[A-Za-z0-9._+-]` format did not. */
const names = ['2024-01 beta', 'a/b', 'Ünïcødé 🚀', '50%', 'x?y#z', 'quote"s\\and\'more', 'semi;colon=eq'];

describe('version names', () => {
  it('may be any text: each is created, read by its percent-encoded path, and listed as it was written', async () => {
    const w = await workspace();
    for (const name of names) {
      const created = await w.version(name);
      expect(created.name).toBe(name);
      const read = await w.send('GET', w.path(name));
      expect(read.status, name).toBe(200);
      expect((await json<ConnectorVersion>(read)).name).toBe(name);
      // Two spellings of one name in a path (`+` and `%2B`, `;` and `%3B`) name the same version.
      const segment = versionPathSegment(name);
      const versions = `/o/${w.org.organisationId}/connectors/${w.connectorId}/versions/`;
      if (segment !== encodeURIComponent(name))
        expect((await w.send('GET', versions + segment)).status, name).toBe(200);
    }
    const page = await json<{ items: ConnectorVersion[] }>(
      await w.send('GET', `/o/${w.org.organisationId}/connectors/${w.connectorId}/versions?first=50`),
    );
    expect(page.items.map((v) => v.name).sort()).toEqual([...names].sort());
    // `a/b` is one name, not a path: `a` alone is no version.
    expect((await w.send('GET', w.path('a'))).status).toBe(404);
  });

  it('refuses the aliases in any case, control characters, outer white space and more than 128 characters', async () => {
    const w = await workspace();
    const refused = ['latest', 'LATEST', 'Default', '', ' lead', 'trail ', '\tx', 'a\nb', 'a\u007fb', 'a\u0085b'];
    for (const name of [...refused, 'x'.repeat(129)]) {
      const response = await w.org.createVersion(w.connectorId, { name });
      await expectInvalidFields(response, ['name']);
    }
    expect((await w.org.createVersion(w.connectorId, { name: 'x'.repeat(128) })).status).toBe(201);
    const counted = await rows<{ count: string }>('SELECT count(*) FROM connector_versions WHERE connector_id = $1', [
      w.connectorId,
    ]);
    expect(counted).toEqual([{ count: '1' }]);
  });

  it('travel the same way over tRPC: created, read and copied by name', async () => {
    const w = await workspace();
    const client = createClient({
      url: 'http://connect.test',
      apiKey: w.org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const created = await client.connectorVersions.create.mutate({ connectorId: w.connectorId, name: 'a/b c' });
    expect(created.name).toBe('a/b c');
    const read = await client.connectorVersions.get.query({ connectorId: w.connectorId, version: 'a/b c' });
    expect(read).toEqual(created);
    const copy = await client.connectorVersions.create.mutate({
      connectorId: w.connectorId,
      name: '2024-01 beta',
      fromVersion: 'a/b c',
    });
    expect(copy.name).toBe('2024-01 beta');
    // The REST path of the same version, encoded, reads what tRPC made.
    expect((await w.send('GET', w.path('a/b c'))).status).toBe(200);
  });

  it('are percent-encoded in schema URLs, which serve the schema, link definitions, and are rewritten by a copy', async () => {
    const w = await workspace();
    const from = 'a/b 1';
    const to = 'ü 2';
    await w.version(from);
    const [target] = await w.definitions(from, [jsonDefinition('Target')]);
    if (!target) throw new Error('no definition');
    expect(target.url).toContain(`/schemas/${w.connectorId}/a%2Fb%201/${target.id}.json`);
    const served = await call('GET', new URL(target.url).pathname.replace(/^\/api\/connect\/v1/, ''), {
      apiKey: w.org.apiKey,
    });
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ type: 'object', properties: {} });

    // A schema links the target by its url, written exactly as `url` gives it.
    const referrer = {
      name: 'Referrer',
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: JSON.stringify({ $ref: target.url }) },
    };
    const [linked] = await w.definitions(from, [referrer]);
    expect(linked?.schema.content).toContain(target.url);
    // The same URL with the raw name, or escaped another way, is not how `url` writes it: refused.
    for (const spelling of [target.url.replace('a%2Fb%201', 'a%2Fb 1'), target.url.replace('a%2Fb%201', 'a%2fb%201')]) {
      const response = await w.send('POST', w.path(from, '/definitions'), {
        definitions: [
          { ...referrer, name: 'Other', schema: { ...referrer.schema, content: JSON.stringify({ $ref: spelling }) } },
        ],
      });
      await expectInvalidFields(response, ['definitions[0].schema.content']);
    }

    await w.version(to, from);
    const copied = await json<DefinitionPage>(await w.send('GET', w.path(to, '/definitions')));
    const byName = new Map<string, Definition>(copied.definitions.map((d) => [d.name, d]));
    const copiedTarget = byName.get('Target');
    expect(copiedTarget?.url).toContain(`/schemas/${w.connectorId}/%C3%BC%202/${copiedTarget?.id ?? ''}.json`);
    expect(JSON.parse(byName.get('Referrer')?.schema.content ?? '{}')).toEqual({ $ref: copiedTarget?.url });
  });

  it('are encoded by the database (schema URLs are built in SQL) exactly as contracts encodes them', async () => {
    const samples = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), { numRuns: 300, seed: 7 });
    const text = samples.filter((name) => !name.includes('\u0000') && !/\p{Cs}/u.test(name));
    const encoded = await rows<{ segment: string }>(
      'SELECT url_path_segment(name) AS segment FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) ORDER BY n',
      [[...names, ...text]],
    );
    expect(encoded.map((row) => row.segment)).toEqual([...names, ...text].map(versionPathSegment));
  });
});
