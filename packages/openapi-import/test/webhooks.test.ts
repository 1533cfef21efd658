import { describe, expect, it } from 'vitest';
import { mapped, openapi30, openapi31 } from './mapped.js';

describe('OpenAPI 3.1 webhooks → triggers', () => {
  it('maps each webhook operation to a trigger with its parameters and bodies', () => {
    const mapping = mapped(
      openapi31({
        webhooks: {
          orderCreated: {
            post: {
              summary: 'An order was created',
              parameters: [
                { name: 'X-Signature', in: 'header', required: true, schema: { type: 'string' } },
                { name: 'shop', in: 'path', required: true, schema: { type: 'string' } },
              ],
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
              responses: { 200: { description: 'Received' } },
            },
          },
        },
        components: { schemas: { Order: { type: 'object' } } },
      }),
    );
    expect(mapping.actions).toEqual([]);
    expect(mapping.triggers).toEqual([
      {
        type: 'http',
        name: 'orderCreated_post',
        method: 'POST',
        summary: 'An order was created',
        parameters: [{ name: 'X-Signature', in: 'header', required: true, type: 'string', default: undefined }],
        requestBody: { required: false, definitions: [{ definition: { name: 'Order' } }] },
        responses: [{ status: 200, definitions: [] }],
      },
    ]);
    expect(mapping.unmapped).toEqual([
      { pointer: '/webhooks/orderCreated/post/parameters/1', reason: 'a trigger has no path, so no path parameters' },
    ]);
  });

  it('names triggers by operationId when there is one, without colliding', () => {
    const hook = { operationId: 'event', responses: {} };
    const mapping = mapped(openapi31({ webhooks: { a: { post: hook }, b: { post: hook } } }));
    expect(mapping.triggers.map((trigger) => trigger.name)).toEqual(['event', 'event_2']);
  });

  it('reports webhooks in an OpenAPI 3.0 document, where they are no field', () => {
    const mapping = mapped(openapi30({ webhooks: { a: { post: { responses: {} } } } }));
    expect(mapping.triggers).toEqual([]);
    expect(mapping.unmapped).toEqual([
      { pointer: '/webhooks', reason: 'webhooks are OpenAPI 3.1: not read in a 3.0 document' },
    ]);
  });
});
