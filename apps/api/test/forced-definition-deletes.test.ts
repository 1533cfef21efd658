import { createClient } from '@connect/client';
import type { Action, Definition, ErrorBody, Trigger } from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, orderWorkspace } from './children';
import { json, rows } from './helpers';

const hook = {
  type: 'http',
  name: 'orderShipped',
  method: 'POST',
  parameters: [],
  requestBody: { required: true, definitions: [{ definition: { name: 'Order' } }] },
  responses: [],
};

describe('DeleteDefinition and DeleteDefinitions with force=true', () => {
  it('delete referenced definitions; each link cut is an error of its referrer, and publishing waits until all are fixed', async () => {
    const w = await orderWorkspace([jsonDefinition('Wrapper', ['Order'])]);
    await w.action('1', orderAction());
    expect((await w.send('POST', w.path('1', '/triggers'), hook)).status).toBe(201);

    // Without force: 412, nothing changes.
    expect((await w.send('DELETE', w.path('1', '/definitions/Order'))).status).toBe(412);
    expect((await w.send('DELETE', w.path('1', '/definitions/Order?force=true'))).status).toBe(204);
    expect((await w.send('GET', w.path('1', '/definitions/Order'))).status).toBe(404);

    const action = await json<Action>(await w.send('GET', w.path('1', '/actions/createOrder')));
    expect(action.requestBody?.definitions).toEqual([]);
    expect(action.responses.map((r) => r.definitions.map((d) => d.definition.name))).toEqual([[], ['Error']]);
    expect(action.errors).toEqual([
      { field: 'requestBody.definitions', message: expect.stringContaining('"Order"') as string, severity: 'error' },
      { field: 'responses[0].definitions', message: expect.stringContaining('"Order"') as string, severity: 'error' },
    ]);
    const trigger = await json<Trigger>(await w.send('GET', w.path('1', '/triggers/orderShipped')));
    expect(trigger.errors).toEqual([
      { field: 'requestBody.definitions', message: expect.stringContaining('"Order"') as string, severity: 'error' },
    ]);
    for (const name of ['Customer', 'Wrapper']) {
      const referrer = await json<Definition>(await w.send('GET', w.path('1', `/definitions/${name}`)));
      expect(referrer.errors, name).toEqual([
        { field: 'schema.content', message: expect.stringContaining('"Order"') as string, severity: 'error' },
      ]);
      // The schema text is left as it was written: the change is the caller's to make.
      expect(referrer.schema.content).toContain('#/$defs/Order');
    }

    const refused = await w.publish('1');
    expect(refused.status).toBe(400);
    expect((await json<ErrorBody>(refused)).messages?.map((m) => m.text)).toEqual([
      'action "createOrder" refers to definition "Order", which was deleted',
      'action "createOrder" refers to definition "Order", which was deleted',
      'definition "Customer" refers to definition "Order", which was deleted',
      'definition "Wrapper" refers to definition "Order", which was deleted',
      'trigger "orderShipped" refers to definition "Order", which was deleted',
    ]);

    // A copy keeps what was cut: it is no more publishable than its source.
    await w.version('2', '1');
    const copied = await json<Action>(await w.send('GET', w.path('2', '/actions/createOrder')));
    expect(copied.errors).toEqual(action.errors);
    expect((await w.publish('2')).status).toBe(400);

    // Writing each referrer again with the links it should have clears its errors.
    await w.send(
      'PUT',
      w.path('1', '/actions/createOrder'),
      orderAction('createOrder', {
        request: 'Customer',
        created: 'Customer',
        error: 'Error',
      }),
    );
    await w.send('PUT', w.path('1', '/triggers/orderShipped'), { ...hook, requestBody: undefined });
    for (const name of ['Customer', 'Wrapper']) {
      const response = await w.send('PUT', w.path('1', `/definitions/${name}`), jsonDefinition(name));
      expect(response.status, name).toBe(200);
      expect((await json<Definition>(response)).errors).toEqual([]);
    }
    expect((await json<Action>(await w.send('GET', w.path('1', '/actions/createOrder')))).errors).toEqual([]);
    expect((await w.publish('1')).status).toBe(200);
    // The copy's errors are its own.
    expect((await json<Action>(await w.send('GET', w.path('2', '/actions/createOrder')))).errors).toHaveLength(2);
  });

  it('delete several at once (links among them go with them), write nothing when one is missing, and work over tRPC', async () => {
    const w = await orderWorkspace();
    await w.action('1', orderAction());
    // Order and Customer refer to each other: deleted together, only the action's links are cut.
    const missing = await w.send('DELETE', w.path('1', '/definitions?force=true'), { names: ['Order', 'Nope'] });
    expect(missing.status).toBe(400);
    expect((await w.send('GET', w.path('1', '/definitions/Order'))).status).toBe(200);

    expect(
      (await w.send('DELETE', w.path('1', '/definitions?force=true'), { names: ['Order', 'Customer'] })).status,
    ).toBe(204);
    const cut = await rows<{ field: string; target_name: string }>(
      `SELECT field, target_name FROM dangling_links d JOIN connector_versions v ON v.id = d.version_id
       WHERE v.connector_id = $1 ORDER BY field`,
      [w.connectorId],
    );
    expect(cut).toEqual([
      { field: 'requestBody.definitions', target_name: 'Order' },
      { field: 'responses[0].definitions', target_name: 'Order' },
    ]);

    const client = createClient({
      url: 'http://connect.test',
      apiKey: w.org.apiKey,
      fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    });
    const target = { connectorId: w.connectorId, version: '1' };
    await expect(client.definitions.delete.mutate({ ...target, definitionName: 'Error' })).rejects.toThrow(
      /still referred to/,
    );
    await client.definitions.delete.mutate({ ...target, definitionName: 'Error', force: true });
    const action = await client.actions.get.query({ ...target, actionName: 'createOrder' });
    expect(action.errors.map((e) => e.field)).toEqual([
      'requestBody.definitions',
      'responses[0].definitions',
      'responses[1].definitions',
    ]);
    await client.definitions.create.mutate({ ...target, definitions: [jsonDefinition('Spare')] });
    await client.definitions.deleteMany.mutate({ ...target, all: true, force: true });
    expect((await client.definitions.list.query(target)).totalCount).toBe(0);
  });
});
