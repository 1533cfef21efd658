import { describe, expect, it } from 'vitest';
import { json, organisation, publish, rows, sql } from './helpers';
import { seedChildren, versionId } from './seed-children';

/** Every child of a version described by names only, so a faithful copy describes the same. */
async function fingerprint(version: string) {
  const [row] = await rows<{ f: unknown }>(
    `SELECT json_build_object(
      'definitions', (SELECT json_agg(json_build_object('name', d.name, 'accept', d.accept, 'schema', d.schema_content,
                        'refs', (SELECT json_agg(t.name ORDER BY t.name) FROM definitions t
                                 WHERE t.version_id = d.version_id AND d.name = ANY(t.referrer_names))) ORDER BY d.name)
                      FROM definitions d WHERE d.version_id = $1),
      'actions', (SELECT json_agg(json_build_object('name', a.name, 'method', a.method, 'parameters', a.parameters,
                        'body', a.request_body_required,
                        'links', (SELECT json_agg(json_build_object('status', r.status, 'definition', d.name) ORDER BY r.status NULLS FIRST, d.name)
                                  FROM action_body_definitions b JOIN definitions d ON d.id = b.definition_id
                                  LEFT JOIN action_responses r ON r.id = b.response_id WHERE b.action_id = a.id)) ORDER BY a.name)
                  FROM actions a WHERE a.version_id = $1),
      'triggers', (SELECT json_agg(json_build_object('name', t.name,
                        'links', (SELECT json_agg(json_build_object('status', r.status, 'definition', d.name) ORDER BY r.status NULLS FIRST, d.name)
                                  FROM trigger_body_definitions b JOIN definitions d ON d.id = b.definition_id
                                  LEFT JOIN trigger_responses r ON r.id = b.response_id WHERE b.trigger_id = t.id)) ORDER BY t.name)
                  FROM triggers t WHERE t.version_id = $1)
    ) AS f`,
    [version],
  );
  return row?.f;
}

/** Ids of every child row of a version, and every id its links point at. */
async function childIds(version: string) {
  const [row] = await rows<{ own: string[]; referenced: string[]; foreign_links: number }>(
    `SELECT
       ARRAY(SELECT id FROM definitions WHERE version_id = $1
             UNION ALL SELECT id FROM actions WHERE version_id = $1
             UNION ALL SELECT id FROM action_responses WHERE version_id = $1
             UNION ALL SELECT id FROM action_body_definitions WHERE version_id = $1
             UNION ALL SELECT id FROM triggers WHERE version_id = $1
             UNION ALL SELECT id FROM trigger_responses WHERE version_id = $1
             UNION ALL SELECT id FROM trigger_body_definitions WHERE version_id = $1) AS own,
       ARRAY(SELECT definition_id FROM action_body_definitions WHERE version_id = $1
             UNION ALL SELECT response_id FROM action_body_definitions WHERE version_id = $1 AND response_id IS NOT NULL
             UNION ALL SELECT action_id FROM action_responses WHERE version_id = $1
             UNION ALL SELECT definition_id FROM trigger_body_definitions WHERE version_id = $1
             UNION ALL SELECT t.id FROM definitions t WHERE t.version_id = $1 AND t.referrer_names <> '{}'
             -- A referrer's name that names no definition of the version shows as an id of none.
             UNION ALL SELECT coalesce(r.id, 'no definition ' || n) FROM definitions t CROSS JOIN unnest(t.referrer_names) n
               LEFT JOIN definitions r ON r.version_id = t.version_id AND r.name = n WHERE t.version_id = $1) AS referenced,
       (SELECT count(*)::int FROM action_body_definitions b JOIN definitions d ON d.id = b.definition_id
        WHERE b.version_id = $1 AND d.version_id <> $1) AS foreign_links`,
    [version],
  );
  if (!row) throw new Error('no row');
  return row;
}

