import type { Action, ActionPage, Definition, DefinitionPage, Trigger, TriggerPage } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, orderWorkspace, workspace, type Workspace } from './children';
import { json } from './helpers';

/** Everything a version holds, read over REST. */
async function children(w: Workspace, version: string) {
  const definitions = (await json<DefinitionPage>(await w.send('GET', w.path(version, '/definitions?first=100'))))
    .definitions;
  const actions = (await json<ActionPage>(await w.send('GET', w.path(version, '/actions?first=100')))).actions;
  const triggers = (await json<TriggerPage>(await w.send('GET', w.path(version, '/triggers?first=100')))).triggers;
  return { definitions, actions, triggers };
}

type Children = Awaited<ReturnType<typeof children>>;

/** The content of a version with every id, URL and time replaced by what it stands for. */
function shape(c: Children) {
  const byId = new Map(c.definitions.map((d) => [d.id, d.name]));
  const definition = (d: Definition) => ({
    name: d.name,
    accept: d.accept,
    description: d.description,
    schema: d.schema,
    referencedBy: d.referencedBy.map((r) => `${r.type}:${r.name}`),
  });
  const operation = (o: Action | Trigger) => ({
    name: o.name,
    method: o.method,
    path: 'path' in o ? o.path : undefined,
    parameters: o.parameters,
    requestBody: o.requestBody && {
      required: o.requestBody.required,
      links: o.requestBody.definitions.map((l) => byId.get(l.definition.id)),
    },
    responses: o.responses.map((r) => ({
      status: r.status,
      links: r.definitions.map((l) => byId.get(l.definition.id)),
    })),
  });
  const byName = <T extends { name: string }>(items: T[]) => [...items].sort((a, b) => a.name.localeCompare(b.name));
  return {
    definitions: byName(c.definitions).map(definition),
    actions: byName(c.actions).map(operation),
    triggers: byName(c.triggers).map(operation),
  };
}

const ids = (c: Children) => [
  ...c.definitions.map((d) => d.id),
  ...c.actions.flatMap((a) => [a.id, ...a.responses.map((r) => r.id)]),
  ...c.triggers.flatMap((t) => [t.id, ...t.responses.map((r) => r.id)]),
];

/** A version built only through the API: a definition cycle, an action and a trigger. */
async function built(): Promise<Workspace> {
  const w = await orderWorkspace();
  await w.action('1', orderAction());
  const trigger = await w.send('POST', w.path('1', '/triggers'), {
    type: 'http',
    name: 'orderShipped',
    method: 'POST',
    parameters: [{ name: 'X-Signature', in: 'header', required: true, type: 'string' }],
    requestBody: { required: false, definitions: [{ definition: { name: 'Customer' } }] },
    responses: [{ status: 200, definitions: [{ definition: { name: 'Error' } }] }],
  });
  expect(trigger.status).toBe(201);
  return w;
}

