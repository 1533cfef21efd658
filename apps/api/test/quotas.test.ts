import type { ErrorBody } from '@connect/contracts';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { jsonDefinition } from './children';
import { newOrganisation, origin, restRoot, rows } from './helpers';
import { idToken } from './support/id-tokens';

// Every quota and request limit, with this suite's own low values: the Worker gets them the way a
// deployment does, as its LIMITS var (in the env the request is handled with).
const limits = {
  connectorsPerOrganisation: 3,
  versionsPerConnector: 3,
  childrenPerVersion: 4,
  apiKeysPerOrganisation: 3,
  schemaBytes: 2000,
  versionBytes: 3000,
  bodyBytes: 8192,
  trpcBatchMax: 5,
};

interface Sent {
  status: number;
  body: unknown;
}

/** A session with the Worker under `overrides`; DATABASE_URL tagged so its round trips can be counted. */
function session(overrides: Record<string, unknown> = limits) {
  const tag = `quotas-${crypto.randomUUID()}`;
  const testEnv: Env = {
    ...env,
    LIMITS: JSON.stringify(overrides),
    DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}`,
  };
  return {
    async send(
      method: string,
      url: string,
      credential: string,
      body?: unknown,
      rawBody?: string,
      extraHeaders: Record<string, string> = {},
    ): Promise<Sent> {
      const headers = new Headers({ ...extraHeaders, authorization: `Bearer ${credential}` });
      let text = rawBody;
      if (body !== undefined) text = JSON.stringify(body);
      if (text !== undefined) headers.set('content-type', 'application/json');
      const request = new Request(url.startsWith('http') ? url : `${restRoot}${url}`, {
        method,
        headers,
        ...(text === undefined ? {} : { body: text }),
      });
      const ctx = createExecutionContext();
      const response = await worker.fetch(request, testEnv, ctx);
      await waitOnExecutionContext(ctx);
      const answer = await response.text();
      return { status: response.status, body: answer ? (JSON.parse(answer) as unknown) : null };
    },
    /** Database round trips the Worker made in this session (the local SQL endpoint's log). */
    async databaseRequests(): Promise<number> {
      const response = await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`);
      return (await response.json<{ requests: number }>()).requests;
    },
  };
}

type Session = ReturnType<typeof session>;

/** A tRPC call's error as tRPC sends it (no transformer): the API's code and the limit in `data`. */
interface TrpcError {
  error: { message: string; data: { apiCode: string; httpStatus: number; limit?: { name: string; value: number } } };
}

function expectQuota(sent: Sent, name: keyof typeof limits, value: number = limits[name]): void {
  expect(sent.status, JSON.stringify(sent.body)).toBe(409);
  const body = sent.body as ErrorBody;
  expect(body.code).toBe('quota_exceeded');
  expect(body.limit).toEqual({ name, value });
  expect(body.message).toContain(name);
  expect(body.message).toContain(String(value));
}

function expectTrpcQuota(sent: Sent, name: keyof typeof limits, value: number = limits[name]): void {
  expect(sent.status, JSON.stringify(sent.body)).toBe(409);
  const { error } = sent.body as TrpcError;
  expect(error.data).toMatchObject({ apiCode: 'quota_exceeded', httpStatus: 409, limit: { name, value } });
  expect(error.message).toContain(name);
}

const trpc = (procedure: string) => `${origin}/trpc/${procedure}`;

