import { describe, expect, it } from 'vitest';
import { mapped, openapi30 } from './mapped.js';

const order = { type: 'object', properties: { id: { type: 'string' } } };

describe('operations → actions', () => {
  it('maps method, path template, texts, and the default response', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/shops/{shop}/orders/{id}': {
            parameters: [
              { name: 'shop', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            ],
            get: {
              operationId: 'getOrder',
              summary: 'Get an order',
              description: 'One order of a shop.',
              responses: { default: { description: 'An error' } },
            },
          },
        },
      }),
    );
    expect(mapping.actions).toEqual([
      {
        type: 'http',
        name: 'getOrder',
        method: 'GET',
        path: '/shops/{{ param.shop }}/orders/{{ param.id }}',
        summary: 'Get an order',
        description: 'One order of a shop.',
        parameters: [
          { name: 'shop', in: 'path', required: true, type: 'string', default: undefined },
          { name: 'id', in: 'path', required: true, type: 'integer', default: undefined },
        ],
        responses: [{ status: null, definitions: [] }],
      },
    ]);
    expect(mapping.unmapped).toEqual([]);
  });

  it('takes the path item’s summary and description for operations without their own', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/a': {
            summary: 'The a resource',
            description: 'All about a.',
            get: { responses: {} },
            put: { summary: 'Replace a', responses: {} },
          },
        },
      }),
    );
    expect(mapping.actions.map((action) => [action.summary, action.description])).toEqual([
      ['The a resource', 'All about a.'],
      ['Replace a', 'All about a.'],
    ]);
  });

  it('merges path-level and operation-level parameters, resolving $refs, the operation’s winning', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/orders/{id}': {
            parameters: [
              { $ref: '#/components/parameters/Id' },
              { name: 'limit', in: 'query', schema: { type: 'integer', default: 10 } },
            ],
            get: {
              parameters: [
                { name: 'limit', in: 'query', required: true, schema: { type: 'number' } },
                { name: 'X-Trace', in: 'header', schema: { type: 'boolean' } },
                { name: 'session', in: 'cookie', schema: { $ref: '#/components/schemas/Session' } },
              ],
              responses: {},
            },
          },
        },
        components: {
          parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
          schemas: { Session: { type: 'string', default: 'none' } },
        },
      }),
    );
    expect(mapping.actions[0]?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, type: 'string', default: undefined },
      { name: 'limit', in: 'query', required: true, type: 'number', default: undefined },
      { name: 'X-Trace', in: 'header', required: false, type: 'boolean', default: undefined },
      { name: 'session', in: 'cookie', required: false, type: 'string', default: 'none' },
    ]);
  });

  it('adds path parameters the document forgot to declare, and says so', () => {
    const mapping = mapped(openapi30({ paths: { '/shops/{shop}': { get: { responses: {} } } } }));
    expect(mapping.actions[0]?.parameters).toEqual([
      { name: 'shop', in: 'path', required: true, type: 'string', default: undefined },
    ]);
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/paths/~1shops~1{shop}/get',
        reason: 'path parameter shop is not declared: added as a required string',
      },
    ]);
  });

  it('keeps array, object and untyped parameters as strings and reports them; ignores Accept headers', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/orders': {
            get: {
              parameters: [
                { name: 'ids', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
                { name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } },
                { name: 'Accept', in: 'header', schema: { type: 'string' } },
                { name: 'nullableCount', in: 'query', schema: { type: ['integer', 'null'] } },
              ],
              responses: {},
            },
          },
        },
      }),
    );
    expect(mapping.actions[0]?.parameters.map((p) => [p.name, p.type])).toEqual([
      ['ids', 'string'],
      ['filter', 'string'],
      ['nullableCount', 'integer'],
    ]);
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/paths/~1orders/get/parameters/0',
        reason: 'is array: kept as a string parameter, its schema and serialization are not expressible',
      },
      {
        pointer: '/paths/~1orders/get/parameters/1',
        reason:
          'has no schema (content-typed parameter): kept as a string parameter, its schema and serialization are not expressible',
      },
      { pointer: '/paths/~1orders/get/parameters/2', reason: 'a Accept header parameter is ignored, as OpenAPI says' },
    ]);
  });

  it('links request bodies and responses to component and inline definitions', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/orders': {
            post: {
              operationId: 'createOrder',
              requestBody: { $ref: '#/components/requestBodies/NewOrder' },
              responses: {
                201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
                400: { content: { 'application/problem+json': { schema: { type: 'object' } } } },
                '4XX': { description: 'client error' },
              },
            },
          },
        },
        components: {
          schemas: { Order: order },
          requestBodies: {
            NewOrder: {
              required: true,
              content: { 'application/json': { schema: { type: 'object', required: ['sku'] } } },
            },
          },
        },
      }),
    );
    const [action] = mapping.actions;
    expect(action?.requestBody).toEqual({
      required: true,
      definitions: [{ definition: { name: 'createOrder_request' } }],
    });
    expect(action?.responses).toEqual([
      { status: 201, definitions: [{ definition: { name: 'Order' } }] },
      { status: 400, definitions: [{ definition: { name: 'createOrder_response_400' } }] },
    ]);
    expect(mapping.definitions.map((d) => [d.name, d.accept])).toEqual([
      ['Order', ['application/json']],
      ['createOrder_request', ['application/json']],
      ['createOrder_response_400', ['application/problem+json']],
    ]);
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/paths/~1orders/post/responses/4XX',
        reason: 'a status range is not expressible: one response per status',
      },
    ]);
  });

  it('reports media types without a schema, response headers and links, callbacks and per-operation security', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/orders': {
            get: {
              operationId: 'listOrders',
              security: [{ key: [] }],
              callbacks: { done: {} },
              servers: [{ url: 'https://eu.example.com' }],
              responses: {
                200: {
                  headers: { Link: { schema: { type: 'string' } } },
                  links: { next: { operationId: 'listOrders' } },
                  content: { 'text/csv': {} },
                },
              },
            },
          },
        },
      }),
    );
    expect(mapping.actions[0]?.responses).toEqual([{ status: 200, definitions: [] }]);
    expect(mapping.unmapped.map((entry) => entry.pointer)).toEqual([
      '/paths/~1orders/get/callbacks',
      '/paths/~1orders/get/servers',
      '/paths/~1orders/get/security',
      '/paths/~1orders/get/responses/200/headers',
      '/paths/~1orders/get/responses/200/links',
      '/paths/~1orders/get/responses/200/content/text~1csv',
    ]);
  });

  it('reports a part shared through $refs once, at its own pointer', () => {
    const list = { $ref: '#/components/responses/List' };
    const mapping = mapped(
      openapi30({
        paths: { '/a': { get: { responses: { 200: list } } }, '/b': { get: { responses: { 200: list } } } },
        components: {
          responses: { List: { description: 'A page', headers: { Link: { schema: { type: 'string' } } } } },
        },
      }),
    );
    expect(mapping.actions.map((action) => action.responses)).toEqual([
      [{ status: 200, definitions: [] }],
      [{ status: 200, definitions: [] }],
    ]);
    expect(mapping.unmapped).toEqual([
      { pointer: '/components/responses/List/headers', reason: 'response headers are not part of a version' },
    ]);
  });

  it('cuts summaries and descriptions to the contracts’ limits and says so', () => {
    const mapping = mapped(
      openapi30({
        paths: { '/a': { get: { summary: 's'.repeat(201), description: `${'d'.repeat(1999)}😀`, responses: {} } } },
      }),
    );
    expect(mapping.actions[0]?.summary).toHaveLength(200);
    // The emoji's surrogate pair does not fit whole: it is left out rather than split.
    expect(mapping.actions[0]?.description).toBe('d'.repeat(1999));
    expect(mapping.unmapped).toEqual([
      { pointer: '/paths/~1a/get/summary', reason: 'cut to the 200 characters it may hold' },
      { pointer: '/paths/~1a/get/description', reason: 'cut to the 2,000 characters it may hold' },
    ]);
  });
});
