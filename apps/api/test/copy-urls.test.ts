import type { Definition, DefinitionPage } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, workspace, type Workspace } from './children';
import { json, rows } from './helpers';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The rule a copy follows, written here independently of the SQL that applies it: every
 * `/o/{organisation}/schemas/{connector}/{from}/{id}` whose id is a definition of the source (and
 * is not continued by another letter or digit, which would make it another id) is made to name
 * version `to` and that definition's copy. Nothing else in the text changes.
 */
function rewritten(text: string, w: Workspace, from: string, to: string, copies: Map<string, string>): string {
  const base = `/o/${w.org.organisationId}/schemas/${w.connectorId}/`;
  const url = new RegExp(`${escapeRegExp(`${base}${from}/`)}([0-9A-Z]{26})(?![0-9A-Za-z])`, 'g');
  return text.replace(url, (whole, id: string) => {
    const copy = copies.get(id);
    return copy === undefined ? whole : `${base}${to}/${copy}`;
  });
}

async function definitionsOf(w: Workspace, version: string): Promise<Map<string, Definition>> {
  const page = await json<DefinitionPage>(await w.send('GET', w.path(version, '/definitions?first=100')));
  return new Map(page.definitions.map((d) => [d.name, d]));
}

describe('schema URLs in a copy', () => {
  it('name the copy and its own definitions, wherever and however often they appear, and nothing else changes', async () => {
    const w = await workspace();
    await w.version('1');
    const targets = await w.definitions(
      '1',
      Array.from({ length: 40 }, (_, i) => jsonDefinition(`T${String(i)}`)),
    );
    const [t0, t1, t2] = targets;
    if (!t0 || !t1 || !t2) throw new Error('no targets');
    const schema = (name: string, document: unknown, contentType = 'application/schema+json') => ({
      name,
      accept: ['application/json'],
      schema: { contentType, content: typeof document === 'string' ? document : JSON.stringify(document) },
    });
    // Text shaped like a definition's URL, or holding one's id, that is not a URL of a definition
    // of version 1 of this connector: a copy leaves each exactly as it is.
    const notLinks = [
      t0.url.replace(t0.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV'), // an id that is no definition
      t0.url.replace(`/${w.connectorId}/1/`, `/${w.connectorId}/10/`), // another version's name
      t0.url.replace(`${t0.id}.json`, `${t0.id}Z.json`), // a longer id
      t0.url.replace(w.org.organisationId, '01ARZ3NDEKTSV4RRFFQ69G5FAW'), // another organisation
      t0.url.toLowerCase(), // not as `url` writes it
      `/1/${t0.id}`, // the version and id without the rest of the URL
    ];
    await w.definitions('1', [
      // As many links by URL as there are targets, in one schema, three times over.
      ...[1, 2, 3].map((j) => schema(`Bomb${String(j)}`, { anyOf: targets.map((t) => ({ $ref: t.url })) })),
      schema('Tricky', {
        description: `${t0.url}${t1.url}`, // two URLs with nothing between them
        allOf: [{ $ref: t0.url }, { $ref: t0.url }, { $ref: `${t1.url}#/properties` }], // the same link again, a fragment
        anyOf: [{ $ref: t1.url }, { $ref: t0.url }],
        examples: notLinks,
      }),
      // Not JSON, so it links nothing, but a URL in it names a definition of the source all the same.
      schema('XmlImport', `<xs:schema><xs:import schemaLocation="${t2.url}"/></xs:schema>`, 'application/xml'),
    ]);

    await w.version('2', '1');
    const source = await definitionsOf(w, '1');
    const copy = await definitionsOf(w, '2');
    expect(copy.size).toBe(source.size);
    const copies = new Map([...source].map(([name, d]) => [d.id, copy.get(name)?.id ?? '']));

    for (const [name, original] of source) {
      const copied = copy.get(name);
      expect(copied?.schema.content, name).toBe(rewritten(original.schema.content, w, '1', '2', copies));
    }

    // The rule above did change what it should: every URL in a bomb names a copied definition.
    const bomb = copy.get('Bomb1')?.schema.content ?? '';
    const copiedTargets = new Set(targets.map((t) => copies.get(t.id)));
    const named = [...bomb.matchAll(/"\$ref":"[^"]*\/schemas\/[^/]+\/([^/]+)\/([0-9A-Z]{26})\.json"/g)];
    expect(named).toHaveLength(targets.length);
    for (const [, version, id] of named) {
      expect(version).toBe('2');
      expect(copiedTargets.has(id)).toBe(true);
    }
    const tricky = copy.get('Tricky')?.schema.content ?? '';
    const [c0, c1, c2] = [t0, t1, t2].map((t) => copy.get(t.name)?.url ?? '');
    expect(JSON.parse(tricky)).toEqual({
      description: `${c0}${c1}`,
      allOf: [{ $ref: c0 }, { $ref: c0 }, { $ref: `${c1}#/properties` }],
      anyOf: [{ $ref: c1 }, { $ref: c0 }],
      examples: notLinks,
    });
    expect(copy.get('XmlImport')?.schema.content).toBe(`<xs:schema><xs:import schemaLocation="${c2}"/></xs:schema>`);

    // Each copied URL is a link of the copy's own: the links were copied with the text.
    const [links] = await rows<{ source: number; copy: number; outside: number }>(
      `SELECT count(*) FILTER (WHERE l.version_id = s.id)::int AS source,
              count(*) FILTER (WHERE l.version_id = c.id)::int AS copy,
              count(*) FILTER (WHERE l.version_id = c.id AND t.version_id <> c.id)::int AS outside
       FROM (SELECT r.version_id, r.id AS definition_id, t.id AS target_id FROM definitions t
             JOIN definitions r ON r.version_id = t.version_id AND r.name = ANY(t.referrer_names)) l
       JOIN definitions t ON t.id = l.target_id
       CROSS JOIN (SELECT id FROM connector_versions WHERE connector_id = $1 AND name = '1') s
       CROSS JOIN (SELECT id FROM connector_versions WHERE connector_id = $1 AND name = '2') c`,
      [w.connectorId],
    );
    expect(links).toEqual({ source: 3 * 40 + 2, copy: 3 * 40 + 2, outside: 0 });

    // The source is as it was.
    expect(source.get('Tricky')?.schema.content).toContain(`"$ref":"${t0.url}"`);
  });
});
