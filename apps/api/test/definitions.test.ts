import type { Definition, DefinitionPage, ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, workspace } from './children';
import { call, json, origin, rows } from './helpers';
import { versionId } from './seed-children';

describe('definitions', () => {
  it('creates definitions that refer to each other in a cycle, and reads them with their referrers', async () => {
    const w = await workspace();
    await w.version('1');
    const created = await w.definitions('1', [
      jsonDefinition('Order', ['Customer']),
      jsonDefinition('Customer', ['Order']),
      jsonDefinition('Error', [], ['application/json', 'text/xml']),
    ]);
    expect(created.map((d) => d.name)).toEqual(['Order', 'Customer', 'Error']);
    const [order, customer] = created;
    expect(order).toMatchObject({
      accept: ['application/json'],
      description: 'The Order shape',
      schema: { contentType: 'application/schema+json' },
      referencedBy: [{ type: 'definition', id: customer?.id, name: 'Customer' }],
    });
    expect(order?.url).toBe(
      `${origin}/api/connect/v1/o/${w.org.organisationId}/schemas/${w.connectorId}/1/${order?.id ?? ''}.json`,
    );

    const raw = await call('GET', order?.url ?? '', { apiKey: w.org.apiKey });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/schema+json');
    // Served, a link is the linked definition's URL, so the document resolves on its own; reads keep the text as written.
    expect(JSON.parse(await raw.text())).toEqual({ type: 'object', properties: { customer: { $ref: customer?.url } } });
    expect(order?.schema.content).toContain('"#/$defs/Customer"');

    const one = await w.send('GET', w.path('1', '/definitions/Customer'));
    expect(await json<Definition>(one)).toMatchObject({ id: customer?.id, referencedBy: [{ name: 'Order' }] });

    const page = await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions?first=2')));
    expect(page.totalCount).toBe(3);
    expect(page.definitions).toHaveLength(2);
    expect(page.next).toBeDefined();
    const rest = await json<DefinitionPage>(
      await w.send('GET', w.path('1', `/definitions?first=2&after=${page.next ?? ''}`)),
    );
    expect([...page.definitions, ...rest.definitions].map((d) => d.name).sort()).toEqual([
      'Customer',
      'Error',
      'Order',
    ]);
    const filtered = await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions?name=TOM')));
    expect(filtered.definitions.map((d) => d.name)).toEqual(['Customer']);
  });

  it('refuses a request whose $ref names nothing, or a name already used, and writes none of it', async () => {
    const w = await workspace();
    await w.version('1');
    const unresolved = await w.send('POST', w.path('1', '/definitions'), {
      definitions: [jsonDefinition('Order'), jsonDefinition('Customer', ['Address'])],
    });
    expect(unresolved.status).toBe(400);
    expect(await json<ErrorBody>(unresolved)).toMatchObject({
      code: 'invalid_argument',
      fields: [
        { field: 'definitions[1].schema.content', message: expect.stringContaining('#/$defs/Address') as string },
      ],
    });
    expect((await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')))).totalCount).toBe(0);

    await w.definitions('1', [jsonDefinition('Order')]);
    const taken = await w.send('POST', w.path('1', '/definitions'), {
      definitions: [jsonDefinition('Customer'), jsonDefinition('Order')],
    });
    expect(taken.status).toBe(409);
    expect(await json<ErrorBody>(taken)).toMatchObject({
      code: 'already_exists',
      fields: [{ field: 'definitions[1].name' }],
    });
    expect((await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')))).totalCount).toBe(1);

    // A later request may refer to a definition that already exists.
    const later = await w.definitions('1', [jsonDefinition('Customer', ['Order'])]);
    expect(later[0]?.name).toBe('Customer');
  });

  it('names the wrong field for each kind of bad definition', async () => {
    const w = await workspace();
    await w.version('1');
    const cases: [unknown, string][] = [
      [{ definitions: [{ ...jsonDefinition('Bad name') }] }, 'definitions[0].name'],
      [{ definitions: [jsonDefinition('A'), jsonDefinition('A')] }, 'definitions[1].name'],
      [{ definitions: [{ ...jsonDefinition('A'), accept: [] }] }, 'definitions[0].accept'],
      [{ definitions: [{ ...jsonDefinition('A'), accept: ['json'] }] }, 'definitions[0].accept[0]'],
      [
        { definitions: [{ ...jsonDefinition('A'), schema: { contentType: 'application/schema+json', content: '{' } }] },
        'definitions[0].schema.content',
      ],
      [
        {
          definitions: [
            {
              ...jsonDefinition('A'),
              schema: { contentType: 'application/schema+json', content: '{"$ref":"#/$defs/no such"}' },
            },
          ],
        },
        'definitions[0].schema.content',
      ],
      [{ definitions: [{ ...jsonDefinition('A'), schema: undefined }] }, 'definitions[0].schema'],
      [{ definitions: [] }, 'definitions'],
    ];
    for (const [body, field] of cases) {
      const response = await w.send('POST', w.path('1', '/definitions'), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await json<ErrorBody>(response)).fields?.map((f) => f.field)).toContain(field);
    }
    expect((await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')))).totalCount).toBe(0);
  });

  it('ends a page early when its definitions are large, so every page stays within the database’s response cap', async () => {
    const w = await workspace();
    await w.version('1');
    // 45 schemas of 250,000 characters: 11 MB in all, more than one database response may carry.
    await rows(
      `INSERT INTO definitions (id, version_id, name, accept, schema_content_type, schema_content)
       SELECT gen_ulid(), $1, 'Big' || i, '{application/json}', 'application/schema+json',
              '{"description":"' || repeat('x', 250000) || '"}'
       FROM generate_series(1, 45) AS i`,
      [await versionId(w.connectorId, '1')],
    );
    const seen: string[] = [];
    const sizes: number[] = [];
    const read = async (query: string) => {
      const response = await w.send('GET', w.path('1', `/definitions?first=100${query}`));
      expect(response.status).toBe(200);
      const page = await json<DefinitionPage>(response);
      expect(page.totalCount).toBe(45);
      return page;
    };
    let page = await read('');
    for (;;) {
      seen.push(...page.definitions.map((d) => d.name));
      sizes.push(page.definitions.length);
      if (!page.next) break;
      page = await read(`&after=${page.next}`);
    }
    expect(sizes.length).toBeGreaterThan(2);
    expect(sizes.every((size) => size < 45)).toBe(true);
    expect([...seen].sort()).toEqual(Array.from({ length: 45 }, (_, i) => `Big${String(i + 1)}`).sort());
    // Backwards from the last page: a short page again, of the items just before it.
    const back = await read(`&before=${page.prev ?? ''}`);
    const lastStart = seen.length - (sizes.at(-1) ?? 0);
    expect(back.definitions.map((d) => d.name)).toEqual(seen.slice(lastStart - back.definitions.length, lastStart));
    expect(back.definitions.length).toBeLessThan(45);
  });

  it('links a schema to an existing definition by its url, as to one by name', async () => {
    const w = await workspace();
    await w.version('1');
    await w.version('2');
    const [order] = await w.definitions('1', [jsonDefinition('Order')]);
    const [other] = await w.definitions('2', [jsonDefinition('Elsewhere')]);
    const byUrl = (name: string, url: string) => ({
      name,
      accept: ['application/json'],
      schema: {
        contentType: 'application/schema+json',
        content: JSON.stringify({ properties: { order: { $ref: `${url}#/properties` } } }),
      },
    });
    const [line] = await w.definitions('1', [byUrl('Line', order?.url ?? '')]);
    const read = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Order')));
    expect(read.referencedBy).toEqual([{ type: 'definition', id: line?.id, name: 'Line' }]);

    const refused = await w.send('DELETE', w.path('1', '/definitions/Order'));
    expect(refused.status).toBe(412);

    // Another version's definition, and an id that names nothing: a 400 on the schema, nothing written.
    for (const [url, message] of [
      [other?.url ?? '', 'a definition of another version'],
      [
        (order?.url ?? '').replace(order?.id ?? '', '01ARZ3NDEKTSV4RRFFQ69G5FAV'),
        'neither in this request nor a definition of this version',
      ],
    ] as const) {
      const response = await w.send('POST', w.path('1', '/definitions'), { definitions: [byUrl('Bad', url)] });
      expect(response.status).toBe(400);
      const body = await json<ErrorBody>(response);
      expect(body.fields?.[0]?.field).toBe('definitions[0].schema.content');
      expect(body.fields?.[0]?.message).toContain(message);
    }
    expect((await w.send('GET', w.path('1', '/definitions/Bad'))).status).toBe(404);

    // Written otherwise than `url` gives it, a copy could not find it to rewrite: a 400 saying so.
    const url = order?.url ?? '';
    const lowerCase = url.replace(w.org.organisationId, w.org.organisationId.toLowerCase());
    const escaped = JSON.stringify({ $ref: url }).replaceAll('/', '\\/');
    for (const content of [JSON.stringify({ $ref: lowerCase }), escaped]) {
      const response = await w.send('POST', w.path('1', '/definitions'), {
        definitions: [
          { name: 'Odd', accept: ['application/json'], schema: { contentType: 'application/schema+json', content } },
        ],
      });
      expect(response.status, content).toBe(400);
      expect((await json<ErrorBody>(response)).fields?.[0]?.message).toContain('exactly as its url gives it');
    }

    // A URL of the same shape under another organisation is not one of ours: stored, not linked.
    const foreign = url.replace(w.org.organisationId, '01ARZ3NDEKTSV4RRFFQ69G5FAV');
    await w.definitions('1', [byUrl('External', foreign)]);
    expect((await json<Definition>(await w.send('GET', w.path('1', '/definitions/Order')))).referencedBy).toHaveLength(
      1,
    );

    // Changing the schema to drop the URL drops the link: Order can go.
    const put = await w.send('PUT', w.path('1', '/definitions/Line'), {
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: '{"type":"object"}' },
    });
    expect(put.status).toBe(200);
    expect((await w.send('DELETE', w.path('1', '/definitions/Order'))).status).toBe(204);

    // Through `latest`, a write is refused for what it is (published), whatever URL its schema holds.
    expect((await w.publish('2')).status).toBe(200);
    const throughAlias = await w.send('POST', w.path('latest', '/definitions'), {
      definitions: [byUrl('Late', other?.url ?? '')],
    });
    expect(throughAlias.status).toBe(409);
  });

  it('serves a schema with its links as URLs, pointers below them as fragments, and its own $defs and layout untouched', async () => {
    const w = await workspace();
    await w.version('1');
    const content = [
      '{',
      '  "properties": {',
      '    "order":  { "$ref": "#/$defs/Order" },',
      '    "id":     { "$ref": "#/$defs/Order/properties/id" },',
      '    "local":  { "$ref": "#/$defs/Local" },',
      '    "huge":   { "maximum": 18446744073709551615 },',
      '    "same":   { "const": "#/$defs/Order", "examples": ["#/$defs/Order"] },',
      '    "escaped": { "$ref": "#\\/$defs\\/Order" }',
      '  },',
      '  "$defs": { "Local": { "type": "string" } }',
      '}',
    ].join('\n');
    const [order, line] = await w
      .definitions('1', [
        jsonDefinition('Order'),
        jsonDefinition('Local'),
        { name: 'Line', accept: ['application/json'], schema: { contentType: 'application/schema+json', content } },
      ])
      .then((all) => [all[0], all[2]]);
    const served = await (await w.send('GET', line?.url ?? '')).text();
    expect(served).toBe(
      content
        .replace('"#/$defs/Order"', `"${order?.url ?? ''}"`)
        .replace('"#/$defs/Order/properties/id"', `"${order?.url ?? ''}#/properties/id"`)
        .replace('"#\\/$defs\\/Order"', `"${order?.url ?? ''}"`),
    );
  });

  it('takes any JSON a schema may hold: a long flat array, a content type with parameters', async () => {
    const w = await workspace();
    await w.version('1');
    const long = `[${'0,'.repeat(131_070)}0]`;
    const [array, xml] = await w.definitions('1', [
      { name: 'Long', accept: ['application/json'], schema: { contentType: 'application/schema+json', content: long } },
      {
        name: 'Profiled',
        accept: ['text/xml'],
        schema: { contentType: 'application/xml; profile=json', content: '<x/>' },
      },
    ]);
    expect(array?.schema.content).toHaveLength(long.length);
    expect(xml?.url.endsWith(`/${xml.id}.xml`)).toBe(true);
  });

  it('refuses text with an unpaired surrogate, naming the field, before it reaches the database', async () => {
    const w = await workspace();
    await w.version('1');
    const response = await w.send('POST', w.path('1', '/definitions'), {
      definitions: [{ ...jsonDefinition('A'), description: 'half \ud800 a pair' }],
    });
    expect(response.status).toBe(400);
    expect((await json<ErrorBody>(response)).fields).toEqual([
      { field: 'definitions[0].description', message: 'must not contain unpaired UTF-16 surrogates' },
    ]);
  });

  it('keeps a schema’s own $defs local, and reads no links from schemas that are not JSON', async () => {
    const w = await workspace();
    await w.version('1');
    const [local, xml] = await w.definitions('1', [
      {
        ...jsonDefinition('Local'),
        schema: {
          contentType: 'application/schema+json',
          content: JSON.stringify({
            $defs: { Inner: { type: 'string' } },
            properties: { a: { $ref: '#/$defs/Inner' } },
          }),
        },
      },
      {
        name: 'Xml',
        accept: ['text/xml'],
        schema: { contentType: 'text/xml', content: '<xs:schema ref="#/$defs/Nothing"/>' },
      },
    ]);
    expect(local?.referencedBy).toEqual([]);
    expect(xml?.url.endsWith(`${xml.id}.xml`)).toBe(true);
  });

  it('refuses to delete a definition something refers to (412 naming the referrers), and deletes it once nothing does', async () => {
    const w = await workspace();
    await w.version('1');
    await w.definitions('1', [
      jsonDefinition('Order', ['Customer']),
      jsonDefinition('Customer', ['Order']),
      jsonDefinition('Error'),
    ]);
    const action = await w.action('1', orderAction());

    const one = await w.send('DELETE', w.path('1', '/definitions/Order'));
    expect(one.status).toBe(412);
    const body = await json<ErrorBody>(one);
    expect(body).toMatchObject({ code: 'failed_precondition', definition: { name: 'Order' } });
    expect(body.definition?.referencedBy).toEqual([
      { type: 'action', id: action.id, name: 'createOrder' },
      { type: 'definition', id: expect.any(String) as string, name: 'Customer' },
    ]);
    expect(body.message).toContain('action "createOrder"');

    const all = await w.send('DELETE', w.path('1', '/definitions'), { all: true });
    expect(all.status).toBe(412);
    expect((await json<ErrorBody>(all)).definitions?.map((d) => d.name)).toEqual(['Error', 'Order']);

    const viaTrpc = await call('POST', `${origin}/trpc/definitions.deleteMany`, {
      apiKey: w.org.apiKey,
      body: { connectorId: w.connectorId, version: '1', names: ['Error'] },
    });
    expect(viaTrpc.status).toBe(412);
    expect(await json(viaTrpc)).toMatchObject({
      error: {
        data: {
          apiCode: 'failed_precondition',
          definitions: [{ name: 'Error', referencedBy: [{ name: 'createOrder' }] }],
        },
      },
    });

    expect((await w.send('DELETE', w.path('1', '/actions/createOrder'))).status).toBe(204);
    // The cycle goes together: references among the deleted do not hold them back.
    const pair = await w.send('DELETE', w.path('1', '/definitions'), { names: ['Order', 'Customer'] });
    expect(pair.status).toBe(204);
    expect((await w.send('DELETE', w.path('1', '/definitions/Error'))).status).toBe(204);
    expect((await w.send('GET', w.path('1', '/definitions/Error'))).status).toBe(404);
    expect((await w.send('DELETE', w.path('1', '/definitions/Error'))).status).toBe(404);
  });

  it('deletes by ids and names, refusing unknown ones and one definition named both ways', async () => {
    const w = await workspace();
    await w.version('1');
    const [a, b] = await w.definitions('1', [jsonDefinition('A'), jsonDefinition('B'), jsonDefinition('C')]);
    const both = await w.send('DELETE', w.path('1', '/definitions'), { ids: [a?.id], names: ['A'] });
    expect(both.status).toBe(400);
    expect((await json<ErrorBody>(both)).fields).toEqual([
      { field: 'names[0]', message: 'names a definition also given in ids' },
    ]);
    const unknown = await w.send('DELETE', w.path('1', '/definitions'), { names: ['A', 'Z'] });
    expect(unknown.status).toBe(400);
    expect((await json<ErrorBody>(unknown)).fields?.[0]?.field).toBe('names[1]');
    for (const body of [{}, { all: true, names: ['A'] }, { ids: ['not-an-id'] }]) {
      expect((await w.send('DELETE', w.path('1', '/definitions'), body)).status).toBe(400);
    }
    expect((await w.send('DELETE', w.path('1', '/definitions?force=yes'), { names: ['A'] })).status).toBe(400);
    expect((await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')))).totalCount).toBe(3);

    expect((await w.send('DELETE', w.path('1', '/definitions'), { ids: [a?.id], names: [b?.name] })).status).toBe(204);
    const left = await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')));
    expect(left.definitions.map((d) => d.name)).toEqual(['C']);
  });

  it('updates a definition: its schema’s links follow the new $refs; id and name are read-only', async () => {
    const w = await workspace();
    await w.version('1');
    await w.definitions('1', [
      jsonDefinition('Order', ['Customer']),
      jsonDefinition('Customer'),
      jsonDefinition('Address'),
    ]);
    const current = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Order')));

    const changed = await w.send('PUT', w.path('1', '/definitions/Order'), {
      ...current,
      description: 'Now with an address',
      schema: jsonDefinition('Order', ['Address']).schema,
    });
    expect(changed.status).toBe(200);
    expect(await json<Definition>(changed)).toMatchObject({ id: current.id, description: 'Now with an address' });
    const customer = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Customer')));
    const address = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Address')));
    expect(customer.referencedBy).toEqual([]);
    expect(address.referencedBy).toEqual([{ type: 'definition', id: current.id, name: 'Order' }]);

    // A schema that refers to itself is among its own referrers, until it no longer does.
    const selfRef = jsonDefinition('Order', ['Order', 'Address']).schema;
    expect((await w.send('PUT', w.path('1', '/definitions/Order'), { ...current, schema: selfRef })).status).toBe(200);
    const referrersOf = async (name: string) =>
      (await json<Definition>(await w.send('GET', w.path('1', `/definitions/${name}`)))).referencedBy;
    expect(await referrersOf('Order')).toEqual([{ type: 'definition', id: current.id, name: 'Order' }]);
    expect(await referrersOf('Address')).toEqual([{ type: 'definition', id: current.id, name: 'Order' }]);
    // The raw schema's links (its $refs served as URLs) follow too.
    const served = await (await w.send('GET', current.url)).text();
    expect(served).toContain(`"${current.url}"`);
    expect(served).toContain(`"${address.url}"`);
    expect((await w.send('PUT', w.path('1', '/definitions/Order'), current)).status).toBe(200);
    expect(await referrersOf('Order')).toEqual([]);
    expect(await referrersOf('Customer')).toEqual([{ type: 'definition', id: current.id, name: 'Order' }]);
    expect(await referrersOf('Address')).toEqual([]);
    // A deleted referrer is forgotten: a new definition of its name refers to nothing.
    expect((await w.send('DELETE', w.path('1', '/definitions/Order'))).status).toBe(204);
    const [reborn] = await w.definitions('1', [jsonDefinition('Order')]);
    expect(await referrersOf('Customer')).toEqual([]);
    expect(
      (await w.send('PUT', w.path('1', '/definitions/Order'), { ...reborn, ...current, id: reborn?.id })).status,
    ).toBe(200);
    expect(await referrersOf('Customer')).toEqual([{ type: 'definition', id: reborn?.id, name: 'Order' }]);

    const renamed = await w.send('PUT', w.path('1', '/definitions/Order'), {
      ...current,
      id: reborn?.id,
      name: 'Purchase',
    });
    expect(renamed.status).toBe(400);
    expect((await json<ErrorBody>(renamed)).fields?.[0]?.field).toBe('name');
    const dangling = await w.send('PUT', w.path('1', '/definitions/Order'), {
      accept: ['application/json'],
      schema: jsonDefinition('Order', ['Nowhere']).schema,
    });
    expect(dangling.status).toBe(400);
    expect((await json<ErrorBody>(dangling)).fields?.[0]?.field).toBe('schema.content');
    expect((await w.send('PUT', w.path('1', '/definitions/Missing'), { accept: ['application/json'] })).status).toBe(
      404,
    );
  });
});
