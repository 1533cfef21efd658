import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, json, origin, rows } from '../helpers';
import { idToken } from '../support/id-tokens';
import { type Ids, namedRoutes, type RouteCase } from './routes';
import { seededOrganisation } from './seeded-organisation';

const nowhere = { c: '01ARZ3NDEKTSV4RRFFQ69G5FAV', k: '01BX5ZZKBKACTAV9WEVGEMMVRZ', n: '01BX5ZZKBKACTAV9WEVGEMMVS1' };

async function send(route: RouteCase, ids: Ids, token: string) {
  const body = route.body?.(ids);
  const response = await exports.default.fetch(
    new Request(`${origin}${route.path(ids)}`, {
      method: route.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return { status: response.status, body: await response.text() };
}

/** Two organisations, each with a connector, a version and a key. */
async function twoOrganisations() {
  const setUp = async () => {
    const org = await seededOrganisation();
    return { ...org, token: await idToken(org.organisationId) };
  };
  return { a: await setUp(), b: await setUp() };
}

/** B's connections and credentials, secrets included. */
const bConnections = `
  SELECT n.id, n.name, n.updated_at, k.id AS credential, k.secret, k.auth_scheme_config, k.updated_at AS credential_updated
  FROM connections n LEFT JOIN connection_credentials k ON k.connection_id = n.id
  WHERE n.organisation_id = $1 ORDER BY n.id, k.id`;

/** B's connectors and versions, each version with its children's last change. */
const bState = `
  SELECT c.id, c.updated_at, v.updated_at AS version_updated, v.published_at,
         (SELECT max(d.updated_at) FROM definitions d WHERE d.version_id = v.id) AS definitions_updated,
         (SELECT count(*) FROM definitions d WHERE d.version_id = v.id) AS definitions,
         (SELECT max(a.updated_at) FROM actions a WHERE a.version_id = v.id) AS actions_updated,
         (SELECT count(*) FROM actions a WHERE a.version_id = v.id) AS actions,
         (SELECT max(t.updated_at) FROM triggers t WHERE t.version_id = v.id) AS triggers_updated,
         (SELECT count(*) FROM triggers t WHERE t.version_id = v.id) AS triggers,
         (SELECT count(*) FROM version_subscriptions s WHERE s.version_id = v.id) AS subscriptions
  FROM connectors c LEFT JOIN connector_versions v ON v.connector_id = c.id
  WHERE c.organisation_id = $1 ORDER BY c.id, v.id`;

/** What a route names of an organisation's: a connector or a key (path or body), the organisation (path). */
function namedBy(route: RouteCase) {
  const marked = { o: 'O-MARK', c: 'C-MARK', v: 'V', k: 'K-MARK', n: 'N-MARK' };
  const path = route.path(marked);
  return {
    ids: /C-MARK|K-MARK|N-MARK/.test(path + JSON.stringify(route.body?.(marked) ?? null)),
    organisation: path.includes('/o/O-MARK/'),
  };
}

// Each case seeds two organisations, and the cases slow down as the file goes on (about 0.3 s for the
// first, 17 s for the last on a 2-core machine, the test runner's workerd busy throughout): the single
// case runs first, and every case may take longer than the default 30 s.
describe("organisation A's credentials with organisation B's ids", { timeout: 120_000 }, () => {
  it('cannot copy from B’s version, nor page with B’s cursor', async () => {
    const { a, b } = await twoOrganisations();
    const copy = await a.createVersion(a.c, { name: '2', fromVersion: '1-of-b' });
    await b.createVersion(b.c, { name: '1-of-b' });
    const copyAfter = await a.createVersion(a.c, { name: '2', fromVersion: '1-of-b' });
    expect(copy.status).toBe(400);
    expect(await copyAfter.text()).toBe(await copy.text());

    await b.createVersion(b.c, { name: '2-of-b' });
    const bPage = await json<{ next?: string }>(
      await call('GET', `/o/${b.organisationId}/connectors/${b.c}/versions?first=1`, { apiKey: b.apiKey }),
    );
    expect(bPage.next).toBeDefined();
    const withB = await call('GET', `/o/${a.organisationId}/connectors/${a.c}/versions?after=${bPage.next ?? ''}`, {
      apiKey: a.apiKey,
    });
    const withGarbage = await call('GET', `/o/${a.organisationId}/connectors/${a.c}/versions?after=garbage`, {
      apiKey: a.apiKey,
    });
    expect(withB.status).toBe(400);
    expect(await withB.text()).toBe(await withGarbage.text());

    const bConnectors = await json<{ next?: string }>(
      await call('GET', `/o/${b.organisationId}/connectors?first=1`, { apiKey: b.apiKey }),
    );
    await b.connector('second');
    const bConnectorsPage = await json<{ next?: string }>(
      await call('GET', `/o/${b.organisationId}/connectors?first=1`, { apiKey: b.apiKey }),
    );
    const cursor = bConnectorsPage.next ?? bConnectors.next ?? '';
    expect(cursor).not.toBe('');
    const connectorsWithB = await call('GET', `/o/${a.organisationId}/connectors?after=${cursor}`, {
      apiKey: a.apiKey,
    });
    expect(connectorsWithB.status).toBe(400);
  });

  // Every route served (see routes.ts): none shows anything of B's; one that names B's connector or
  // key finds nothing, one that names B's organisation is not found; B is left unchanged.
  it.each(namedRoutes)('%s: B’s ids behave exactly as ids that do not exist', async (_, route) => {
    const named = namedBy(route);
    const { a, b } = await twoOrganisations();
    const bBefore = await rows(bState, [b.organisationId]);
    const bConnectionsBefore = await rows(bConnections, [b.organisationId]);
    const bKeysBefore = await rows('SELECT id, revoked_at FROM api_keys WHERE organisation_id = $1 ORDER BY id', [
      b.organisationId,
    ]);
    for (const credential of [a.token, a.apiKey]) {
      // A's own organisation, with a connector and a key that exist nowhere: nothing of B's shows.
      // (Where the route names neither, this is simply A's call: the organisation is the credential's.)
      const missing = await send(
        route,
        { o: a.organisationId, c: nowhere.c, v: '1', k: nowhere.k, n: nowhere.n },
        credential,
      );
      for (const id of [b.organisationId, b.c, b.k, b.n]) expect(missing.body).not.toContain(id);

      if (named.ids) {
        const foreign = await send(route, { o: a.organisationId, c: b.c, v: '1', k: b.k, n: b.n }, credential);
        expect(foreign).toEqual(missing);
        expect([400, 403, 404]).toContain(foreign.status);
        for (const id of [b.organisationId, b.c, b.k, b.n]) expect(foreign.body).not.toContain(id);
      }

      // B's organisation in the path: as if it did not exist.
      if (named.organisation) {
        const foreignPath = await send(route, { o: b.organisationId, c: b.c, v: '1', k: b.k, n: b.n }, credential);
        expect(foreignPath.status).toBe(404);
        if (missing.status === 404) expect(foreignPath.body).toBe(missing.body);
        for (const id of [b.organisationId, b.c, b.k, b.n]) expect(foreignPath.body).not.toContain(id);
      }
    }
    expect(await rows(bState, [b.organisationId])).toEqual(bBefore);
    expect(await rows(bConnections, [b.organisationId])).toEqual(bConnectionsBefore);
    expect(
      await rows('SELECT id, revoked_at FROM api_keys WHERE organisation_id = $1 ORDER BY id', [b.organisationId]),
    ).toEqual(bKeysBefore);
  });
});
