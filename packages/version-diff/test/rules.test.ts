import { describe, expect, it } from 'vitest';
import { diffVersions } from '../src/index.js';
import { action, definition, schemaPair, version } from './snapshots.js';

const order = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const withProperty = (name: string, schema: unknown, required = false) => ({
  ...order,
  properties: { ...order.properties, [name]: schema },
  required: required ? [...order.required, name] : order.required,
});

/** The only change of a diff, asserted to be the only one. */
function only(diff: ReturnType<typeof diffVersions>) {
  expect(diff.changes).toHaveLength(1);
  const [change] = diff.changes;
  if (!change) throw new Error('no change');
  return change;
}

describe('breaking-change rules: operations', () => {
  const base = version('1.0.0', { actions: [action('getOrder')], definitions: [definition('Order', order)] });
  const next = (over: Parameters<typeof version>[1]) =>
    version('1.1.0', { definitions: [definition('Order', order)], ...over });

  it('removing an action is breaking; adding one is not', () => {
    const removed = only(diffVersions(base, next({ actions: [] })));
    expect(removed).toMatchObject({
      kind: 'action',
      name: 'getOrder',
      change: 'removed',
      pointer: '/actions/getOrder',
      breaking: true,
    });
    const added = only(diffVersions(next({ actions: [] }), base));
    expect(added).toMatchObject({ change: 'added', breaking: false });
  });

  it('removing a trigger is breaking', () => {
    const withTrigger = version('1.0.0', { triggers: [action('orderShipped', { path: undefined })] });
    expect(only(diffVersions(withTrigger, version('2.0.0')))).toMatchObject({
      kind: 'trigger',
      pointer: '/triggers/orderShipped',
      breaking: true,
    });
  });

  it('changing the method or the path is breaking', () => {
    const moved = diffVersions(base, next({ actions: [action('getOrder', { method: 'POST', path: '/orders' })] }));
    expect(moved.changes.map((c) => [c.pointer, c.breaking])).toEqual([
      ['/actions/getOrder/method', true],
      ['/actions/getOrder/path', true],
    ]);
    expect(moved.suggestedBump).toBe('major');
  });

  it('a new required parameter is breaking; a new optional one is not', () => {
    const parameter = { name: 'shop', in: 'query', type: 'string' };
    const required = only(
      diffVersions(base, next({ actions: [action('getOrder', { parameters: [{ ...parameter, required: true }] })] })),
    );
    expect(required).toMatchObject({
      change: 'added',
      pointer: '/actions/getOrder/parameters/query/shop',
      breaking: true,
    });
    const optional = diffVersions(
      base,
      next({ actions: [action('getOrder', { parameters: [{ ...parameter, required: false }] })] }),
    );
    expect(only(optional)).toMatchObject({ breaking: false });
    expect(optional.suggestedBump).toBe('minor');
  });

  it('a parameter becoming required or changing type is breaking; becoming optional is not', () => {
    const p = (required: boolean, type = 'string') => [{ name: 'limit', in: 'query', required, type }];
    const optional = next({ actions: [action('getOrder', { parameters: p(false) })] });
    const required = next({ actions: [action('getOrder', { parameters: p(true) })] });
    expect(only(diffVersions(optional, required))).toMatchObject({
      pointer: '/actions/getOrder/parameters/query/limit/required',
      breaking: true,
    });
    expect(only(diffVersions(required, optional))).toMatchObject({ breaking: false });
    const retyped = next({ actions: [action('getOrder', { parameters: p(false, 'integer') })] });
    expect(only(diffVersions(optional, retyped))).toMatchObject({
      pointer: '/actions/getOrder/parameters/query/limit/type',
      breaking: true,
    });
  });

  it('a required request body added is breaking, an optional one is not; removing a response is breaking', () => {
    const body = (required: boolean) =>
      next({ actions: [action('getOrder', { requestBody: { required, definitions: ['Order'] } })] });
    expect(only(diffVersions(base, body(true)))).toMatchObject({
      pointer: '/actions/getOrder/requestBody',
      breaking: true,
    });
    expect(only(diffVersions(base, body(false)))).toMatchObject({ breaking: false });
    const noResponse = next({ actions: [action('getOrder', { responses: [{ status: 404, definitions: [] }] })] });
    const changes = diffVersions(base, noResponse).changes;
    expect(changes.find((c) => c.pointer === '/actions/getOrder/responses/200')).toMatchObject({
      change: 'removed',
      breaking: true,
    });
    expect(changes.find((c) => c.pointer === '/actions/getOrder/responses/404')).toMatchObject({
      change: 'added',
      breaking: false,
    });
  });

  it('documentation changes are reported and never breaking', () => {
    const diff = diffVersions(base, next({ actions: [action('getOrder', { summary: 'Read an order' })] }));
    expect(only(diff)).toMatchObject({ pointer: '/actions/getOrder/summary', breaking: false });
    expect(diff.suggestedBump).toBe('patch');
  });
});

