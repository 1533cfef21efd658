import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { json, organisation, restRoot, rows } from './helpers';
import { seedChildren, versionId } from './seed-children';
import { idToken } from './support/id-tokens';

const statementTimeout = "SELECT set_config('statement_timeout', $1, true)";

interface RequestLog {
  requests: number;
  statements: string[];
}

/**
 * Sends one request to the Worker with its own `application_name` in DATABASE_URL, and returns
 * what the local SQL endpoint received under that name: every database round trip it made.
 */
async function roundTrips(
  method: string,
  path: string,
  apiKey: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const tag = `round-trips-${crypto.randomUUID()}`;
  // A key cache long enough that it cannot lapse during the test.
  const taggedEnv = {
    ...env,
    DATABASE_URL: `${env.DATABASE_URL}?application_name=${tag}`,
    API_KEY_CACHE_SECONDS: '600',
  };
  const request = new Request(`${restRoot}${path}`, {
    method,
    headers: { ...headers, authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, taggedEnv, ctx);
  await waitOnExecutionContext(ctx);
  const log = await json<RequestLog>(await fetch(`${env.SQL_ENDPOINT_URL}/requests?application_name=${tag}`));
  return { status: response.status, log, answer: await response.text() };
}

describe('database round trips', () => {
  it('is exactly one per operation once the key is known to the isolate', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const source = await org.connector('source');
    await org.createVersion(source, { name: '1' });
    await seedChildren(await versionId(source, '1'));
    const [order] = await rows<{ id: string }>(`SELECT id FROM definitions WHERE version_id = $1 AND name = 'Order'`, [
      await versionId(source, '1'),
    ]);
    const v1 = `${o}/connectors/${source}/versions/1`;
    const action = {
      type: 'http',
      name: 'rt',
      method: 'GET',
      path: '/rt',
      parameters: [],
      responses: [{ status: 200, definitions: [{ definition: { name: 'Order' } }] }],
    };
    const trigger = { type: 'http', name: 'rt', method: 'POST', parameters: [], responses: [{ status: 204 }] };
    const definition = {
      name: 'New',
      accept: ['text/csv'],
      schema: { contentType: 'application/schema+json', content: '{"$ref":"#/$defs/Order"}' },
    };
    const taken = await org.connector('taken');
    await org.createVersion(taken, { name: 'taken' });
    // A public connector with a published version of children, for the library's operations.
    const library = await org.connector('library');
    await org.createVersion(library, { name: 'lib' });
    await seedChildren(await versionId(library, 'lib'));
    await rows('UPDATE connectors SET public = true WHERE id = $1', [library]);
    await rows(`UPDATE connector_versions SET published_at = now() WHERE connector_id = $1 AND name = 'lib'`, [
      library,
    ]);

    const operations: [string, string, string, unknown?][] = [
      ['create connector', 'POST', `${o}/protocols/http/connectors`, { name: 'rt', baseUrl: 'https://rt.example.com' }],
      ['list connectors', 'GET', `${o}/connectors?first=5`],
      ['get connector', 'GET', `${o}/connectors/${source}`],
      ['create version', 'POST', `${o}/connectors/${source}/versions`, { name: '2' }],
      [
        'create version from another, with children',
        'POST',
        `${o}/connectors/${source}/versions`,
        { name: '3', fromVersion: '1' },
      ],
      ['create version, name taken', 'POST', `${o}/connectors/${taken}/versions`, { name: 'taken' }],
      [
        'create version, unknown source',
        'POST',
        `${o}/connectors/${source}/versions`,
        { name: '4', fromVersion: 'nope' },
      ],
      ['get version', 'GET', `${o}/connectors/${source}/versions/1`],
      ['get version by alias (unknown: nothing is published yet)', 'GET', `${o}/connectors/${source}/versions/latest`],
      ['list actions', 'GET', `${v1}/actions?first=5`],
      ['get action', 'GET', `${v1}/actions/createOrder`],
      ['create action', 'POST', `${v1}/actions`, action],
      ['update action', 'PUT', `${v1}/actions/rt`, { ...action, method: 'POST' }],
      ['delete action', 'DELETE', `${v1}/actions/rt`],
      ['list triggers', 'GET', `${v1}/triggers`],
      ['get trigger', 'GET', `${v1}/triggers/orderShipped`],
      ['create trigger', 'POST', `${v1}/triggers`, trigger],
      ['update trigger', 'PUT', `${v1}/triggers/rt`, { ...trigger, method: 'PUT' }],
      ['delete trigger', 'DELETE', `${v1}/triggers/rt`],
      ['list definitions', 'GET', `${v1}/definitions?name=or`],
      ['get definition', 'GET', `${v1}/definitions/Order`],
      ['get raw schema', 'GET', `${o}/schemas/${source}/1/${order?.id ?? ''}.json`],
      ['create definitions', 'POST', `${v1}/definitions`, { definitions: [definition] }],
      ['update definition', 'PUT', `${v1}/definitions/New`, { accept: ['text/plain'] }],
      ['delete definition', 'DELETE', `${v1}/definitions/New`],
      ['delete definitions (refused: in use)', 'DELETE', `${v1}/definitions`, { names: ['Error'] }],
      ['list versions', 'GET', `${o}/connectors/${source}/versions?first=2`],
      ['update version', 'PUT', `${o}/connectors/${source}/versions/2`, { description: 'changed' }],
      ['publish version', 'POST', `${o}/connectors/${source}/versions/2/publish`],
      ['diff two versions', 'GET', `${o}/connectors/${source}/versions/1/diff/3`],
      ['deprecate version', 'PUT', `${o}/connectors/${source}/versions/2`, { deprecatedAt: '2026-01-01T00:00:00Z' }],
      ['get deprecated version (with its headers)', 'GET', `${o}/connectors/${source}/versions/2`],
      ['list actions of a deprecated version', 'GET', `${o}/connectors/${source}/versions/2/actions`],
      ['list deprecated versions', 'GET', `${o}/connectors/${source}/versions?deprecated=true`],
      ['undeprecate version', 'PUT', `${o}/connectors/${source}/versions/2`, { deprecatedAt: null }],
      ['subscribe', 'POST', `${o}/connectors/${source}/versions/2/subscriptions`, { subscriber: 'rt' }],
      ['list subscriptions', 'GET', `${o}/connectors/${source}/versions/2/subscriptions`],
      ['unpublish version (refused: subscribed)', 'POST', `${o}/connectors/${source}/versions/2/unpublish`],
      ['set the default', 'PUT', `${o}/connectors/${source}/versions/2`, { isDefault: true }],
      ['unpublish version (refused: the default)', 'POST', `${o}/connectors/${source}/versions/2/unpublish`],
      ['clear the default', 'PUT', `${o}/connectors/${source}/versions/2`, { isDefault: false }],
      ['unsubscribe', 'DELETE', `${o}/connectors/${source}/versions/2/subscriptions/SUBSCRIPTION`],
      ['unpublish version', 'POST', `${o}/connectors/${source}/versions/2/unpublish`],
      ['delete version', 'DELETE', `${o}/connectors/${source}/versions/2`],
      ['update connector', 'PUT', `${o}/connectors/${taken}`, { name: 'renamed', baseUrl: 'https://rt.example.com' }],
      ['delete connector', 'DELETE', `${o}/connectors/${taken}`],
      ['list the public library', 'GET', '/connectors?first=5'],
      ['import from the library, with children', 'POST', `${o}/connectors/${library}/versions/lib/library/import`],
      ['import from the library (refused: imported)', 'POST', `${o}/connectors/${library}/versions/lib/library/import`],
    ];
    // Warm the isolate's key cache (and its once-a-minute lastUsedAt write).
    await roundTrips('GET', `${o}/connectors?first=1`, org.apiKey);
    let subscription = '';
    for (const [label, method, template, body] of operations) {
      const path = template.replace('SUBSCRIPTION', subscription);
      const { status, log, answer } = await roundTrips(method, path, org.apiKey, body);
      if (label === 'subscribe') subscription = (JSON.parse(answer) as { id: string }).id;
      // Each operation does what it says: refusals are the labelled ones.
      if (/refused|taken|unknown/.test(label)) expect(status, label).toBeGreaterThanOrEqual(400);
      else expect(status, label).toBeLessThan(300);
      expect(status, label).toBeLessThan(500);
      // One request to the database. Changes send it as a batch in one transaction: lifecycle
      // changes as the change and a read back, children's changes with a lock on the version first,
      // a library import as the organisation's lock, the hold on its connector, the write and the
      // versions quota's recheck.
      expect(log.requests, label).toBe(1);
      // Each request starts by setting its statement timeout, in the same transaction.
      const [setting, ...statements] = log.statements;
      expect(setting, label).toBe(statementTimeout);
      expect(statements.length, label).toBeLessThanOrEqual(4);
      for (const statement of statements) expect(statement, label).not.toContain('api_keys');
    }
  });

  it('is three for a publish under the backward policy: the refused attempt, the check, the publish', async () => {
    const org = await organisation();
    const o = `/o/${org.organisationId}`;
    const connector = await org.connector();
    const versions = `${o}/connectors/${connector}/versions`;
    await roundTrips('PUT', `${o}/connectors/${connector}`, org.apiKey, {
      name: 'strict',
      baseUrl: 'https://rt.example.com',
      compatibilityPolicy: 'backward',
    });
    for (const name of ['1', '2']) await org.createVersion(connector, { name });
    const first = await roundTrips('POST', `${versions}/1/publish`, org.apiKey);
    expect(first.status).toBe(200);
    // Nothing published yet: nothing to judge, so one trip as under `none`.
    expect(first.log.requests).toBe(1);
    const second = await roundTrips('POST', `${versions}/2/publish`, org.apiKey);
    expect(second.status).toBe(200);
    expect(second.log.requests).toBe(3);
  });

  it('is still one for a request with an Idempotency-Key: the claim and the stored answer ride along', async () => {
    const org = await organisation();
    const source = await org.connector('source');
    await org.createVersion(source, { name: '1' });
    const versions = `/o/${org.organisationId}/connectors/${source}/versions`;
    const key = { 'idempotency-key': `rt-${crypto.randomUUID()}` };
    await roundTrips('GET', `/o/${org.organisationId}/connectors?first=1`, org.apiKey);

    const first = await roundTrips('POST', versions, org.apiKey, { name: '2' }, key);
    expect(first.status).toBe(201);
    expect(first.log.requests).toBe(1);
    // The statement timeout and the claim in one statement, the hold on the connector, the write,
    // then the versions quota's recheck (which locks the connector); the earlier statements keep
    // their rows for the last, which stores the answer of all.
    const [settingAndClaim, hold, write, recheck, ...rest] = first.log.statements;
    expect(settingAndClaim).toContain("set_config('statement_timeout'");
    expect(settingAndClaim).toContain('idempotency_claim');
    expect(hold).toContain('FOR KEY SHARE');
    for (const kept of [hold, write]) {
      expect(kept?.replaceAll('"', '')).not.toContain('INSERT INTO idempotency_keys');
    }
    expect(recheck?.replaceAll('"', '')).toContain('INSERT INTO idempotency_keys');
    expect(recheck).toContain('versions_quota_recheck');
    expect(rest).toEqual([]);

    // A child's change: lock, change and read-back, the last storing the answer, still in one request.
    const action = { type: 'http', name: 'rt', method: 'GET', path: '/rt', responses: [{ status: 200 }] };
    const child = await roundTrips('POST', `${versions}/1/actions`, org.apiKey, action, key);
    expect(child.status).toBe(201);
    expect(child.log.requests).toBe(1);
    expect(child.log.statements).toHaveLength(4);

    // A replay: the refused claim, then the read of the stored answer.
    const replay = await roundTrips('POST', versions, org.apiKey, { name: '2' }, key);
    expect(replay.status).toBe(201);
    expect(replay.log.requests).toBe(2);
  });

  it('is one for a page of API keys (a user with an id_token: no key lookup)', async () => {
    const org = await organisation();
    const token = await idToken(org.organisationId);
    const { status, log } = await roundTrips('GET', `/o/${org.organisationId}/api-keys?first=5`, token);
    expect(status).toBe(200);
    expect(log.requests).toBe(1);
    // The statement timeout's setting, then the page itself, in one transaction.
    expect(log.statements).toHaveLength(2);
    expect(log.statements[0]).toBe(statementTimeout);
  });

  it('looks a new key up once, and records its use off the request path', async () => {
    const org = await organisation();
    const { log } = await roundTrips('GET', `/o/${org.organisationId}/connectors`, org.apiKey);
    expect(log.requests).toBe(3);
    // Identifiers come quoted as drizzle writes them ("api_keys"."key_hash"); compared without quotes.
    const statements = log.statements.map((s) => s.replaceAll('"', ''));
    expect(statements.filter((s) => s.includes('FROM api_keys'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('UPDATE api_keys SET last_used_at'))).toHaveLength(1);
    const [key] = await rows<{ last_used_at: string | null }>(
      'SELECT last_used_at FROM api_keys WHERE organisation_id = $1',
      [org.organisationId],
    );
    expect(key?.last_used_at).not.toBeNull();
  });

  it('is none at all when the credential is malformed or the path names another organisation', async () => {
    const org = await organisation();
    expect((await roundTrips('GET', `/o/${org.organisationId}/connectors`, 'not-a-key')).log.requests).toBe(0);
    await roundTrips('GET', `/o/${org.organisationId}/connectors`, org.apiKey);
    const other = await roundTrips('GET', '/o/01ARZ3NDEKTSV4RRFFQ69G5FAV/connectors', org.apiKey);
    expect(other.status).toBe(404);
    expect(other.log.requests).toBe(0);
  });
});
