import type {
  Action,
  ActionPage,
  ConnectorVersion,
  Definition,
  ErrorBody,
  Trigger,
  TriggerPage,
} from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, orderWorkspace, type Workspace } from './children';
import { call, json, origin } from './helpers';

const withDefinitions = (): Promise<Workspace> => orderWorkspace([jsonDefinition('OrderXml', [], ['text/xml'])]);

describe('actions', () => {
  it('creates an action whose bodies link definitions by name or id, and returns them whole', async () => {
    const w = await withDefinitions();
    const error = await json<{ id: string }>(await w.send('GET', w.path('1', '/definitions/Error')));
    const body = orderAction();
    body.responses[1] = { definitions: [{ definition: { id: error.id } as never }] };
    const action = await w.action('1', body);

    expect(action).toMatchObject({
      type: 'http',
      name: 'createOrder',
      summary: 'Create an order',
      description: '',
      method: 'POST',
      path: '/orders/{{ param.shop }}',
      parameters: [{ name: 'shop', in: 'path', required: true, type: 'string' }],
      requestBody: { required: true, definitions: [{ definition: { name: 'Order', accept: ['application/json'] } }] },
      errors: [],
    });
    expect(action.responses.map((r) => r.status)).toEqual([201, undefined]);
    expect('status' in (action.responses[1] ?? {})).toBe(false);
    expect(action.responses[1]?.definitions[0]?.definition).toMatchObject({ id: error.id, name: 'Error' });
    // Linked definitions come without their schema text; their url serves it.
    const linked = action.responses[1]?.definitions[0]?.definition;
    expect(linked && 'schema' in linked).toBe(false);
    const raw = await w.send('GET', linked?.url ?? '');
    expect(raw.status).toBe(200);
    expect(JSON.parse(await raw.text())).toMatchObject({ type: 'object' });
    // Linked, a definition is the same but for its schema text and referrers, which its own read gives.
    const orderRead = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Order')));
    const { id, name, description, accept, url, createdAt, updatedAt, referencedBy } = orderRead;
    expect(action.responses[0]?.definitions[0]?.definition).toEqual({
      id,
      name,
      description,
      accept,
      url,
      createdAt,
      updatedAt,
    });
    expect(referencedBy).toContainEqual({ type: 'action', id: action.id, name: 'createOrder' });
    expect(await json<Action>(await w.send('GET', w.path('1', '/actions/createOrder')))).toEqual(action);

    const page = await json<ActionPage>(await w.send('GET', w.path('1', '/actions')));
    expect(page).toMatchObject({ totalCount: 1, actions: [{ id: action.id }] });

    const overTrpc = await call(
      'GET',
      `${origin}/trpc/actions.get?input=${encodeURIComponent(
        JSON.stringify({
          connectorId: w.connectorId,
          version: '1',
          actionName: 'createOrder',
        }),
      )}`,
      { apiKey: w.org.apiKey },
    );
    expect(await json(overTrpc)).toMatchObject({ result: { data: { id: action.id, name: 'createOrder' } } });
  });

  it('takes a null parameter default as none, as clients generated from the reference send it', async () => {
    const w = await withDefinitions();
    const action = await w.action('1', {
      ...orderAction(),
      parameters: [
        { name: 'shop', in: 'path', required: true, type: 'string', default: null },
        { name: 'limit', in: 'query', required: false, type: 'integer', default: 10 },
      ],
    });
    expect(action.parameters).toEqual([
      { name: 'shop', in: 'path', required: true, type: 'string' },
      { name: 'limit', in: 'query', required: false, type: 'integer', default: 10 },
    ]);
    const objectDefault = await w.send('POST', w.path('1', '/actions'), {
      ...orderAction('other'),
      parameters: [{ name: 'shop', in: 'path', required: true, type: 'string', default: { a: 1 } }],
    });
    expect(objectDefault.status).toBe(400);
    expect((await json<ErrorBody>(objectDefault)).fields?.map((f) => f.field)).toEqual(['parameters[0].default']);
  });

  it('names the wrong field for each kind of bad action, and writes none of them', async () => {
    const w = await withDefinitions();
    const good = orderAction();
    const cases: [unknown, string, number?][] = [
      [{ ...good, name: 'has space' }, 'name'],
      [{ ...good, method: 'FETCH' }, 'method'],
      [{ ...good, type: 'grpc' }, 'type'],
      [{ ...good, path: undefined }, 'path'],
      [{ ...good, parameters: [{ name: 'x', in: 'body', required: true, type: 'string' }] }, 'parameters[0].in'],
      [{ ...good, parameters: [...good.parameters, ...good.parameters] }, 'parameters[1].name'],
      [{ ...good, responses: [{ definitions: [] }, { definitions: [] }] }, 'responses[1].status'],
      [
        {
          ...good,
          responses: [
            { status: 200, definitions: [] },
            { status: 200, definitions: [] },
          ],
        },
        'responses[1].status',
      ],
      [{ ...good, responses: [{ status: 700, definitions: [] }] }, 'responses[0].status'],
      [
        { ...good, responses: [{ status: 200, definitions: [{ definition: {} }] }] },
        'responses[0].definitions[0].definition',
      ],
      [
        { ...good, responses: [{ status: 200, definitions: [{ definition: { name: 'Nope' } }] }] },
        'responses[0].definitions[0].definition',
      ],
      [
        {
          ...good,
          requestBody: { required: true, definitions: [{ definition: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } }] },
        },
        'requestBody.definitions[0].definition',
      ],
      // One definition per media type: Error and OrderXml both accept text/xml.
      [
        {
          ...good,
          responses: [
            { status: 400, definitions: [{ definition: { name: 'Error' } }, { definition: { name: 'OrderXml' } }] },
          ],
        },
        'responses[0].definitions[1].definition',
      ],
      [
        {
          ...good,
          requestBody: {
            required: true,
            definitions: [{ definition: { name: 'Order' } }, { definition: { name: 'Order' } }],
          },
        },
        'requestBody.definitions[1].definition',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await w.send('POST', w.path('1', '/actions'), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        (await json<ErrorBody>(response)).fields?.map((f) => f.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect((await json<ActionPage>(await w.send('GET', w.path('1', '/actions')))).totalCount).toBe(0);

    await w.action('1', good);
    const again = await w.send('POST', w.path('1', '/actions'), good);
    expect(again.status).toBe(409);
    expect(await json<ErrorBody>(again)).toMatchObject({ code: 'already_exists', fields: [{ field: 'name' }] });
  });

  it('replaces an action with PUT (a read sent back works), keeps id and name read-only, and deletes it', async () => {
    const w = await withDefinitions();
    const action = await w.action('1', orderAction());
    const sentBack = await w.send('PUT', w.path('1', '/actions/createOrder'), action);
    expect(sentBack.status).toBe(200);
    const same = await json<Action>(sentBack);
    expect({ ...same, responses: same.responses.map((r) => ({ ...r, id: '' })) }).toMatchObject({
      id: action.id,
      responses: action.responses.map((r) => ({
        ...r,
        id: '',
        definitions: r.definitions.map((d) => ({ ...d, id: expect.any(String) as string })),
      })),
    });

    const changed = await w.send('PUT', w.path('1', '/actions/createOrder'), {
      ...orderAction(),
      method: 'PUT',
      requestBody: null,
      responses: [{ status: 200, definitions: [{ definition: { name: 'Customer' } }] }],
    });
    expect(changed.status).toBe(200);
    const replaced = await json<Action>(changed);
    expect(replaced).toMatchObject({ id: action.id, method: 'PUT', responses: [{ status: 200 }] });
    expect('requestBody' in replaced).toBe(false);
    expect(Date.parse(replaced.updatedAt)).toBeGreaterThan(Date.parse(action.updatedAt));
    const order = await json<{ referencedBy: unknown[] }>(await w.send('GET', w.path('1', '/definitions/Order')));
    expect(order.referencedBy).toEqual([{ type: 'definition', id: expect.any(String) as string, name: 'Customer' }]);

    for (const [body, field] of [
      [{ ...orderAction(), name: 'other' }, 'name'],
      [{ ...orderAction(), id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'id'],
    ] as const) {
      const response = await w.send('PUT', w.path('1', '/actions/createOrder'), body);
      expect(response.status).toBe(400);
      expect((await json<ErrorBody>(response)).fields?.[0]?.field).toBe(field);
    }
    expect((await w.send('PUT', w.path('1', '/actions/missing'), orderAction('missing'))).status).toBe(404);

    expect((await w.send('DELETE', w.path('1', '/actions/createOrder'))).status).toBe(204);
    expect((await w.send('GET', w.path('1', '/actions/createOrder'))).status).toBe(404);
    expect((await w.send('DELETE', w.path('1', '/actions/createOrder'))).status).toBe(404);
  });

  it('refuses a definition change that would give one body two definitions of a media type', async () => {
    const w = await withDefinitions();
    await w.action('1', orderAction('createOrder', { request: 'Order', created: 'Order', error: 'Customer' }));
    await w.action('1', {
      ...orderAction('both'),
      responses: [
        { status: 200, definitions: [{ definition: { name: 'Order' } }, { definition: { name: 'OrderXml' } }] },
      ],
    });
    const response = await w.send('PUT', w.path('1', '/definitions/OrderXml'), { accept: ['application/json'] });
    expect(response.status).toBe(400);
    expect(await json<ErrorBody>(response)).toMatchObject({
      fields: [{ field: 'accept', message: expect.stringContaining('action "both" also links "Order"') as string }],
    });
  });

  it('moves the version’s updatedAt on every child change, and lists newest-changed first with a name filter', async () => {
    const w = await withDefinitions();
    const versionAt = async () => (await json<ConnectorVersion>(await w.send('GET', w.path('1')))).updatedAt;
    let before = await versionAt();
    for (const change of [
      () => w.action('1', orderAction('a1')),
      () => w.action('1', orderAction('a2')),
      () => w.send('PUT', w.path('1', '/actions/a1'), orderAction('a1')),
      () => w.send('DELETE', w.path('1', '/actions/a2')),
      () => w.send('PUT', w.path('1', '/definitions/OrderXml'), { accept: ['text/xml'], description: 'x' }),
    ]) {
      await change();
      const after = await versionAt();
      expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
      before = after;
    }
    // A refused change leaves it alone.
    await w.send('POST', w.path('1', '/actions'), { ...orderAction('a3'), method: 'NOPE' });
    await w.send('POST', w.path('1', '/actions'), orderAction('a1'));
    expect(await versionAt()).toBe(before);

    await w.action('1', orderAction('getThing'));
    const page = await json<ActionPage>(await w.send('GET', w.path('1', '/actions')));
    expect(page.actions.map((a) => a.name)).toEqual(['getThing', 'a1']);
    const filtered = await json<ActionPage>(await w.send('GET', w.path('1', '/actions?name=THING')));
    expect(filtered.actions.map((a) => a.name)).toEqual(['getThing']);
    expect((await w.send('GET', w.path('1', '/actions?first=0'))).status).toBe(400);
    expect((await w.send('GET', w.path('1', '/actions?after=bogus'))).status).toBe(400);
  });
});

describe('triggers', () => {
  it('creates, reads, replaces and deletes a trigger, which has no path', async () => {
    const w = await withDefinitions();
    const body = {
      type: 'http',
      name: 'orderShipped',
      method: 'POST',
      parameters: [{ name: 'X-Signature', in: 'header', required: true, type: 'string' }],
      requestBody: { required: true, definitions: [{ definition: { name: 'Order' } }] },
      responses: [{ status: 200, definitions: [] }],
    };
    const created = await w.send('POST', w.path('1', '/triggers'), body);
    expect(created.status).toBe(201);
    const trigger = await json<Trigger>(created);
    expect(trigger).toMatchObject({
      name: 'orderShipped',
      method: 'POST',
      responses: [{ status: 200, definitions: [] }],
    });
    expect('path' in trigger).toBe(false);

    const pathParameter = await w.send('POST', w.path('1', '/triggers'), {
      ...body,
      name: 'other',
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
    });
    expect(pathParameter.status).toBe(400);
    expect((await json<ErrorBody>(pathParameter)).fields?.[0]?.field).toBe('parameters[0].in');

    const replaced = await w.send('PUT', w.path('1', '/triggers/orderShipped'), { ...trigger, method: 'PUT' });
    expect(await json<Trigger>(replaced)).toMatchObject({ id: trigger.id, method: 'PUT' });
    const page = await json<TriggerPage>(await w.send('GET', w.path('1', '/triggers')));
    expect(page).toMatchObject({ totalCount: 1, triggers: [{ id: trigger.id }] });
    expect((await w.send('DELETE', w.path('1', '/triggers/orderShipped'))).status).toBe(204);
    expect((await w.send('GET', w.path('1', '/triggers/orderShipped'))).status).toBe(404);
  });
});

describe('children of a published version', () => {
  it('are readable through latest and default but cannot change (409); publishing needs a response of every action, not of a trigger', async () => {
    const w = await withDefinitions();
    await w.send('POST', w.path('1', '/triggers'), {
      type: 'http',
      name: 'hook',
      method: 'POST',
      parameters: [],
      responses: [],
    });
    // A trigger without a response is answered with the platform's default: nothing to fix.
    const hook = await json<Trigger>(await w.send('GET', w.path('1', '/triggers/hook')));
    expect(hook.errors).toEqual([]);
    await w.action('1', { ...orderAction(), responses: [] });
    const refused = await w.publish('1');
    expect(refused.status).toBe(400);
    expect((await json<ErrorBody>(refused)).messages).toEqual([
      { text: 'action "createOrder" has no response', severity: 'error' },
    ]);
    await w.send('PUT', w.path('1', '/actions/createOrder'), orderAction());
    expect((await w.publish('1')).status).toBe(200);

    for (const version of ['1', 'latest', 'default']) {
      expect((await w.send('GET', w.path(version, '/actions/createOrder'))).status).toBe(200);
      expect((await json<ActionPage>(await w.send('GET', w.path(version, '/actions')))).totalCount).toBe(1);
    }
    const writes: [string, string, unknown?][] = [
      ['POST', '/actions', orderAction('another')],
      ['PUT', '/actions/createOrder', orderAction()],
      ['DELETE', '/actions/createOrder'],
      ['POST', '/triggers', { type: 'http', name: 'h2', method: 'POST', parameters: [], responses: [] }],
      ['PUT', '/triggers/hook', { ...hook, responses: [{ status: 200 }] }],
      ['DELETE', '/triggers/hook'],
      ['POST', '/definitions', { definitions: [jsonDefinition('New')] }],
      ['PUT', '/definitions/Order', { accept: ['application/json'] }],
      ['DELETE', '/definitions/OrderXml'],
      ['DELETE', '/definitions', { names: ['OrderXml'] }],
    ];
    for (const [method, rest, body] of writes) {
      const response = await w.send(method, w.path('latest', rest), body);
      expect(response.status, `${method} ${rest}`).toBe(409);
      expect((await json<ErrorBody>(response)).code).toBe('version_published');
    }
    expect((await w.send('GET', w.path('1', '/definitions/OrderXml'))).status).toBe(200);
  });

  it('answers 404 for a version that is not there and 405 for a method a route does not have', async () => {
    const w = await withDefinitions();
    expect((await w.send('GET', w.path('9', '/actions'))).status).toBe(404);
    expect((await w.send('POST', w.path('9', '/actions'), orderAction())).status).toBe(404);
    expect((await w.send('GET', w.path('latest', '/definitions'))).status).toBe(404);
    expect((await w.send('POST', w.path('1', '/actions/createOrder'))).status).toBe(405);
  });
});
