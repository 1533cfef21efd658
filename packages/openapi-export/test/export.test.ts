import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { exportOpenApi } from '../src/index.js';
import { shop } from './shop.js';

describe('a version as an OpenAPI 3.1 document', () => {
  const document = exportOpenApi(shop()) as Record<string, unknown>;

  it('is valid OpenAPI 3.1, by a maintained validator', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('takes info and servers from the connector and the version', () => {
    expect(document.info).toEqual({
      title: 'Shop',
      version: '1.2.0',
      description: 'Orders and lines',
      'x-connect-version-description': 'Adds lines',
    });
    expect(document.servers).toEqual([{ url: 'https://shop.example.com/v1' }]);
  });

  it('writes actions as operations: {x} paths, parameters, bodies as $refs to components', () => {
    expect(document.paths).toEqual({
      '/orders/{orderId}': {
        get: {
          operationId: 'getOrder',
          summary: 'Read an order',
          parameters: [
            { name: 'orderId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'expand', in: 'query', required: false, schema: { type: 'boolean', default: false } },
          ],
          responses: {
            200: {
              description: 'Status 200',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            default: {
              description: 'Any other status',
              content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
            },
            404: { description: 'Status 404' },
          },
        },
      },
      '/orders/{orderId}/lines': {
        post: {
          operationId: 'addLines',
          parameters: [{ name: 'orderId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Line' } },
              // Line took application/json first: Order, which accepts only that, gets a parameter.
              'application/json; connect-link=2': { schema: { $ref: '#/components/schemas/Order' } },
            },
          },
          responses: {
            201: {
              description: 'Status 201',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
          },
        },
      },
    });
  });

  it('writes triggers as webhooks named after them', () => {
    expect(document.webhooks).toEqual({
      orderCreated: {
        post: {
          operationId: 'orderCreated',
          description: 'Sent when an order is placed',
          parameters: [{ name: 'X-Signature', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
          },
        },
      },
    });
  });

  it('writes definitions as component schemas, links as component $refs, the rest as extensions', () => {
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas)).toEqual(['Legacy', 'Line', 'Order', 'Problem']);
    expect(schemas.Order).toEqual({
      type: 'object',
      description: 'An order',
      properties: {
        lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
        first: { $ref: '#/components/schemas/Line/properties/sku' },
      },
      examples: [{ lines: [] }],
      'x-connect-accept': ['application/json'],
    });
    expect(schemas.Line).toMatchObject({ 'x-connect-description': 'A line, kept apart' });
    // A link cut by a forced delete points at nothing: kept visible, never as a $ref to nothing.
    expect(schemas.Problem).toMatchObject({ properties: { gone: { 'x-connect-unresolved-ref': '#/$defs/Deleted' } } });
    expect(schemas.Legacy).toEqual({
      'x-connect-accept': ['text/xml'],
      'x-connect-schema': { contentType: 'application/xml', content: '<xs:schema/>' },
    });
  });

  it('writes auth scheme configs as security schemes, the whole config beside each', () => {
    const schemes = (document.components as { securitySchemes: Record<string, Record<string, unknown>> })
      .securitySchemes;
    expect(schemes.key).toMatchObject({ type: 'apiKey', name: 'X-Api-Key', in: 'header', description: 'An API key' });
    expect(schemes.oauth).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: 'https://auth.example.com/authorize',
          tokenUrl: 'https://auth.example.com/token',
          scopes: { 'orders:read': 'Read orders' },
        },
      },
      'x-connect-auth-scheme-config': { pkce: false, defaultScopes: ['orders:read'] },
    });
    expect(schemes.signed).toBeUndefined();
    expect(document['x-connect-auth-scheme-configs']).toEqual([shop().authSchemeConfigs[2]]);
  });

  it('lists what OpenAPI cannot hold', () => {
    expect(document['x-connect-unexported']).toEqual([
      { kind: 'link', name: 'Problem', reason: expect.stringContaining('#/$defs/Deleted') as string },
      { kind: 'action', name: 'tunnel', reason: 'OpenAPI 3.1 has no CONNECT operation' },
      { kind: 'authSchemeConfig', name: 'signed', reason: 'OpenAPI has no security scheme for an HMAC signature' },
    ]);
  });

  it('is the same document, key for key, every time', () => {
    const reordered = shop();
    reordered.actions.reverse();
    reordered.definitions.reverse();
    expect(JSON.stringify(exportOpenApi(reordered))).toBe(JSON.stringify(document));
  });
});
