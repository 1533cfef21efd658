import { exports } from 'cloudflare:workers';
import type { AnyTRPCProcedure } from '@trpc/server';
import { appRouter } from '@connect/router';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { restRoutes } from '../../src/rest/routes';
import { origin } from '../helpers';
import { procedureCalls, restCalls } from './routes';
import { holdings, seededOrganisation } from './seeded-organisation';

// Every change that takes an entity tag refuses a stale one with 412 and changes nothing — over
// REST (`If-Match`) and tRPC (`ifMatch`) alike. The cases come from what is served: the REST
// routes whose document entry says they take `If-Match`, and the procedures whose input has it.

const stale = '0123456789abcdef0123456789abcdef';
const rest = '/api/connect/v1';

/** Changes that take no entity tag, with why; every other PUT, DELETE, publish and unpublish must. */
const unconditional: Record<string, string> = {
  [`DELETE ${rest}/o/:organisation_id/connectors/:connector_id/versions/:version/definitions`]:
    'a bulk delete names many definitions; one tag cannot stand for them',
  [`DELETE ${rest}/o/:organisation_id/api-keys/:key_id`]: 'an API key is revoked, never edited: nothing to lose',
  [`DELETE ${rest}/o/:organisation_id/connectors/:connector_id/versions/:version/subscriptions/:subscription_id`]:
    'a subscription is never edited, only made and deleted: nothing to lose',
};

const documented = restRoutes().documented.map((route) => ({
  key: `${route.method} ${rest}${route.path}`,
  method: route.method,
  etag: route.doc.etag,
}));
const conditionalRoutes = documented.filter(
  (route) => route.etag === 'write' || route.etag === 'condition' || route.etag === 'source',
);

/** Whether a procedure's input schema has a field `key` (through intersections). */
function hasField(schema: unknown, key: string): boolean {
  if (schema instanceof z.ZodObject) return key in schema.shape;
  if (schema instanceof z.ZodIntersection) return hasField(schema.def.left, key) || hasField(schema.def.right, key);
  return false;
}

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>);
const conditionalProcedures = procedures
  .map(([path, procedure]) => {
    const inputs = procedure._def.inputs as unknown[];
    const field = ['ifMatch', 'fromVersionIfMatch'].find((key) => inputs.some((input) => hasField(input, key)));
    return { path, field };
  })
  .filter((p): p is { path: string; field: string } => p.field !== undefined);

describe('stale entity tags', () => {
  it('every PUT, DELETE, publish and unpublish takes If-Match, but for the listed exceptions', () => {
    const changes = documented
      .filter((r) => r.method === 'PUT' || r.method === 'DELETE' || /\/(un)?publish$/.test(r.key))
      .map((r) => r.key);
    const taking = conditionalRoutes.map((r) => r.key);
    expect(changes.filter((key) => !taking.includes(key)).sort()).toEqual(Object.keys(unconditional).sort());
    // …and the tRPC counterparts take `ifMatch`: one per conditional REST route.
    expect(conditionalProcedures.length).toBe(conditionalRoutes.length);
  });

  it.each(conditionalRoutes.map((r) => [r.key, r] as const))(
    '%s: a stale If-Match is 412, nothing changes',
    async (key, route) => {
      const org = await seededOrganisation();
      const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };
      const call = restCalls[key];
      if (!call) throw new Error(`${key} has no entry in restCalls`);
      // A copy's If-Match names its source: only a copy has one.
      const body = route.etag === 'source' ? { name: 'copy', fromVersion: '1' } : call.body?.(ids);
      const before = await holdings(org.organisationId);
      const response = await exports.default.fetch(
        new Request(`${origin}${call.path(ids)}`, {
          method: route.method,
          headers: {
            authorization: `Bearer ${org.apiKey}`,
            'content-type': 'application/json',
            'if-match': `"${stale}"`,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      expect(response.status).toBe(412);
      expect((await response.json<{ code: string }>()).code).toBe('failed_precondition');
      expect(await holdings(org.organisationId)).toEqual(before);
    },
  );

  it.each(conditionalProcedures.map((p) => [p.path, p] as const))(
    'tRPC %s: a stale tag is 412, nothing changes',
    async (path, { field }) => {
      const org = await seededOrganisation();
      const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };
      const input = procedureCalls[path]?.input?.(ids) as Record<string, unknown> | undefined;
      if (!input) throw new Error(`${path} has no input in procedureCalls`);
      const withTag = { ...input, ...(field === 'fromVersionIfMatch' ? { fromVersion: '1' } : {}), [field]: stale };
      const before = await holdings(org.organisationId);
      const response = await exports.default.fetch(
        new Request(`${origin}/trpc/${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(withTag),
        }),
      );
      expect(response.status).toBe(412);
      const answer = await response.json<{ error: { data: { apiCode: string } } }>();
      expect(answer.error.data.apiCode).toBe('failed_precondition');
      expect(await holdings(org.organisationId)).toEqual(before);
    },
  );
});
