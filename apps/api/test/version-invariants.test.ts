import type { ConnectorVersion } from '@connect/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, json, organisation, rows } from './helpers';

/**
 * Model-based test of the lifecycle invariants: random sequences of publish, unpublish,
 * set-default, clear-default, delete and create-from — some sent in parallel — against the real
 * database. Whatever the interleaving: no 5xx; at most one latest and one default; latest is the
 * published version with the newest publishedAt, never a draft; the default is the chosen one
 * (always published) or else latest; drafts are neither.
 */
const names = ['a', 'b', 'c', 'd'] as const;
const selectors = [...names, 'latest', 'default'] as const;

type Command =
  | { kind: 'publish' | 'unpublish' | 'setDefault' | 'clearDefault'; version: string }
  | { kind: 'delete'; version: string; force: boolean }
  | { kind: 'createFrom'; version: string; from: string };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('publish', 'unpublish', 'setDefault', 'clearDefault'),
    version: fc.constantFrom(...selectors),
  }),
  fc.record({ kind: fc.constant('delete'), version: fc.constantFrom(...selectors), force: fc.boolean() }),
  fc.record({
    kind: fc.constant('createFrom'),
    version: fc.constantFrom(...names),
    from: fc.constantFrom(...selectors),
  }),
);

/** A step: one command, or several sent at once. */
const step = fc.array(command, { minLength: 1, maxLength: 3 });

describe('version invariants under random and parallel lifecycle commands', () => {
  it('hold after every step', { timeout: 180_000 }, async () => {
    let runs = 0;
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        runs++;
        const org = await organisation();
        const connectorId = await org.connector();
        const base = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
        for (const name of names) await org.createVersion(connectorId, { name });

        const send = (c: Command): Promise<Response> => {
          const at = `${base}/${c.version}`;
          switch (c.kind) {
            case 'publish':
              return call('POST', `${at}/publish`, { apiKey: org.apiKey });
            case 'unpublish':
              return call('POST', `${at}/unpublish`, { apiKey: org.apiKey });
            case 'setDefault':
              return call('PUT', at, { apiKey: org.apiKey, body: { isDefault: true } });
            case 'clearDefault':
              return call('PUT', at, { apiKey: org.apiKey, body: { isDefault: false } });
            case 'delete':
              return call('DELETE', `${at}?force=${c.force}`, { apiKey: org.apiKey });
            case 'createFrom':
              return call('POST', base, { apiKey: org.apiKey, body: { name: c.version, fromVersion: c.from } });
          }
        };

        for (const parallel of steps) {
          commands += parallel.length;
          const responses = await Promise.all(parallel.map(send));
          for (const [i, r] of responses.entries()) {
            expect(r.status, JSON.stringify(parallel[i])).toBeLessThan(500);
          }

          const page = await json<{ items: ConnectorVersion[] }>(
            await call('GET', `${base}?first=100`, { apiKey: org.apiKey }),
          );
          const versions = page.items;
          const published = versions.filter((v) => v.publishedAt !== null);
          const latest = versions.filter((v) => v.isLatest);
          const defaults = versions.filter((v) => v.isDefault);
          expect(latest.length).toBeLessThanOrEqual(1);
          expect(defaults.length).toBeLessThanOrEqual(1);
          expect(versions.filter((v) => v.publishedAt === null && (v.isLatest || v.isDefault))).toEqual([]);

          const [connector] = await rows<{ default_version_id: string | null }>(
            'SELECT default_version_id FROM connectors WHERE id = $1',
            [connectorId],
          );
          const chosen = versions.find((v) => v.id === connector?.default_version_id);
          if (connector?.default_version_id) expect(chosen?.publishedAt ?? null).not.toBeNull();

          if (published.length === 0) {
            expect(latest).toEqual([]);
            expect(defaults).toEqual([]);
          } else {
            const newest = [...published].sort(
              (x, y) => (y.publishedAt ?? '').localeCompare(x.publishedAt ?? '') || y.id.localeCompare(x.id),
            )[0];
            expect(latest[0]?.id).toBe(newest?.id);
            expect(defaults[0]?.id).toBe(chosen?.id ?? newest?.id);
          }
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
    console.log(`lifecycle invariants: ${runs} runs, ${commands} commands`);
  });
});
