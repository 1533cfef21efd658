import type { ExportedVersion } from '../src/index.js';

const json = (schema: unknown) => ({ contentType: 'application/schema+json', content: JSON.stringify(schema) });

/** A small version with one of everything the export maps. */
export const shop = (): ExportedVersion => ({
  connector: { name: 'Shop', description: 'Orders and lines', baseUrl: 'https://shop.example.com/v1' },
  version: { name: '1.2.0', description: 'Adds lines', publishedAt: '2026-11-29T12:00:00.000Z' },
  definitions: [
    {
      name: 'Order',
      accept: ['application/json'],
      description: 'An order',
      schema: json({
        type: 'object',
        description: 'An order',
        properties: {
          lines: { type: 'array', items: { $ref: '#/$defs/Line' } },
          first: { $ref: '#/$defs/Line/properties/sku' },
        },
        examples: [{ lines: [] }],
      }),
    },
    {
      name: 'Line',
      accept: ['application/json', 'application/xml'],
      description: 'A line, kept apart',
      schema: json({ type: 'object', properties: { sku: { type: 'string' } } }),
    },
    {
      name: 'Problem',
      accept: ['application/problem+json'],
      schema: json({ type: 'object', properties: { gone: { $ref: '#/$defs/Deleted' } } }),
    },
    { name: 'Legacy', accept: ['text/xml'], schema: { contentType: 'application/xml', content: '<xs:schema/>' } },
  ],
  actions: [
    {
      type: 'http',
      name: 'getOrder',
      summary: 'Read an order',
      method: 'GET',
      path: '/orders/{{ param.orderId }}',
      parameters: [
        { name: 'orderId', in: 'path', required: true, type: 'string', default: undefined },
        { name: 'expand', in: 'query', required: false, type: 'boolean', default: false },
      ],
      responses: [
        { status: 200, definitions: [{ definition: { name: 'Order' } }] },
        { status: null, definitions: [{ definition: { name: 'Problem' } }] },
        { status: 404, definitions: [] },
      ],
    },
    {
      type: 'http',
      name: 'addLines',
      method: 'POST',
      path: '/orders/{{ param.orderId }}/lines',
      parameters: [{ name: 'orderId', in: 'path', required: true, type: 'string', default: undefined }],
      requestBody: {
        required: true,
        definitions: [{ definition: { name: 'Line' } }, { definition: { name: 'Order' } }],
      },
      responses: [{ status: 201, definitions: [{ definition: { name: 'Order' } }] }],
    },
    { type: 'http', name: 'tunnel', method: 'CONNECT', path: '/tunnel', parameters: [], responses: [] },
  ],
  triggers: [
    {
      type: 'http',
      name: 'orderCreated',
      description: 'Sent when an order is placed',
      method: 'POST',
      parameters: [{ name: 'X-Signature', in: 'header', required: true, type: 'string', default: undefined }],
      requestBody: { required: true, definitions: [{ definition: { name: 'Order' } }] },
      responses: [],
    },
  ],
  authSchemeConfigs: [
    { id: 'key', description: 'An API key', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' },
    {
      id: 'oauth',
      description: '',
      schemeType: 'oauth2',
      authorizeUrl: 'https://auth.example.com/authorize',
      tokenUrl: 'https://auth.example.com/token',
      scopes: [{ name: 'orders:read', description: 'Read orders' }],
      defaultScopes: ['orders:read'],
      pkce: false,
      grant: { grantType: 'authorization_code', clientId: 'shop' },
    },
    {
      id: 'signed',
      description: '',
      schemeType: 'hmac',
      name: 'X-Sig',
      in: 'header',
      algorithm: 'sha256',
      digestInputs: ['body'],
    },
  ],
});
