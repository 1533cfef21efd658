import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';
import { openapi30 } from './mapped.js';

describe('documents that cannot be imported', () => {
  it('refuses what is no object', () => {
    expect(importOpenApi('openapi: 3.0.0')).toEqual({
      problems: [{ pointer: '', message: 'must be an OpenAPI document (a JSON object)' }],
    });
    expect(importOpenApi([])).toHaveProperty('problems');
    expect(importOpenApi(null)).toHaveProperty('problems');
  });

  it('refuses Swagger 2.0 with a clear problem', () => {
    expect(importOpenApi({ swagger: '2.0', info: {}, paths: {} })).toEqual({
      problems: [{ pointer: '/swagger', message: 'Swagger 2.0 is not imported yet: convert it to OpenAPI 3 first' }],
    });
  });

  it('refuses a missing or unsupported openapi version', () => {
    expect(importOpenApi({ info: {}, paths: {} })).toEqual({
      problems: [{ pointer: '/openapi', message: 'is required (a string)' }],
    });
    expect(importOpenApi(openapi30({ openapi: '4.0.0' }))).toEqual({
      problems: [{ pointer: '/openapi', message: 'is 4.0.0; only OpenAPI 3.0.x and 3.1.x are imported' }],
    });
  });

  it('names every part of the wrong shape', () => {
    const result = importOpenApi({ openapi: '3.0.0', paths: [], components: { schemas: 'none' }, servers: {} });
    expect(result).toEqual({
      problems: [
        { pointer: '/paths', message: 'must be an object' },
        { pointer: '/components/schemas', message: 'must be an object' },
        { pointer: '/info', message: 'is required' },
        { pointer: '/servers', message: 'must be an array' },
      ],
    });
  });

  it('refuses external $refs: a version is self-contained', () => {
    const result = importOpenApi(
      openapi30({
        paths: { '/a/{id}': { get: { responses: { 200: { $ref: 'https://example.com/common.yaml#/Ok' } } } } },
        components: { schemas: { Order: { $ref: 'order.json' } } },
      }),
    );
    expect(result).toEqual({
      problems: [
        {
          pointer: '/paths/~1a~1{id}/get/responses/200/$ref',
          message: 'refers to https://example.com/common.yaml#/Ok, outside the document: a version is self-contained',
        },
        {
          pointer: '/components/schemas/Order/$ref',
          message: 'refers to order.json, outside the document: a version is self-contained',
        },
      ],
    });
  });

  it('refuses local $refs to nothing, with pointers escaped as RFC 6901 says', () => {
    const result = importOpenApi(
      openapi30({ components: { schemas: { 'a/b~c': { properties: { x: { $ref: '#/components/schemas/Gone' } } } } } }),
    );
    expect(result).toEqual({
      problems: [
        {
          pointer: '/components/schemas/a~1b~0c/properties/x/$ref',
          message: 'refers to #/components/schemas/Gone, which is not in the document',
        },
      ],
    });
  });

  it('refuses a document nested too deep to map safely', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 300; i += 1) schema = { items: schema };
    const result = importOpenApi(openapi30({ components: { schemas: { Deep: schema } } }));
    expect(result).toEqual({
      problems: [
        { pointer: `/components/schemas/Deep${'/items'.repeat(254)}`, message: 'nests deeper than 256 levels' },
      ],
    });
  });

  it('bounds the depth of example data too', () => {
    let example: unknown = 1;
    for (let i = 0; i < 300; i += 1) example = [example];
    const result = importOpenApi(openapi30({ components: { schemas: { A: { example } } } }));
    expect(result).toEqual({
      problems: [
        { pointer: `/components/schemas/A/example${'/0'.repeat(253)}`, message: 'nests deeper than 256 levels' },
      ],
    });
  });

  it('reads a $ref in example data as data', () => {
    const result = importOpenApi(openapi30({ components: { schemas: { A: { example: { $ref: 'elsewhere' } } } } }));
    expect(result).not.toHaveProperty('problems');
  });
});