describe('CreateConnectorVersion with fromVersion', () => {
  it('copies every child with new ids and every reference pointing into the copy', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1.0.0' });
    const source = await versionId(connectorId, '1.0.0');
    await seedChildren(source);
    const before = await fingerprint(source);

    const response = await org.createVersion(connectorId, { name: '1.1.0', fromVersion: '1.0.0', description: 'next' });
    expect(response.status).toBe(201);
    const copy = await json<{ id: string; publishedAt: string | null; description: string }>(response);
    expect(copy).toMatchObject({ publishedAt: null, description: 'next' });

    expect(await fingerprint(copy.id)).toEqual(before);
    expect(await fingerprint(source)).toEqual(before);

    const sourceIds = await childIds(source);
    const copyIds = await childIds(copy.id);
    expect(copyIds.own).toHaveLength(sourceIds.own.length);
    expect(copyIds.own.length).toBeGreaterThan(10);
    expect(copyIds.own.filter((id) => sourceIds.own.includes(id))).toEqual([]);
    expect(copyIds.referenced.length).toBeGreaterThan(0);
    expect(copyIds.referenced.every((id) => copyIds.own.includes(id))).toBe(true);
    expect(copyIds.foreign_links).toBe(0);
  });

  it('keeps the source and the copy independent', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    const source = await versionId(connectorId, '1');
    await seedChildren(source);
    const before = await fingerprint(source);
    await org.createVersion(connectorId, { name: '2', fromVersion: '1' });
    const copy = await versionId(connectorId, '2');

    await sql.query(`UPDATE definitions SET schema_content = '{"changed":true}' WHERE version_id = $1`, [copy]);
    await sql.query('DELETE FROM actions WHERE version_id = $1', [copy]);
    expect(await fingerprint(source)).toEqual(before);

    await sql.query('DELETE FROM connector_versions WHERE id = $1', [copy]);
    expect(await fingerprint(source)).toEqual(before);
  });

  it('copies a published version by alias into a draft', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    await seedChildren(await versionId(connectorId, '1'));
    await publish(connectorId, '1');

    for (const [name, fromVersion] of [
      ['2', 'latest'],
      ['3', 'DEFAULT'],
    ] as const) {
      const response = await org.createVersion(connectorId, { name, fromVersion });
      expect(response.status).toBe(201);
      expect(await json(response)).toMatchObject({ publishedAt: null, isLatest: false, isDefault: false });
      expect(await fingerprint(await versionId(connectorId, name))).toEqual(
        await fingerprint(await versionId(connectorId, '1')),
      );
    }
  });

  it('leaves one complete copy when copies of one name race', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    const source = await versionId(connectorId, '1');
    await seedChildren(source);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => org.createVersion(connectorId, { name: 'copy', fromVersion: '1' })),
    );
    expect(responses.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
    expect(responses.map((r) => r.status).filter((s) => s === 409)).toHaveLength(9);

    const copy = await versionId(connectorId, 'copy');
    expect(await fingerprint(copy)).toEqual(await fingerprint(source));
    const [counts] = await rows<{ versions: number; definitions: number }>(
      `SELECT (SELECT count(*)::int FROM connector_versions WHERE connector_id = $1) AS versions,
              (SELECT count(*)::int FROM definitions d JOIN connector_versions v ON v.id = d.version_id WHERE v.connector_id = $1) AS definitions`,
      [connectorId],
    );
    expect(counts).toEqual({ versions: 2, definitions: 6 });
  });

  it('runs copies of other names into one connector side by side: each is created, whole', async () => {
    const org = await organisation();
    const connectorId = await org.connector();
    await org.createVersion(connectorId, { name: '1' });
    const source = await versionId(connectorId, '1');
    await seedChildren(source);
    const expected = await fingerprint(source);

    const names = Array.from({ length: 8 }, (_, i) => `copy-${String(i)}`);
    const responses = await Promise.all(
      names.map((name) => org.createVersion(connectorId, { name, fromVersion: '1' })),
    );
    expect(responses.map((r) => r.status)).toEqual(names.map(() => 201));
    const created = await Promise.all(responses.map((r) => json<{ id: string; name: string }>(r)));
    expect(created.map((v) => v.name).sort()).toEqual([...names].sort());
    expect(new Set(created.map((v) => v.id)).size).toBe(names.length);
    const sourceIds = await childIds(source);
    for (const copy of created) {
      expect(await fingerprint(copy.id)).toEqual(expected);
      const copyIds = await childIds(copy.id);
      expect(copyIds.own).toHaveLength(sourceIds.own.length);
      expect(copyIds.referenced.every((id) => copyIds.own.includes(id))).toBe(true);
      expect(copyIds.foreign_links).toBe(0);
    }
    const [counts] = await rows<{ versions: number }>(
      'SELECT count(*)::int AS versions FROM connector_versions WHERE connector_id = $1',
      [connectorId],
    );
    expect(counts).toEqual({ versions: names.length + 1 });
  });
});
