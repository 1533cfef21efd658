import { generateApiKey } from '@connect/contracts';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { organisation, origin, sql } from '../helpers';
import { namedRoutes } from './routes';
import { holdings, seededOrganisation } from './seeded-organisation';

describe('every route refuses a bad credential with 401, and nothing happens', () => {
  // One case per route and procedure served (see routes.ts).
  it.each(namedRoutes)('%s', async (_, route) => {
    const org = await seededOrganisation();
    const ids = { o: org.organisationId, c: org.c, v: '1', k: org.k, n: org.n };

    // Keys of the same organisation that were never used (so no isolate has them cached).
    const revoked = await organisation();
    const expired = await organisation();
    await sql.query(`UPDATE api_keys SET organisation_id = $1, revoked_at = now() WHERE organisation_id = $2`, [
      org.organisationId,
      revoked.organisationId,
    ]);
    await sql.query(
      `UPDATE api_keys SET organisation_id = $1, expires_at = now() - interval '1 minute' WHERE organisation_id = $2`,
      [org.organisationId, expired.organisationId],
    );
    const before = await holdings(org.organisationId);

    const credentials: [string, string | undefined][] = [
      ['no token', undefined],
      ['malformed', 'Bearer not-a-credential'],
      ['unknown key', `Bearer ${await generateApiKey()}`],
      ['revoked key', `Bearer ${revoked.apiKey}`],
      ['expired key', `Bearer ${expired.apiKey}`],
    ];
    for (const [label, authorization] of credentials) {
      const body = route.body?.(ids);
      const response = await exports.default.fetch(
        new Request(`${origin}${route.path(ids)}`, {
          method: route.method,
          headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      expect(response.status, label).toBe(401);
      expect(response.headers.get('www-authenticate'), label).toBe('Bearer');
      const text = await response.text();
      if (route.path(ids).startsWith('/trpc')) {
        expect((JSON.parse(text) as { error: { data: { apiCode: string } } }).error.data.apiCode, label).toBe(
          'unauthenticated',
        );
      } else {
        expect(JSON.parse(text), label).toEqual({ code: 'unauthenticated', message: 'missing or invalid credentials' });
      }
      for (const secret of [revoked.apiKey, expired.apiKey]) expect(text).not.toContain(secret);
    }
    expect(await holdings(org.organisationId)).toEqual(before);
  });
});
