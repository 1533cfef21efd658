import type { ErrorBody } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, workspace } from './children';
import { json } from './helpers';

const rounds = 6;

const codeOf = async (response: Response) => (response.status >= 400 ? (await json<ErrorBody>(response)).code : 'ok');

describe('racing changes to a version’s children', () => {
  it('never publishes a version together with an action added while it was being checked', async () => {
    const w = await workspace();
    await Promise.all(
      Array.from({ length: rounds }, async (_, round) => {
        const name = `r${String(round)}`;
        await w.version(name);
        const [added, published] = await Promise.all([
          w.send('POST', w.path(name, '/actions'), { ...orderAction(), requestBody: null, responses: [] }),
          w.publish(name),
        ]);
        const outcome = `${String(added.status)}/${String(published.status)}`;
        // Either the action came first (and stops the publish), or the publish did (and the version is closed).
        expect(['201/400', '409/200']).toContain(outcome);
        if (added.status === 409) expect(await codeOf(added)).toBe('version_published');
      }),
    );
  });

  it('never leaves a link to a definition deleted at the same moment', async () => {
    const w = await workspace();
    await Promise.all(
      Array.from({ length: rounds }, async (_, round) => {
        const name = `r${String(round)}`;
        await w.version(name);
        await w.definitions(name, [jsonDefinition('Order'), jsonDefinition('Error')]);
        const [linked, deleted] = await Promise.all([
          w.send('POST', w.path(name, '/actions'), orderAction()).then((r) => r.status),
          w.send('DELETE', w.path(name, '/definitions/Order')),
        ]);
        const outcome = `${String(linked)}/${String(deleted.status)}`;
        expect(['201/412', '400/204']).toContain(outcome);
        const order = await w.send('GET', w.path(name, '/definitions/Order'));
        const action = await w.send('GET', w.path(name, '/actions/createOrder'));
        expect(order.status).toBe(linked === 201 ? 200 : 404);
        expect(action.status).toBe(linked === 201 ? 200 : 404);
      }),
    );
  });

  it('lets exactly one of two requests take a name', async () => {
    const w = await workspace();
    await w.version('1');
    await w.definitions('1', [jsonDefinition('Order'), jsonDefinition('Error')]);
    const actions = await Promise.all(
      [1, 2, 3].map(() => w.send('POST', w.path('1', '/actions'), orderAction('same'))),
    );
    expect(actions.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const definitions = await Promise.all(
      [1, 2, 3].map(() => w.send('POST', w.path('1', '/definitions'), { definitions: [jsonDefinition('Same')] })),
    );
    expect(definitions.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});
