import { describe, expect, it } from 'vitest';
import { mapped, openapi30, openapi31, schemaOf } from './mapped.js';

const body = (schema: unknown, type = 'application/json') => ({ content: { [type]: { schema } } });

describe('schemas → definitions', () => {
  it('maps component schemas, their $refs rewritten as links to definitions', () => {
    const mapping = mapped(
      openapi30({
        components: {
          schemas: {
            'Order.v2': {
              type: 'object',
              description: 'An order',
              properties: { line: { $ref: '#/components/schemas/Line' } },
            },
            Line: { type: 'object', properties: { of: { $ref: '#/components/schemas/Order.v2/properties/line' } } },
          },
        },
      }),
    );
    expect(mapping.definitions[0]).toEqual({
      name: 'Order_v2',
      accept: ['application/json'],
      description: 'An order',
      schema: {
        contentType: 'application/schema+json',
        content: JSON.stringify({
          type: 'object',
          description: 'An order',
          properties: { line: { $ref: '#/$defs/Line' } },
        }),
      },
    });
    expect(schemaOf(mapping, 'Line')).toEqual({
      type: 'object',
      properties: { of: { $ref: '#/$defs/Order_v2/properties/line' } },
    });
  });

  it('writes OpenAPI 3.0 schemas as JSON Schema: nullable, exclusive bounds, discriminator mappings', () => {
    const mapping = mapped(
      openapi30({
        components: {
          schemas: {
            A: {
              type: 'object',
              properties: {
                name: { type: 'string', nullable: true },
                colour: { type: 'string', enum: ['red'], nullable: true },
                size: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false },
                b: { allOf: [{ $ref: '#/components/schemas/B' }], nullable: true },
              },
              discriminator: { propertyName: 'kind', mapping: { b: '#/components/schemas/B' } },
              'x-internal': { $ref: '#/components/schemas/B' },
            },
            B: { type: 'object' },
          },
        },
      }),
    );
    expect(schemaOf(mapping, 'A')).toEqual({
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        colour: { type: ['string', 'null'], enum: ['red', null] },
        size: { type: 'number', exclusiveMinimum: 0, maximum: 9 },
        b: { anyOf: [{ allOf: [{ $ref: '#/$defs/B' }] }, { type: 'null' }] },
      },
      discriminator: { propertyName: 'kind', mapping: { b: '#/$defs/B' } },
    });
  });

  it('keeps OpenAPI 3.1 schemas as they are but for their links', () => {
    const schema = { type: ['string', 'null'], exclusiveMinimum: 1, nullable: true };
    const mapping = mapped(openapi31({ components: { schemas: { A: schema } } }));
    expect(schemaOf(mapping, 'A')).toEqual(schema);
  });

  it('reports $refs to anything but a component schema and writes them as {}', () => {
    const mapping = mapped(
      openapi30({
        components: {
          schemas: { A: { properties: { p: { $ref: '#/components/parameters/P/schema' } } } },
          parameters: { P: { name: 'p', in: 'query', schema: { type: 'string' } } },
        },
      }),
    );
    expect(schemaOf(mapping, 'A')).toEqual({ properties: { p: {} } });
    expect(mapping.unmapped).toEqual([
      {
        pointer: '/components/schemas/A/properties/p/$ref',
        reason: 'refers to #/components/parameters/P/schema, which is no definition: written as {} (any value)',
      },
    ]);
  });

  it('names inline schemas after where they are used, identical ones sharing a definition', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/a': {
            post: {
              operationId: 'postA',
              requestBody: {
                content: {
                  'application/json': { schema: { type: 'string' } },
                  'text/plain': { schema: { type: 'string' } },
                },
              },
              responses: { 200: body({ type: 'integer' }), 201: body({ type: 'integer' }, 'application/x-int') },
            },
          },
          '/b': { get: { operationId: 'getB', responses: { 200: body({ type: 'integer' }) } } },
        },
      }),
    );
    expect(mapping.definitions.map((d) => [d.name, d.accept])).toEqual([
      ['postA_request', ['application/json', 'text/plain']],
      ['postA_response_200', ['application/json', 'application/x-int']],
    ]);
    expect(mapping.actions[1]?.responses).toEqual([
      { status: 200, definitions: [{ definition: { name: 'postA_response_200' } }] },
    ]);
  });

  it('leaves out schemas too long to store, and the links to them, and says so', () => {
    const huge = { type: 'string', description: 'x'.repeat(300_000) };
    const mapping = mapped(
      openapi30({
        paths: { '/a': { get: { operationId: 'a', responses: { 200: body({ $ref: '#/components/schemas/Huge' }) } } } },
        components: { schemas: { Huge: huge, User: { properties: { h: { $ref: '#/components/schemas/Huge' } } } } },
      }),
    );
    expect(mapping.definitions.map((d) => d.name)).toEqual(['User']);
    expect(schemaOf(mapping, 'User')).toEqual({ properties: { h: {} } });
    expect(mapping.actions[0]?.responses).toEqual([{ status: 200, definitions: [] }]);
    expect(mapping.unmapped.map((entry) => entry.pointer)).toEqual([
      '/components/schemas/Huge',
      '/components/schemas/User/properties/h/$ref',
    ]);
  });
});
