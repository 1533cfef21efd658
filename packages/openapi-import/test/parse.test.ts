import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importOpenApiText, parseImportDocument, syntaxOf } from '../src/index.js';

const maxBytes = 16 * 1024 * 1024;
const parse = (text: string, syntax?: 'json' | 'yaml') => parseImportDocument(text, { maxBytes, syntax });
const problemsOf = (text: string, syntax?: 'json' | 'yaml') => {
  const result = parse(text, syntax);
  if (!('problems' in result)) throw new Error('the document was accepted');
  return result.problems;
};

const shop30 = {
  openapi: '3.0.3',
  info: { title: 'Shop', version: '1' },
  paths: { '/orders': { get: { operationId: 'listOrders', responses: { '200': { description: 'the orders' } } } } },
};

describe('reading a document', () => {
  it('reads JSON and YAML, told or not', () => {
    const yamlText = `openapi: 3.0.3\ninfo: { title: Shop, version: "1" }\npaths:\n  /orders:\n    get:\n      operationId: listOrders\n      responses:\n        "200": { description: the orders }\n`;
    for (const [text, syntax] of [
      [JSON.stringify(shop30), undefined],
      [JSON.stringify(shop30), 'json'],
      [yamlText, undefined],
      [yamlText, 'yaml'],
    ] as const) {
      const result = parse(text, syntax);
      expect(result).toEqual({ document: shop30, writtenIn: '3.0' });
    }
  });

  it('tells the syntax from media and file types', () => {
    expect(syntaxOf('application/json; charset=utf-8')).toBe('json');
    expect(syntaxOf('application/vnd.oai.openapi+json')).toBe('json');
    expect(syntaxOf('application/x-yaml')).toBe('yaml');
    expect(syntaxOf('yml')).toBe('yaml');
    expect(syntaxOf('text/plain')).toBeUndefined();
  });

  it('refuses text that is neither JSON nor YAML, saying where', () => {
    expect(problemsOf('{"openapi": ')[0]?.message).toMatch(/^is not valid JSON/);
    expect(problemsOf('openapi: [3.0\n  : :')[0]?.message).toMatch(/^is not valid YAML at line \d+, column \d+/);
    expect(problemsOf('a: 1\na: 2')[0]?.message).toMatch(/^is not valid YAML/);
    expect(problemsOf('just words')).toEqual([
      { pointer: '', message: 'must be an OpenAPI document (a JSON or YAML object)' },
    ]);
  });

  it('refuses what is no OpenAPI document, naming the version field', () => {
    expect(problemsOf('{"info": {}}')).toEqual([
      { pointer: '/openapi', message: 'is required: the OpenAPI version the document is written in' },
    ]);
    expect(problemsOf('{"openapi": "4.0.0"}')[0]?.pointer).toBe('/openapi');
    expect(problemsOf('{"swagger": "1.2"}')[0]?.pointer).toBe('/swagger');
  });

  it('names every invalid field by its JSON pointer', () => {
    const invalid = {
      openapi: '3.0.3',
      info: { title: 'Shop' },
      paths: { '/orders': { get: { responses: { '200': { description: 7 } } } } },
    };
    expect(problemsOf(JSON.stringify(invalid))).toEqual([
      { pointer: '/info', message: 'value does not have required property "version"' },
      {
        pointer: '/paths/~1orders/get/responses/200/description',
        message: 'value type "number" is invalid. Expected "string"',
      },
    ]);
    const invalid31 = {
      openapi: '3.1.0',
      info: { title: 'Shop', version: '1' },
      webhooks: { paid: { post: { responses: 'no' } } },
    };
    expect(problemsOf(JSON.stringify(invalid31)).map((problem) => problem.pointer)).toContain(
      '/webhooks/paid/post/responses',
    );
  });

  it('bounds the size and the nesting', () => {
    const big = JSON.stringify({ ...shop30, info: { title: 'é'.repeat(600), version: '1' } });
    const small = parseImportDocument(big, { maxBytes: 1000 });
    expect(small).toEqual({
      problems: [{ pointer: '', message: expect.stringMatching(/^is \d+ bytes; a document may have at most 1000$/) }],
    });
    const deep = `{"openapi":"3.0.3","info":{"title":"a","version":"1"},"paths":{},"x-deep":${'['.repeat(300)}${']'.repeat(300)}}`;
    expect(problemsOf(deep)).toEqual([
      { pointer: expect.stringMatching(/^\/x-deep(\/0)+$/), message: 'nests deeper than 256 levels' },
    ]);
    const deepYaml = `openapi: 3.0.3\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(problemsOf(deepYaml)[0]?.message).toMatch(/nests deeper than 256 levels|is not valid YAML/);
  });

  it('refuses external $refs, naming where they are', () => {
    const external = {
      ...shop30,
      components: { schemas: { Order: { $ref: 'https://example.com/order.json' } } },
    };
    const result = importOpenApiText(JSON.stringify(external), { maxBytes });
    expect(result).toEqual({
      problems: [
        {
          pointer: '/components/schemas/Order/$ref',
          message: 'refers to https://example.com/order.json, outside the document: a version is self-contained',
        },
      ],
    });
    const swagger = {
      swagger: '2.0',
      info: { title: 'a', version: '1' },
      paths: {},
      definitions: { A: { $ref: 'a.yaml#/B' } },
    };
    expect(problemsOf(JSON.stringify(swagger))).toEqual([
      {
        pointer: '/definitions/A/$ref',
        message: 'refers to a.yaml#/B, outside the document: a version is self-contained',
      },
    ]);
  });
});

describe('Swagger 2.0 and OpenAPI 3.1', () => {
  it('converts Swagger 2.0 to OpenAPI 3.0 and imports it', () => {
    const swagger = `swagger: "2.0"
info: { title: Pets, version: "1" }
host: pets.example.com
basePath: /v1
schemes: [https]
securityDefinitions:
  key: { type: apiKey, name: X-Key, in: header }
paths:
  /pets/{id}:
    get:
      operationId: getPet
      produces: [application/json]
      parameters:
        - { name: id, in: path, required: true, type: string }
      responses:
        "200": { description: a pet, schema: { $ref: "#/definitions/Pet" } }
definitions:
  Pet:
    type: object
    properties: { name: { type: string } }
`;
    const result = importOpenApiText(swagger, { maxBytes });
    if ('problems' in result) throw new Error(JSON.stringify(result.problems));
    expect(result.writtenIn).toBe('2.0');
    expect(result.title).toBe('Pets');
    expect(result.baseUrl).toBe('https://pets.example.com/v1');
    expect(result.actions.map((action) => [action.name, action.method, action.path])).toEqual([
      ['getPet', 'GET', '/pets/{{ param.id }}'],
    ]);
    expect(result.actions[0]?.responses).toEqual([{ status: 200, definitions: [{ definition: { name: 'Pet' } }] }]);
    expect(result.definitions.map((definition) => definition.name)).toEqual(['Pet']);
    expect(result.authSchemeConfigs).toEqual([
      expect.objectContaining({ id: 'key', schemeType: 'api-key', name: 'X-Key', in: 'header' }),
    ]);
  });

  it('refuses an invalid Swagger 2.0 document with pointers into it', () => {
    const swagger = { swagger: '2.0', info: { title: 'a', version: '1' }, paths: { '/a': { get: { responses: {} } } } };
    expect(problemsOf(JSON.stringify(swagger)).map((problem) => problem.pointer)).toContain('/paths/~1a/get/responses');
  });

  it('makes the webhooks of OpenAPI 3.1 triggers', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'Shop', version: '1' },
      webhooks: {
        orderPaid: {
          post: {
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    const result = importOpenApiText(JSON.stringify(document), { maxBytes });
    if ('problems' in result) throw new Error(JSON.stringify(result.problems));
    expect(result.writtenIn).toBe('3.1');
    expect(result.triggers.map((trigger) => [trigger.name, trigger.method])).toEqual([['orderPaid_post', 'POST']]);
  });
});

describe("GitHub's REST API as text", () => {
  const require = createRequire(import.meta.url);
  const text = readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');

  it('is parsed, validated and mapped whole', () => {
    const result = importOpenApiText(text, { maxBytes });
    if ('problems' in result) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
    expect(result.actions).toHaveLength(1223);
    expect(result.definitions).toHaveLength(1470);
    // Its time (2.0 to 2.6 s in Node on a two-core machine) is the bench's to measure (import-github).
  });
});
