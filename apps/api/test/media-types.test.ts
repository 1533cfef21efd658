import { mediaType, type Definition, type DefinitionPage, type ErrorBody } from '@connect/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, workspace, type Workspace } from './children';
import { call, json, origin, sql } from './helpers';

/** Content types that are not RFC 9110 media types, or that could not be sent back as a header. */
const badMediaTypes = [
  'application/json\r\n;x',
  'application/json\r\nSet-Cookie: a=b',
  'application/json\n',
  'application/json\r',
  'application/json;\tcharset=utf-8',
  'application/json; charset="utf\u0001-8"',
  'application/json; charset="\u00e9"',
  'application/json\u007f',
  'application/json; charset',
  'application/json; charset=',
  'application/json; charset="utf-8',
  'application/json; charset=utf 8',
  'application/json; charset="utf-8"x',
  'application/json x',
  'application json',
  ' application/json',
  'application/',
  '/json',
  'json',
  'application/json/x',
  'text/(html)',
];

async function trpc(w: Workspace, procedure: string, input: Record<string, unknown>) {
  return call('POST', `${origin}/trpc/${procedure}`, {
    apiKey: w.org.apiKey,
    body: { connectorId: w.connectorId, version: '1', ...input },
  });
}

interface TrpcFailure {
  error: { data: { apiCode: string; httpStatus: number; fields?: { field: string }[] } };
}

async function definitionCount(w: Workspace) {
  return (await json<DefinitionPage>(await w.send('GET', w.path('1', '/definitions')))).totalCount;
}

// The RFC 9110 grammar, as generators: what the contract must take, and what it must refuse.
const tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...Array.from(tchars)), minLength: 1, maxLength: 12 });
const quoted = fc
  .array(
    fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    { maxLength: 12 },
  )
  .map((chars) => `"${chars.map((c) => (c === '"' || c === '\\' ? `\\${c}` : c)).join('')}"`);
const spaces = fc.constantFrom('', ' ', '  ');
const parameter = fc.tuple(spaces, fc.option(fc.tuple(token, fc.oneof(token, quoted)), { nil: undefined }), spaces);
const grammatical = fc
  .tuple(token, token, fc.array(parameter, { maxLength: 4 }))
  .map(
    ([type, subtype, parameters]) =>
      `${type}/${subtype}${parameters
        .map(([before, pair, after]) => `${before};${after}${pair ? `${pair[0]}=${pair[1]}` : ''}`)
        .join('')}`,
  )
  .filter((text) => text.length <= 255);
/** Control characters (tab, CR, LF, DEL included) and characters beyond ASCII. */
const forbidden = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }),
  fc.constant(0x7f),
  fc.integer({ min: 0x80, max: 0xffff }).filter((code) => code < 0xd800 || code > 0xdfff),
);

