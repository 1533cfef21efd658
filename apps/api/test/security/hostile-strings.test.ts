import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { origin } from '../helpers';
import { namedRoutes, type RouteCase } from './routes';
import { holdings, seededOrganisation } from './seeded-organisation';

// Every string a route's body holds, replaced in turn by hostile text: control characters (NUL,
// which PostgreSQL cannot store; CR LF, which would split a header; the rest of C0 and DEL), an
// unpaired surrogate (not Unicode), and text far longer than any field allows. Whatever the route
// and the field, the answer is never a 5xx: it is taken, or a 4xx that changes nothing (a 400
// naming a field).

const hostile: [label: string, text: string][] = [
  ['NUL', 'a\u0000b'],
  ['CR LF', 'a\r\nX-Injected: 1'],
  ['C0 and DEL', `a${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('')}\u007fb`],
  ['unpaired surrogate', 'a\ud800b'],
  ['300,000 characters', 'x'.repeat(300_000)],
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every string in `value`, as the path to it and a copy of `value` with it replaced by `text`. */
function stringLeaves(value: Json, text: string, path: string[] = []): [string, Json][] {
  if (typeof value === 'string') return [[path.join('.'), text]];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      stringLeaves(item, text, [...path, String(index)]).map(([at, replaced]): [string, Json] => [
        at,
        value.map((other, i) => (i === index ? replaced : other)),
      ]),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      stringLeaves(item, text, [...path, key]).map(([at, replaced]): [string, Json] => [
        at,
        { ...value, [key]: replaced },
      ]),
    );
  }
  return [];
}

const withBody = namedRoutes.filter((entry): entry is [string, RouteCase & { body: NonNullable<RouteCase['body']> }] =>
  Boolean(entry[1].body),
);

describe('hostile text in every string of every body: never a 5xx, and a refusal writes nothing', () => {
  // Each case sends every hostile string through every field of its body: dozens of requests, which
  // on a loaded machine (two cores shared) can take longer than the default 30 s.
  it.each(withBody)(
    '%s',
    async (_, route) => {
      const org = await seededOrganisation();
      const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };
      const body = route.body(ids) as Json;
      for (const [label, text] of hostile) {
        for (const [at, mutated] of stringLeaves(body, text)) {
          const before = await holdings(org.organisationId);
          const response = await exports.default.fetch(
            new Request(`${origin}${route.path(ids)}`, {
              method: route.method,
              headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify(mutated),
            }),
          );
          const where = `${label} in ${at}`;
          expect(response.status, where).toBeLessThan(500);
          const answer = await response.text();
          if (response.status >= 400) {
            expect(await holdings(org.organisationId), where).toEqual(before);
            if (response.status === 400) {
              const fields = route.path(ids).startsWith('/trpc')
                ? (JSON.parse(answer) as { error: { data: { fields?: unknown[] } } }).error.data.fields
                : (JSON.parse(answer) as { fields?: unknown[] }).fields;
              expect(fields?.length ?? 0, `${where}: ${answer.slice(0, 300)}`).toBeGreaterThan(0);
            }
          }
        }
      }
    },
    120_000,
  );
});
