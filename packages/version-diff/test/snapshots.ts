import type { SnapshotDefinition, SnapshotOperation, VersionSnapshot } from '@connect/contracts';

/** An action as a test writes it: a GET with one 200 response linking `Order`, unless told otherwise. */
export const action = (name: string, over: Partial<SnapshotOperation> = {}): SnapshotOperation => ({
  name,
  summary: '',
  description: '',
  method: 'GET',
  path: `/${name}`,
  parameters: [],
  responses: [{ status: 200, definitions: ['Order'] }],
  ...over,
});

/** A JSON Schema definition. */
export const definition = (
  name: string,
  schema: unknown,
  over: Partial<SnapshotDefinition> = {},
): SnapshotDefinition => ({
  id: `ID${name.toUpperCase()}`,
  name,
  description: '',
  accept: ['application/json'],
  contentType: 'application/schema+json',
  content: JSON.stringify(schema),
  refs: [],
  ...over,
});

export const version = (name: string, over: Partial<VersionSnapshot> = {}): VersionSnapshot => ({
  name,
  actions: [],
  triggers: [],
  definitions: [],
  ...over,
});

/**
 * Two versions differing only in the schema of `Order`, used by `getOrder`'s response (`response`)
 * or by `createOrder`'s request body (`request`).
 */
export function schemaPair(side: 'request' | 'response', before: unknown, after: unknown) {
  const operations =
    side === 'response'
      ? [action('getOrder')]
      : [
          action('createOrder', {
            method: 'POST',
            requestBody: { required: true, definitions: ['Order'] },
            responses: [{ status: 204, definitions: [] }],
          }),
        ];
  return {
    from: version('1.0.0', { actions: operations, definitions: [definition('Order', before)] }),
    to: version('1.0.1', { actions: operations, definitions: [definition('Order', after)] }),
  };
}
