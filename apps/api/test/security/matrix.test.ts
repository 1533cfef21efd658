import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { origin } from '../helpers';
import {
  mounts,
  namedRoutes,
  preflightsArePublic,
  procedureCalls,
  publicRoutes,
  bareCallStatus,
  restCalls,
  routes,
  served,
} from './routes';

const ids = {
  o: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  c: '01BX5ZZKBKACTAV9WEVGEMMVRZ',
  v: '1',
  k: '01BX5ZZKBKACTAV9WEVGEMMVS0',
  n: '01BX5ZZKBKACTAV9WEVGEMMVS1',
};

/** Names the keys on one side only, so a failure says exactly which route to add or remove. */
function difference(what: string, servedKeys: string[], listedKeys: string[], table: string) {
  const missing = servedKeys.filter((key) => !listedKeys.includes(key));
  const extra = listedKeys.filter((key) => !servedKeys.includes(key));
  const lines = [
    ...missing.map((key) => `  served but not in ${table}: ${key}`),
    ...extra.map((key) => `  in ${table} but not served: ${key}`),
  ];
  return {
    result: { missing, extra },
    message: `${what} and test/security/routes.ts disagree; the security tests cover only what is listed there:\n${lines.join('\n')}`,
  };
}

/** Hono's pattern as a regular expression over the path actually sent (without its query). */
const patternOf = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z_]+/g, '[^/?]+')}(\\?.*)?$`);

describe('the security matrix covers exactly what the Worker serves', () => {
  it('every REST route served is called by the security tests, or listed as public', () => {
    const { routes: servedRoutes } = served();
    expect(new Set(servedRoutes).size, 'a route served twice').toBe(servedRoutes.length);
    const listed = [...Object.keys(restCalls), ...Object.keys(publicRoutes)];
    expect(new Set(listed).size, 'a route both called and public').toBe(listed.length);
    const { result, message } = difference('The REST routes served', servedRoutes, listed, 'restCalls/publicRoutes');
    expect(result, message).toEqual({ missing: [], extra: [] });
  });

  it('every tRPC procedure is called by the security tests', () => {
    const procedures = served().procedures.map((p) => p.path);
    const { result, message } = difference(
      'The tRPC router’s procedures',
      procedures,
      Object.keys(procedureCalls),
      'procedureCalls',
    );
    expect(result, message).toEqual({ missing: [], extra: [] });
  });

  it('every Hono entry for all methods is known middleware, the tRPC server, or the 405 of a served path', () => {
    const { routes: servedRoutes, all } = served();
    const paths = new Set(servedRoutes.map((key) => key.slice(key.indexOf(' ') + 1)));
    const unknown = all.filter((path) => !(path in mounts) && !paths.has(path));
    expect(unknown, `served for every method, neither in mounts (test/security/routes.ts) nor a 405`).toEqual([]);
    const gone = Object.keys(mounts).filter((path) => !all.includes(path));
    expect(gone, 'in mounts (test/security/routes.ts) but not served').toEqual([]);
  });

  it('both the cross-organisation and the bad-credential tests run a case for every route and procedure', () => {
    const { routes: servedRoutes, procedures } = served();
    const expected = [
      ...servedRoutes.filter((key) => !(key in publicRoutes)),
      ...procedures.map((p) => `tRPC ${p.path}`),
    ];
    expect(routes.map((route) => route.name).sort()).toEqual(expected.sort());
  });

  it('each REST call is sent to the route it is listed for', () => {
    for (const [key, call] of Object.entries(restCalls)) {
      expect(call.path(ids), key).toMatch(patternOf(key.slice(key.indexOf(' ') + 1)));
      // No other listed route of the same method matches it better: the path is not another route's.
      const method = key.slice(0, key.indexOf(' '));
      const alsoMatching = Object.keys(restCalls).filter(
        (other) =>
          other !== key &&
          other.startsWith(`${method} `) &&
          patternOf(other.slice(other.indexOf(' ') + 1)).test(call.path(ids)),
      );
      expect(alsoMatching, key).toEqual([]);
    }
  });

  it.each(Object.entries(publicRoutes))('public: %s is served without a credential (%s)', async (key) => {
    const [method, path] = key.split(' ');
    for (const authorization of [undefined, 'Bearer not-a-credential']) {
      const response = await exports.default.fetch(
        new Request(`${origin}${path ?? ''}`, { method, headers: authorization ? { authorization } : {} }),
      );
      expect(response.status, `${key} with ${authorization ?? 'no credential'}`).toBe(bareCallStatus[key] ?? 200);
      await response.arrayBuffer();
    }
  });
});

describe(`CORS preflights are public (${preflightsArePublic})`, () => {
  it.each(namedRoutes)('the preflight of %s is answered without a credential', async (_, route) => {
    const response = await exports.default.fetch(
      new Request(`${origin}${route.path(ids)}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': route.method,
          'access-control-request-headers': 'authorization, content-type',
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toContain(route.method);
    expect(await response.text()).toBe('');
  });
});