describe('media types', () => {
  it('takes every media type of the RFC 9110 grammar, and none with a control or non-ASCII character anywhere', () => {
    fc.assert(
      fc.property(grammatical, (text) => {
        expect(mediaType.safeParse(text).success, JSON.stringify(text)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(grammatical, forbidden, fc.nat(), (text, code, at) => {
        const index = at % (text.length + 1);
        const spoiled = `${text.slice(0, index)}${String.fromCharCode(code)}${text.slice(index)}`;
        expect(mediaType.safeParse(spoiled).success, JSON.stringify(spoiled)).toBe(false);
      }),
    );
  });

  it('refuses a content type or accepted type that is not a media type, naming the field, over REST and tRPC', async () => {
    const w = await workspace();
    await w.version('1');
    const [existing] = await w.definitions('1', [jsonDefinition('Existing')]);
    for (const bad of badMediaTypes) {
      const label = JSON.stringify(bad);
      const schema = { contentType: bad, content: '{}' };
      const cases: [Response, string][] = [
        [
          await w.send('POST', w.path('1', '/definitions'), { definitions: [{ ...jsonDefinition('A'), schema }] }),
          'definitions[0].schema.contentType',
        ],
        [
          await w.send('POST', w.path('1', '/definitions'), {
            definitions: [jsonDefinition('A'), { ...jsonDefinition('B'), accept: ['text/xml', bad] }],
          }),
          'definitions[1].accept[1]',
        ],
        [
          await w.send('PUT', w.path('1', '/definitions/Existing'), { accept: ['application/json'], schema }),
          'schema.contentType',
        ],
        [await w.send('PUT', w.path('1', '/definitions/Existing'), { accept: [bad] }), 'accept[0]'],
      ];
      for (const [response, field] of cases) {
        expect(response.status, `${label} ${field}`).toBe(400);
        const body = await json<ErrorBody>(response);
        expect(body.code, label).toBe('invalid_argument');
        expect(
          body.fields?.map((f) => f.field),
          label,
        ).toEqual([field]);
      }

      const trpcCases: [Response, string][] = [
        [
          await trpc(w, 'definitions.create', { definitions: [{ ...jsonDefinition('A'), schema }] }),
          'definitions[0].schema.contentType',
        ],
        [
          await trpc(w, 'definitions.update', { definitionName: 'Existing', accept: ['application/json'], schema }),
          'schema.contentType',
        ],
      ];
      for (const [response, field] of trpcCases) {
        expect(response.status, `${label} tRPC ${field}`).toBe(400);
        expect(await json<TrpcFailure>(response), label).toMatchObject({
          error: { data: { apiCode: 'invalid_argument', fields: [{ field }] } },
        });
      }
    }
    // Nothing was written: one definition, unchanged.
    expect(await definitionCount(w)).toBe(1);
    const after = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Existing')));
    expect(after).toMatchObject({ accept: existing?.accept, schema: existing?.schema, updatedAt: existing?.updatedAt });
  });

  it('takes media types with parameters, lower-cased but for quoted values', async () => {
    const w = await workspace();
    await w.version('1');
    const created = await w.definitions('1', [
      {
        name: 'Params',
        accept: ['Application/JSON; Charset=UTF-8', 'text/xml;', '*/*'],
        schema: {
          contentType: 'Application/Schema+JSON ; Profile="https://Example.com/A\\"b" ;; q=1',
          content: '{}',
        },
      },
    ]);
    expect(created[0]).toMatchObject({
      accept: ['application/json; charset=utf-8', 'text/xml;', '*/*'],
      schema: { contentType: 'application/schema+json ; profile="https://Example.com/A\\"b" ;; q=1' },
    });
    // Compared after normalising: the same type twice in one list is refused.
    const twice = await w.send('POST', w.path('1', '/definitions'), {
      definitions: [{ ...jsonDefinition('Twice'), accept: ['application/json', 'Application/Json'] }],
    });
    expect(twice.status).toBe(400);
    expect((await json<ErrorBody>(twice)).fields?.map((f) => f.field)).toEqual(['definitions[0].accept']);
  });

  it('serves raw schemas only as types a schema can have, with nosniff and a sandboxing CSP', async () => {
    const w = await workspace();
    await w.version('1');
    const served: [string, string][] = [
      ['application/schema+json', 'application/schema+json'],
      ['application/json; charset=utf-8', 'application/json'],
      ['application/vnd.oai.openapi+json;version=3.1', 'application/vnd.oai.openapi+json'],
      ['application/yaml', 'application/yaml'],
      ['text/x-yaml', 'text/x-yaml'],
      ['application/xml; profile=json', 'application/xml; charset=utf-8'],
      ['text/xml', 'text/xml; charset=utf-8'],
      ['application/atom+xml', 'application/atom+xml; charset=utf-8'],
      ['text/plain; charset=iso-8859-1', 'text/plain; charset=utf-8'],
      ['text/html', 'text/plain; charset=utf-8'],
      ['text/html; charset=utf-8', 'text/plain; charset=utf-8'],
      ['application/xhtml+xml', 'text/plain; charset=utf-8'],
      ['image/svg+xml', 'text/plain; charset=utf-8'],
      ['application/javascript', 'text/plain; charset=utf-8'],
      ['text/xsl', 'text/plain; charset=utf-8'],
      ['application/octet-stream', 'text/plain; charset=utf-8'],
    ];
    // A page, written as a JSON string so that the JSON types take it too.
    const content = JSON.stringify('<html><script>alert(document.domain)</script></html>');
    const created = await w.definitions(
      '1',
      served.map(([contentType], index) => ({
        name: `T${String(index)}`,
        accept: ['application/json'],
        schema: { contentType, content },
      })),
    );
    for (const [index, [stored, expected]] of served.entries()) {
      const raw = await call('GET', created[index]?.url ?? '', { apiKey: w.org.apiKey });
      expect(raw.status, stored).toBe(200);
      expect(raw.headers.get('content-type'), stored).toBe(expected);
      expect(raw.headers.get('x-content-type-options'), stored).toBe('nosniff');
      expect(raw.headers.get('content-security-policy'), stored).toBe("default-src 'none'; sandbox");
      expect(await raw.text(), stored).toBe(content);
      // Reads still show the type as stored.
      expect(created[index]?.schema.contentType, stored).toBe(stored);
    }
  });

  it('serves a content type stored before media types were checked as text/plain, never a 500', async () => {
    const w = await workspace();
    await w.version('1');
    const [stored] = await w.definitions('1', [jsonDefinition('Legacy')]);
    await sql.query('UPDATE definitions SET schema_content_type = $1 WHERE id = $2', [
      'application/json\r\n;x',
      stored?.id,
    ]);
    const raw = await call('GET', stored?.url ?? '', { apiKey: w.org.apiKey });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await raw.text()).toBe(stored?.schema.content);
  });
});