async function count(query: string, params: unknown[]): Promise<number> {
  const [row] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${query}`, params);
  return row?.n ?? -1;
}

const connectorCount = (organisationId: string) => count('connectors WHERE organisation_id = $1', [organisationId]);
const versionCount = (connectorId: string) => count('connector_versions WHERE connector_id = $1', [connectorId]);
const activeKeyCount = (organisationId: string) =>
  count('api_keys WHERE organisation_id = $1 AND revoked_at IS NULL', [organisationId]);
/** Actions, triggers and definitions of a version, by the version's name. */
const childCount = (connectorId: string, version: string) =>
  count(
    `(SELECT id FROM definitions WHERE version_id = (SELECT id FROM connector_versions WHERE connector_id = $1 AND name = $2)
      UNION ALL SELECT id FROM actions WHERE version_id = (SELECT id FROM connector_versions WHERE connector_id = $1 AND name = $2)
      UNION ALL SELECT id FROM triggers WHERE version_id = (SELECT id FROM connector_versions WHERE connector_id = $1 AND name = $2)) x`,
    [connectorId, version],
  );

const connectorBody = (name = 'Quota') => ({ name, baseUrl: 'https://quota.example.com' });

/** Another organisation's public connector with draft versions `names`, for library imports. */
async function publicConnectorWithVersions(s: ReturnType<typeof session>, names: string[]) {
  const owner = await newOrganisation('quotas');
  const made = await s.send('POST', `/o/${owner.organisationId}/protocols/http/connectors`, owner.apiKey, {
    ...connectorBody('Library'),
    public: true,
  });
  expectCreated(made);
  const source = (made.body as { id: string }).id;
  const ownerVersions = `/o/${owner.organisationId}/connectors/${source}/versions`;
  for (const name of names) expectCreated(await s.send('POST', ownerVersions, owner.apiKey, { name }));
  return { owner, source, ownerVersions };
}

function expectCreated(sent: Sent, status = 201): void {
  expect(sent.status, JSON.stringify(sent.body)).toBe(status);
}

/** An organisation with a connector, under the suite's limits. */
async function withConnector(s: Session) {
  const org = await newOrganisation('quotas');
  const created = await s.send(
    'POST',
    `/o/${org.organisationId}/protocols/http/connectors`,
    org.apiKey,
    connectorBody(),
  );
  expectCreated(created);
  const connectorId = (created.body as { id: string }).id;
  const versions = `/o/${org.organisationId}/connectors/${connectorId}/versions`;
  return { org, connectorId, versions };
}

/** A minimal action without links, so it needs no definitions. */
const bareAction = (name: string) => ({ type: 'http', name, method: 'GET', path: '/x', responses: [] });
/** A definition as PUT takes it: the name is in the path. */
const withoutName = (d: { accept: string[]; schema: unknown }) => ({ accept: d.accept, schema: d.schema });
const bareTrigger = (name: string) => ({ type: 'http', name, method: 'POST', responses: [] });

describe('quotas, over REST and tRPC', () => {
  it('connectors per organisation', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const path = `/o/${org.organisationId}/protocols/http/connectors`;
    for (let i = 0; i < 3; i++) expectCreated(await s.send('POST', path, org.apiKey, connectorBody(`c${String(i)}`)));

    expectQuota(await s.send('POST', path, org.apiKey, connectorBody('over')), 'connectorsPerOrganisation');
    expectTrpcQuota(
      await s.send('POST', trpc('connectors.create'), org.apiKey, connectorBody('over')),
      'connectorsPerOrganisation',
    );
    expect(await connectorCount(org.organisationId)).toBe(3);

    // A deleted connector frees its place.
    const list = await s.send('GET', `/o/${org.organisationId}/connectors`, org.apiKey);
    const [first] = (list.body as { connectors: { id: string }[] }).connectors;
    expect((await s.send('DELETE', `/o/${org.organisationId}/connectors/${first?.id ?? ''}`, org.apiKey)).status).toBe(
      204,
    );
    expectCreated(await s.send('POST', trpc('connectors.create'), org.apiKey, connectorBody('again')), 200);
  });

  it('versions per connector, a copy counting as one', async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    for (const name of ['1', '2']) expectCreated(await s.send('POST', versions, org.apiKey, { name }));
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '3', fromVersion: '1' }));

    expectQuota(await s.send('POST', versions, org.apiKey, { name: '4' }), 'versionsPerConnector');
    expectQuota(await s.send('POST', versions, org.apiKey, { name: '4', fromVersion: '1' }), 'versionsPerConnector');
    expectTrpcQuota(
      await s.send('POST', trpc('connectorVersions.create'), org.apiKey, { connectorId, name: '4' }),
      'versionsPerConnector',
    );
    expect(await versionCount(connectorId)).toBe(3);
  });

  it('a public library import: the connector it makes, the version it adds and the children it copies', async () => {
    const s = session();
    // The owner's public connector: version 1 within the quotas, version 2 over childrenPerVersion
    // once the suite's limits apply (its children are written under the defaults).
    const { owner, source, ownerVersions } = await publicConnectorWithVersions(s, ['1', '2', '3']);
    const big = session({ ...limits, childrenPerVersion: 100 });
    for (let i = 0; i < 5; i++) {
      expectCreated(await big.send('POST', `${ownerVersions}/2/triggers`, owner.apiKey, bareTrigger(`t${String(i)}`)));
    }
    for (const name of ['1', '2', '3']) {
      expect((await s.send('POST', `${ownerVersions}/${name}/publish`, owner.apiKey)).status).toBe(200);
    }
    const importOf = (org: { organisationId: string }, version: string) =>
      `/o/${org.organisationId}/connectors/${source}/versions/${version}/library/import`;

    // An organisation whose connectors quota is full gets no connector.
    const full = await newOrganisation('quotas');
    for (let i = 0; i < 3; i++) {
      expectCreated(
        await s.send('POST', `/o/${full.organisationId}/protocols/http/connectors`, full.apiKey, connectorBody()),
      );
    }
    expectQuota(await s.send('POST', importOf(full, '1'), full.apiKey), 'connectorsPerOrganisation');
    expect(await connectorCount(full.organisationId)).toBe(3);

    // A version over the children quota is not copied; the others are, into one connector.
    const importer = await newOrganisation('quotas');
    expectQuota(await s.send('POST', importOf(importer, '2'), importer.apiKey), 'childrenPerVersion');
    expect(await connectorCount(importer.organisationId)).toBe(0);
    expect((await s.send('POST', importOf(importer, '1'), importer.apiKey)).status).toBe(200);
    expect((await s.send('POST', importOf(importer, '3'), importer.apiKey)).status).toBe(200);
    expect(await connectorCount(importer.organisationId)).toBe(1);
  });

  it('children per version: actions, triggers and definitions together', async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '1' }));
    const at = (rest: string) => `${versions}/1${rest}`;
    expectCreated(
      await s.send('POST', at('/definitions'), org.apiKey, {
        definitions: [jsonDefinition('A'), jsonDefinition('B')],
      }),
    );
    expectCreated(await s.send('POST', at('/actions'), org.apiKey, bareAction('one')));

    // One place left: a request of two definitions is refused whole.
    expectQuota(
      await s.send('POST', at('/definitions'), org.apiKey, { definitions: [jsonDefinition('C'), jsonDefinition('D')] }),
      'childrenPerVersion',
    );
    expect(await childCount(connectorId, '1')).toBe(3);
    expectCreated(await s.send('POST', at('/triggers'), org.apiKey, bareTrigger('hook')));

    expectQuota(await s.send('POST', at('/actions'), org.apiKey, bareAction('two')), 'childrenPerVersion');
    expectQuota(await s.send('POST', at('/triggers'), org.apiKey, bareTrigger('hook2')), 'childrenPerVersion');
    expectTrpcQuota(
      await s.send('POST', trpc('actions.create'), org.apiKey, { connectorId, version: '1', ...bareAction('two') }),
      'childrenPerVersion',
    );
    expectTrpcQuota(
      await s.send('POST', trpc('definitions.create'), org.apiKey, {
        connectorId,
        version: '1',
        definitions: [jsonDefinition('C')],
      }),
      'childrenPerVersion',
    );
    expect(await childCount(connectorId, '1')).toBe(4);
  });

  it('a copy fits the per-version quotas as they are now, also when they were lowered', async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: 'full' }));
    expectCreated(
      await s.send('POST', `${versions}/full/definitions`, org.apiKey, {
        definitions: ['A', 'B', 'C', 'D'].map((name) => jsonDefinition(name)),
      }),
    );
    // At the quota, the copy fits.
    expectCreated(await s.send('POST', versions, org.apiKey, { name: 'copy', fromVersion: 'full' }));
    expect(await childCount(connectorId, 'copy')).toBe(4);

    // The deployment lowers the quotas: a copy of the version no longer fits, and nothing is written.
    const lowered = session({ ...limits, childrenPerVersion: 3 });
    expectQuota(
      await lowered.send('POST', versions, org.apiKey, { name: 'again', fromVersion: 'full' }),
      'childrenPerVersion',
      3,
    );
    const smaller = session({ ...limits, versionBytes: 20 });
    expectTrpcQuota(
      await smaller.send('POST', trpc('connectorVersions.create'), org.apiKey, {
        connectorId,
        name: 'again',
        fromVersion: 'full',
      }),
      'versionBytes',
      20,
    );
    const tighter = session({ ...limits, schemaBytes: 10 });
    expectQuota(
      await tighter.send('POST', versions, org.apiKey, { name: 'again', fromVersion: 'full' }),
      'schemaBytes',
      10,
    );
    expect(await versionCount(connectorId)).toBe(2);
  });

  it("schema bytes: one definition's schema, in UTF-8 bytes, on create and on update", async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '1' }));
    // 1,100 characters of two bytes each: under 2,000 characters, over 2,000 bytes.
    const wide = {
      name: 'Wide',
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: JSON.stringify({ description: 'é'.repeat(1100) }) },
    };
    expectQuota(await s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [wide] }), 'schemaBytes');
    expectTrpcQuota(
      await s.send('POST', trpc('definitions.create'), org.apiKey, { connectorId, version: '1', definitions: [wide] }),
      'schemaBytes',
    );
    expect(await childCount(connectorId, '1')).toBe(0);

    expectCreated(
      await s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [jsonDefinition('Narrow')] }),
    );
    const update = { accept: wide.accept, schema: wide.schema };
    expectQuota(await s.send('PUT', `${versions}/1/definitions/Narrow`, org.apiKey, update), 'schemaBytes');
    const [stored] = await rows<{ schema_content: string }>(
      'SELECT schema_content FROM definitions WHERE name = $1 AND version_id = (SELECT id FROM connector_versions WHERE connector_id = $2)',
      ['Narrow', connectorId],
    );
    expect(stored?.schema_content).toBe(jsonDefinition('Narrow').schema.content);
  });

  it("version bytes: all of a version's schemas together", async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '1' }));
    const sized = (name: string, bytes: number) => ({
      name,
      accept: ['application/json'],
      schema: { contentType: 'application/schema+json', content: `{"description":"${'x'.repeat(bytes - 18)}"}` },
    });
    expectCreated(await s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [sized('A', 1800)] }));
    expectQuota(
      await s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [sized('B', 1800)] }),
      'versionBytes',
    );
    expectTrpcQuota(
      await s.send('POST', trpc('definitions.create'), org.apiKey, {
        connectorId,
        version: '1',
        definitions: [sized('B', 1800)],
      }),
      'versionBytes',
    );
    expect(await childCount(connectorId, '1')).toBe(1);
    // An update counts the new schema in place of the old one.
    const bigger = withoutName(sized('A', 1900));
    expectCreated(await s.send('PUT', `${versions}/1/definitions/A`, org.apiKey, bigger), 200);
    expectCreated(await s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [sized('B', 1100)] }));
    const over = withoutName(sized('A', 2000));
    expectQuota(await s.send('PUT', `${versions}/1/definitions/A`, org.apiKey, over), 'versionBytes');
  });

  it('active API keys per organisation (revoked keys do not count)', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const token = await idToken(org.organisationId);
    const keys = `/o/${org.organisationId}/api-keys`;
    // The organisation's first key is one of its three.
    expectCreated(await s.send('POST', keys, token, { name: 'two' }));
    const third = await s.send('POST', keys, token, { name: 'three' });
    expectCreated(third);

    expectQuota(await s.send('POST', keys, token, { name: 'four' }), 'apiKeysPerOrganisation');
    expectTrpcQuota(await s.send('POST', trpc('apiKeys.create'), token, { name: 'four' }), 'apiKeysPerOrganisation');
    expect(await activeKeyCount(org.organisationId)).toBe(3);

    const revoked = await s.send('DELETE', `${keys}/${(third.body as { id: string }).id}`, token);
    expect(revoked.status).toBeLessThan(300);
    expectCreated(await s.send('POST', trpc('apiKeys.create'), token, { name: 'four' }), 200);
    expect(await activeKeyCount(org.organisationId)).toBe(3);
  });
});

describe('quotas and Idempotency-Key', () => {
  it('a retried create counts once, and a refusal for a quota is replayed as it was', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const path = `/o/${org.organisationId}/protocols/http/connectors`;
    const keyed = (key: string, name: string) =>
      s.send('POST', path, org.apiKey, connectorBody(name), undefined, { 'idempotency-key': key });
    const first = await keyed('k1', 'c1');
    expectCreated(first);
    expect(await keyed('k1', 'c1')).toEqual(first);
    expectCreated(await keyed('k2', 'c2'));
    expectCreated(await keyed('k3', 'c3'));
    expect(await connectorCount(org.organisationId)).toBe(3);

    const refused = await keyed('k4', 'c4');
    expectQuota(refused, 'connectorsPerOrganisation');
    expect(await keyed('k4', 'c4')).toEqual(refused);
    expect(await connectorCount(org.organisationId)).toBe(3);
  });
});

describe('racing creates at the edge of a quota', () => {
  const racers = 4;
  const statuses = (sent: Sent[]) => sent.map((r) => r.status).sort();

  it('connectors: of several creates with one place left, exactly one wins', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const path = `/o/${org.organisationId}/protocols/http/connectors`;
    for (let i = 0; i < 2; i++) expectCreated(await s.send('POST', path, org.apiKey, connectorBody()));
    const sent = await Promise.all(
      Array.from({ length: racers }, (_, i) => s.send('POST', path, org.apiKey, connectorBody(`r${String(i)}`))),
    );
    expect(statuses(sent)).toEqual([201, 409, 409, 409]);
    expect(await connectorCount(org.organisationId)).toBe(3);
  });

  it('connectors of an organisation known only from an id_token (its row made by the racing requests)', async () => {
    const s = session();
    // A new ULID, from the database's own generator: no row is made for it.
    const [fresh] = await rows<{ id: string }>('SELECT gen_ulid() AS id');
    const organisationId = fresh?.id ?? '';
    const token = await idToken(organisationId);
    const path = `/o/${organisationId}/protocols/http/connectors`;
    const sent = await Promise.all(
      Array.from({ length: 5 }, (_, i) => s.send('POST', path, token, connectorBody(`r${String(i)}`))),
    );
    expect(statuses(sent)).toEqual([201, 201, 201, 409, 409]);
    expect(await connectorCount(organisationId)).toBe(3);
  });

  it('versions (creates and copies): exactly the quota', async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    for (const name of ['1', '2']) expectCreated(await s.send('POST', versions, org.apiKey, { name }));
    const sent = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        s.send('POST', versions, org.apiKey, { name: `r${String(i)}`, ...(i % 2 ? { fromVersion: '1' } : {}) }),
      ),
    );
    expect(statuses(sent)).toEqual([201, 409, 409, 409]);
    expect(await versionCount(connectorId)).toBe(3);
  });

  it('versions: of many creates and copies with one place left, exactly one is created; the others are refused and leave nothing', async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '1' }));
    for (const name of ['a1', 'a2'])
      expectCreated(await s.send('POST', `${versions}/1/actions`, org.apiKey, bareAction(name)));
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '2' }));
    // One place left (versionsPerConnector 3). Half copy version 1; half are sent with a key, so a
    // refusal must be kept for their retries like any other answer of the write.
    const racer = (i: number) =>
      s.send(
        'POST',
        versions,
        org.apiKey,
        { name: `r${String(i)}`, ...(i % 2 ? { fromVersion: '1' } : {}) },
        undefined,
        i % 4 < 2 ? { 'idempotency-key': `race-${String(i)}` } : {},
      );
    const sent = await Promise.all(Array.from({ length: 8 }, (_, i) => racer(i)));
    expect(sent.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of sent.filter((r) => r.status !== 201)) expectQuota(refused, 'versionsPerConnector');
    expect(await versionCount(connectorId)).toBe(3);
    // The refused copies' children went with their versions: only version 1's and the winner's remain.
    const winner = sent.findIndex((r) => r.status === 201);
    expect(
      await count('actions a JOIN connector_versions v ON v.id = a.version_id WHERE v.connector_id = $1', [
        connectorId,
      ]),
    ).toBe(winner % 2 ? 4 : 2);
    // A refused keyed request's retry gets its first answer back, and creates nothing.
    const keyedLoser = Array.from({ length: 8 }, (_, i) => i).find((i) => i % 4 < 2 && i !== winner) ?? 0;
    expect(await racer(keyedLoser)).toEqual(sent[keyedLoser]);
    expect(await versionCount(connectorId)).toBe(3);
  });

  it('versions of a library connector: creates racing a library import of another version, exactly the quota', async () => {
    const s = session();
    const { owner, ownerVersions, source } = await publicConnectorWithVersions(s, ['1', '2']);
    for (const name of ['1', '2']) {
      expect((await s.send('POST', `${ownerVersions}/${name}/publish`, owner.apiKey)).status).toBe(200);
    }
    const importer = await newOrganisation('quotas');
    const importOf = (version: string) =>
      `/o/${importer.organisationId}/connectors/${source}/versions/${version}/library/import`;
    const first = await s.send('POST', importOf('1'), importer.apiKey);
    expect(first.status).toBe(200);
    const libraryConnector = (first.body as { id: string }).id;
    const versions = `/o/${importer.organisationId}/connectors/${libraryConnector}/versions`;
    expectCreated(await s.send('POST', versions, importer.apiKey, { name: 'own' }));

    const sent = await Promise.all([
      s.send('POST', importOf('2'), importer.apiKey),
      ...Array.from({ length: 3 }, (_, i) => s.send('POST', versions, importer.apiKey, { name: `r${String(i)}` })),
    ]);
    expect(sent.filter((r) => r.status === 200 || r.status === 201)).toHaveLength(1);
    for (const refused of sent.filter((r) => r.status >= 300)) expectQuota(refused, 'versionsPerConnector');
    expect(await versionCount(libraryConnector)).toBe(3);
  });

  it("a version's children: exactly the quota", async () => {
    const s = session();
    const { org, connectorId, versions } = await withConnector(s);
    expectCreated(await s.send('POST', versions, org.apiKey, { name: '1' }));
    expectCreated(
      await s.send('POST', `${versions}/1/definitions`, org.apiKey, {
        definitions: [jsonDefinition('A'), jsonDefinition('B'), jsonDefinition('C')],
      }),
    );
    const sent = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        i % 2
          ? s.send('POST', `${versions}/1/actions`, org.apiKey, bareAction(`r${String(i)}`))
          : s.send('POST', `${versions}/1/definitions`, org.apiKey, { definitions: [jsonDefinition(`R${String(i)}`)] }),
      ),
    );
    expect(statuses(sent)).toEqual([201, 409, 409, 409]);
    expect(await childCount(connectorId, '1')).toBe(4);
  });

  it('API keys: exactly the quota', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const token = await idToken(org.organisationId);
    expectCreated(await s.send('POST', `/o/${org.organisationId}/api-keys`, token, { name: 'two' }));
    const sent = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        s.send('POST', `/o/${org.organisationId}/api-keys`, token, { name: `r${String(i)}` }),
      ),
    );
    expect(statuses(sent)).toEqual([201, 409, 409, 409]);
    expect(await activeKeyCount(org.organisationId)).toBe(3);
  });
});

describe('request limits', () => {
  it('refuses a tRPC batch over trpcBatchMax whole, before any work: 413 naming the limit', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const calls = 6;
    const path = `${origin}/trpc/${Array.from({ length: calls }, () => 'connectors.create').join(',')}?batch=1`;
    const input = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [String(i), connectorBody(`b${String(i)}`)]),
    );
    const refused = await s.send('POST', path, org.apiKey, input);
    expect(refused.status).toBe(413);
    const { error } = refused.body as TrpcError;
    expect(error.data).toMatchObject({
      apiCode: 'payload_too_large',
      httpStatus: 413,
      limit: { name: 'trpcBatchMax', value: 5 },
    });
    expect(error.message).toContain('trpcBatchMax');
    // Nothing written, and not one database round trip (not even the credential's lookup).
    expect(await s.databaseRequests()).toBe(0);
    expect(await connectorCount(org.organisationId)).toBe(0);

    // A batch of exactly the limit runs.
    const lists = JSON.stringify(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [String(i), {}])));
    const five = `${origin}/trpc/${Array.from({ length: 5 }, () => 'connectors.list').join(',')}?batch=1&input=${encodeURIComponent(lists)}`;
    const ran = await s.send('GET', five, org.apiKey);
    expect(ran.status).toBe(200);
    expect(ran.body).toHaveLength(5);
  });

  it('refuses a body over the overridden bodyBytes with 413 naming the limit, REST and tRPC', async () => {
    const s = session();
    const org = await newOrganisation('quotas');
    const big = JSON.stringify({ ...connectorBody(), description: 'x'.repeat(9000) });
    const rest = await s.send('POST', `/o/${org.organisationId}/protocols/http/connectors`, org.apiKey, undefined, big);
    expect(rest.status).toBe(413);
    expect(rest.body).toMatchObject({ code: 'payload_too_large', limit: { name: 'bodyBytes', value: 8192 } });
    const overTrpc = await s.send('POST', trpc('connectors.create'), org.apiKey, undefined, big);
    expect(overTrpc.status).toBe(413);
    expect(await connectorCount(org.organisationId)).toBe(0);

    // The same body under the default limit (1 MiB) gets past the size check.
    const roomy = session({});
    expect((await roomy.send('POST', trpc('connectors.create'), org.apiKey, undefined, big)).status).toBe(200);
  });
});

describe('the LIMITS var', () => {
  it.each([
    ['an unknown name', '{"connectorsPerOrganisaton": 5}'],
    ['a fixed limit', '{"pageBudgetBytes": 1024}'],
    ['zero', '{"connectorsPerOrganisation": 0}'],
    ['a fraction', '{"versionsPerConnector": 1.5}'],
    ['a string', '{"versionsPerConnector": "5"}'],
    ['not JSON', '{connectorsPerOrganisation: 5}'],
  ])('refuses every request with 500 when it holds %s', async (_, value) => {
    const testEnv: Env = { ...env, LIMITS: value };
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${origin}/health`), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'internal' });
  });
});