describe('a copy made with fromVersion, seen through the API', () => {
  it('holds equal children with new ids, every link pointing at its own definitions', async () => {
    const w = await built();
    await w.version('2', '1');
    const source = await children(w, '1');
    const copy = await children(w, '2');

    expect(shape(copy)).toEqual(shape(source));
    expect(copy.definitions).toHaveLength(3);
    const sourceIds = new Set(ids(source));
    for (const id of ids(copy)) expect(sourceIds.has(id)).toBe(false);

    const copyDefinitions = new Set(copy.definitions.map((d) => d.id));
    const linked = [...copy.actions, ...copy.triggers].flatMap((o) => [
      ...(o.requestBody?.definitions ?? []),
      ...o.responses.flatMap((r) => r.definitions),
    ]);
    expect(linked.length).toBeGreaterThan(0);
    for (const link of linked) {
      expect(copyDefinitions.has(link.definition.id)).toBe(true);
      expect(link.definition.url).toContain(`/schemas/${w.connectorId}/2/`);
    }
    for (const definition of copy.definitions) {
      for (const referrer of definition.referencedBy) expect(sourceIds.has(referrer.id)).toBe(false);
    }
  });

  it('never changes the other side when either is edited or emptied', async () => {
    const w = await built();
    await w.version('2', '1');
    const source = shape(await children(w, '1'));

    // Edit the copy: every kind of child.
    await w.send('PUT', w.path('2', '/actions/createOrder'), {
      ...orderAction(),
      method: 'PATCH',
      responses: [{ status: 200 }],
    });
    await w.send('PUT', w.path('2', '/definitions/Error'), { accept: ['text/plain'], description: 'changed' });
    await w.send('DELETE', w.path('2', '/triggers/orderShipped'));
    await w.definitions('2', [jsonDefinition('Extra')]);
    expect(shape(await children(w, '1'))).toEqual(source);

    // Empty the source: the copy keeps what it had.
    const copy = shape(await children(w, '2'));
    expect((await w.send('DELETE', w.path('1', '/actions/createOrder'))).status).toBe(204);
    expect((await w.send('DELETE', w.path('1', '/triggers/orderShipped'))).status).toBe(204);
    expect((await w.send('DELETE', w.path('1', '/definitions'), { all: true })).status).toBe(204);
    expect(await children(w, '1')).toEqual({ definitions: [], actions: [], triggers: [] });
    expect(shape(await children(w, '2'))).toEqual(copy);
  });

  it('copies a published version (named by alias) into a draft whose children can change', async () => {
    const w = await built();
    expect((await w.publish('1')).status).toBe(200);
    const draft = await w.version('2', 'latest');
    expect(draft).toMatchObject({ publishedAt: null, isLatest: false, isDefault: false });
    expect(shape(await children(w, '2'))).toEqual(shape(await children(w, '1')));
    expect((await w.send('DELETE', w.path('2', '/actions/createOrder'))).status).toBe(204);
    expect((await w.send('DELETE', w.path('1', '/actions/createOrder'))).status).toBe(409);
  });
  it('makes schema urls in a copy name the copy’s own definitions, and serves them there', async () => {
    const w = await workspace();
    await w.version('1');
    const [order] = await w.definitions('1', [jsonDefinition('Order')]);
    const schema = (url: string) => JSON.stringify({ type: 'array', items: { $ref: url } });
    await w.definitions('1', [
      {
        name: 'Orders',
        accept: ['application/json'],
        schema: { contentType: 'application/schema+json', content: schema(order?.url ?? '') },
      },
    ]);
    await w.version('2', '1');

    const copied = await json<Definition>(await w.send('GET', w.path('2', '/definitions/Order')));
    const copiedList = await json<Definition>(await w.send('GET', w.path('2', '/definitions/Orders')));
    expect(copied.id).not.toBe(order?.id);
    expect(copied.url).toContain('/2/');
    expect(copiedList.schema.content).toBe(schema(copied.url));
    expect(copied.referencedBy).toEqual([{ type: 'definition', id: copiedList.id, name: 'Orders' }]);
    // The URL in the copy serves the copy's definition.
    expect(JSON.parse(await (await w.send('GET', copied.url)).text())).toEqual({ type: 'object', properties: {} });

    // The source is unchanged, and deleting the copy's target is refused there only.
    const source = await json<Definition>(await w.send('GET', w.path('1', '/definitions/Orders')));
    expect(source.schema.content).toBe(schema(order?.url ?? ''));
    expect((await w.send('DELETE', w.path('2', '/definitions/Order'))).status).toBe(412);
    expect((await w.send('DELETE', w.path('2', '/definitions/Orders'))).status).toBe(204);
    expect((await w.send('DELETE', w.path('2', '/definitions/Order'))).status).toBe(204);
    expect((await w.send('GET', w.path('1', '/definitions/Order'))).status).toBe(200);
  });
});