describe('breaking-change rules: schemas, by direction', () => {
  it('a new required request property is breaking; a new optional one is not', () => {
    const required = schemaPair('request', order, withProperty('note', { type: 'string' }, true));
    expect(only(diffVersions(required.from, required.to))).toMatchObject({
      kind: 'definition',
      name: 'Order',
      change: 'added',
      pointer: '/definitions/Order/schema/properties/note',
      breaking: true,
    });
    const optional = schemaPair('request', order, withProperty('note', { type: 'string' }));
    expect(only(diffVersions(optional.from, optional.to))).toMatchObject({ breaking: false });
  });

  it('an existing request property becoming required is breaking', () => {
    const pair = schemaPair(
      'request',
      withProperty('note', { type: 'string' }),
      withProperty('note', { type: 'string' }, true),
    );
    expect(only(diffVersions(pair.from, pair.to))).toMatchObject({
      pointer: '/definitions/Order/schema/required',
      breaking: true,
    });
  });

  it('a removed response property is breaking; a removed request property is not', () => {
    const response = schemaPair('response', withProperty('note', { type: 'string' }), order);
    expect(only(diffVersions(response.from, response.to))).toMatchObject({ change: 'removed', breaking: true });
    const request = schemaPair('request', withProperty('note', { type: 'string' }), order);
    expect(only(diffVersions(request.from, request.to))).toMatchObject({ change: 'removed', breaking: false });
  });

  it('a retyped response property is breaking', () => {
    const pair = schemaPair('response', order, { ...order, properties: { id: { type: 'integer' } } });
    expect(only(diffVersions(pair.from, pair.to))).toMatchObject({
      pointer: '/definitions/Order/schema/properties/id/type',
      before: 'string',
      after: 'integer',
      breaking: true,
    });
  });

  it('a narrowed request enum is breaking, a widened one is not', () => {
    const status = (values: string[]) => withProperty('status', { type: 'string', enum: values });
    const narrowed = schemaPair('request', status(['open', 'closed']), status(['open']));
    expect(only(diffVersions(narrowed.from, narrowed.to))).toMatchObject({
      pointer: '/definitions/Order/schema/properties/status/enum',
      breaking: true,
    });
    const widened = schemaPair('request', status(['open']), status(['open', 'closed']));
    expect(only(diffVersions(widened.from, widened.to))).toMatchObject({ breaking: false });
  });

  it('a widened response enum is breaking, a narrowed one is not', () => {
    const status = (values: string[]) => withProperty('status', { type: 'string', enum: values });
    const widened = schemaPair('response', status(['open']), status(['open', 'closed']));
    expect(only(diffVersions(widened.from, widened.to))).toMatchObject({ breaking: true });
    const narrowed = schemaPair('response', status(['open', 'closed']), status(['open']));
    expect(only(diffVersions(narrowed.from, narrowed.to))).toMatchObject({ breaking: false });
  });

  it('a format or pattern added to a request property is breaking; removed from it is not', () => {
    for (const keyword of ['format', 'pattern']) {
      const value = keyword === 'format' ? 'email' : '^[a-z]+$';
      const added = schemaPair('request', order, {
        ...order,
        properties: { id: { type: 'string', [keyword]: value } },
      });
      expect(only(diffVersions(added.from, added.to))).toMatchObject({
        pointer: `/definitions/Order/schema/properties/id/${keyword}`,
        change: 'added',
        breaking: true,
      });
      const removed = schemaPair('request', JSON.parse(added.to.definitions[0]?.content ?? '{}'), order);
      expect(only(diffVersions(removed.from, removed.to))).toMatchObject({ change: 'removed', breaking: false });
    }
  });

  it('a schema used on both sides is judged by both', () => {
    const both = [action('createOrder', { method: 'POST', requestBody: { required: true, definitions: ['Order'] } })];
    const from = version('1', { actions: both, definitions: [definition('Order', order)] });
    const to = version('2', {
      actions: both,
      definitions: [definition('Order', withProperty('note', { type: 'string' }))],
    });
    // Optional property added: fine on both sides.
    expect(only(diffVersions(from, to))).toMatchObject({ breaking: false });
    // Removed: breaking for what callers receive.
    expect(only(diffVersions(to, from))).toMatchObject({ breaking: true });
    expect(diffVersions(from, to).suggestedBump).toBeNull();
  });

  it('follows $refs between definitions to find where a schema reaches callers', () => {
    const line = { type: 'object', properties: { sku: { type: 'string' } } };
    const refTo = (version: string, id: string) => ({
      type: 'object',
      properties: { line: { $ref: `https://x.test/o/ORG/schemas/CON/${version}/${id}.json` } },
    });
    // Order is only sent (a request body), and Line only through Order's $ref.
    const operations = [
      action('createOrder', {
        method: 'POST',
        requestBody: { required: true, definitions: ['Order'] },
        responses: [{ status: 204, definitions: [] }],
      }),
    ];
    const from = version('1.0.0', {
      actions: operations,
      definitions: [definition('Order', refTo('1.0.0', 'IDLINE'), { refs: ['IDLINE'] }), definition('Line', line)],
    });
    // The same definitions in another version: other ids in the URLs, and Line loses a property.
    const to = version('1.0.1', {
      actions: operations,
      definitions: [
        definition('Order', refTo('1.0.1', 'IDLINE2'), { id: 'IDORDER2', refs: ['IDLINE2'] }),
        definition('Line', { type: 'object', properties: {} }, { id: 'IDLINE2' }),
      ],
    });
    // Sent only: a property callers may send dropped refuses nobody. (Unlinked, it would count as breaking.)
    expect(only(diffVersions(from, to))).toMatchObject({
      pointer: '/definitions/Line/schema/properties/sku',
      change: 'removed',
      breaking: false,
    });
    const unlinked = { ...from, definitions: [definition('Order', {}), definition('Line', line)] };
    const unlinkedTo = {
      ...to,
      definitions: [definition('Order', {}), definition('Line', { type: 'object', properties: {} })],
    };
    expect(only(diffVersions(unlinked, unlinkedTo))).toMatchObject({ breaking: true });
  });

  it('escapes pointer segments (RFC 6901)', () => {
    const pair = schemaPair('response', withProperty('a/b~c', { type: 'string' }), order);
    expect(only(diffVersions(pair.from, pair.to)).pointer).toBe('/definitions/Order/schema/properties/a~1b~0c');
  });
});

describe('suggested bump', () => {
  it('is null unless both names are SemVer', () => {
    const from = version('2024-01', { actions: [action('getOrder')] });
    expect(diffVersions(from, version('2024-02')).suggestedBump).toBeNull();
    expect(diffVersions(version('1.0.0', { actions: [action('a')] }), version('v2.0.0')).suggestedBump).toBe('major');
  });
});
