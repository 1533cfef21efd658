import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Action, Connector, ConnectorVersion, Definition, Trigger, VersionDiff } from '@connect/client';
import type { OrganisationCredentials } from '@connect/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devIdentity, type DevIdentity } from '../../api/scripts/dev-identity';
import { jsonOf, runCli, scratchDir, startHarness, type Harness, type Run } from './harness';

// The CLI as users run it: a process, against the real Worker (bundled by wrangler, served by
// Miniflare) and a real database. One Worker and database serve the whole file; each test that
// needs a clean slate makes its own organisation.

const fixture = (name: string) => resolve(import.meta.dirname, 'fixtures', name);

let harness: Harness;
let org: OrganisationCredentials;
/** Runs the CLI with this test file's organisation, by environment variables. */
let cli: (args: string[], env?: Record<string, string>) => Promise<Run>;

/** A port nothing listens on (taken from the OS, then freed): a refused connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => {
    server.listen(0, '127.0.0.1', done);
  });
  const address = server.address();
  await new Promise<void>((done) => {
    server.close(() => {
      done();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Mints id_tokens the Worker accepts: API keys are managed only by a user. */
let identity: DevIdentity;

beforeAll(async () => {
  identity = await devIdentity(join(scratchDir(), 'idp-key.json'), 'https://idp.cli.test', 'connect-api');
  harness = await startHarness({
    JWT_ISSUER: identity.issuer,
    JWT_AUDIENCE: identity.audience,
    JWT_JWKS: identity.jwks,
  });
  org = await harness.organisation();
  cli = (args, env = {}) => runCli(args, { env: { CONNECT_URL: harness.url, CONNECT_API_KEY: org.apiKey, ...env } });
});

afterAll(async () => {
  await harness.close();
});

describe('configuration', () => {
  it('exits 2 with a clear message when no credential is found', async () => {
    const run = await runCli(['connectors', 'list'], { env: { CONNECT_URL: harness.url } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: no credentials: pass --api-key or --token, set CONNECT_API_KEY or CONNECT_TOKEN/,
    );
  });

  it('finds the development credentials by walking up from the working directory', async () => {
    const root = scratchDir();
    mkdirSync(join(root, '.dev'));
    const file = join(root, '.dev', 'credentials.json');
    writeFileSync(
      file,
      JSON.stringify({ organisationId: org.organisationId, apiKey: org.apiKey, idToken: 'not-used' }),
    );
    const cwd = join(root, 'a', 'b');
    mkdirSync(cwd, { recursive: true });

    const [config, listed, wrongEnv] = await Promise.all([
      runCli(['config', '--json'], { cwd, env: { CONNECT_URL: harness.url } }),
      runCli(['connectors', 'list', '--json'], { cwd, env: { CONNECT_URL: harness.url } }),
      runCli(['connectors', 'list'], { cwd, env: { CONNECT_URL: harness.url, CONNECT_API_KEY: 'ck_wrong' } }),
    ]);
    expect(jsonOf(config)).toEqual({
      url: harness.url,
      urlSource: 'CONNECT_URL',
      credential: 'apiKey',
      credentialSource: file,
    });
    expect(jsonOf<{ totalCount: number }>(listed).totalCount).toBeGreaterThanOrEqual(0);
    // The environment comes before the file: a wrong key there is used, and refused.
    expect(wrongEnv.code).toBe(1);
    expect(wrongEnv.stderr).toContain('error: missing or invalid credentials (unauthenticated, 401)');
    expect(wrongEnv.stderr).toContain(`(sent the API key from CONNECT_API_KEY to ${harness.url})`);
  });

  it('calls the URL pnpm dev saved beside its credentials, port included, when nothing else sets one', async () => {
    const root = scratchDir();
    mkdirSync(join(root, '.dev'));
    const file = join(root, '.dev', 'credentials.json');
    writeFileSync(file, JSON.stringify({ organisationId: org.organisationId, apiKey: org.apiKey, url: harness.url }));
    const [config, listed, flagWins] = await Promise.all([
      runCli(['config', '--json'], { cwd: root }),
      runCli(['connectors', 'list', '--json'], { cwd: root }),
      runCli(['config', '--json', '--url', 'http://127.0.0.1:1'], { cwd: root }),
    ]);
    expect(jsonOf<{ url: string; urlSource: string }>(config)).toMatchObject({ url: harness.url, urlSource: file });
    expect(listed.code).toBe(0);
    expect(jsonOf<{ urlSource: string }>(flagWins).urlSource).toBe('--url');
  });

  it('runs as `pnpm connect` from any folder of the clone: the caller’s folder for --file, its exit codes, no pnpm output', async () => {
    const clone = resolve(import.meta.dirname, '../../..');
    // An organisation of its own: the connector made here must not show in the other tests' lists.
    const own = await harness.organisation('pnpm');
    const pnpm = (args: string[], cwd: string) =>
      runCli(args, { cwd, viaPnpm: true, env: { CONNECT_URL: harness.url, CONNECT_API_KEY: own.apiKey } });
    const help = await pnpm(['--help'], join(clone, 'packages/db/src'));
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: connect /);
    const usage = await pnpm(['versions', 'list'], join(clone, 'apps/api'));
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toBe('error: missing the connector id: expected [connector], or --connector <id>\n');

    const connector = jsonOf<Connector>(
      await pnpm(['connectors', 'create', '--name', 'Here', '--base-url', 'https://here.example.com', '--json'], clone),
    );
    expect((await pnpm(['versions', 'create', connector.id, '1'], clone)).code).toBe(0);
    // A path relative to the folder the command was typed in.
    const created = await pnpm(
      ['definitions', 'create', connector.id, '1', '--file', 'fixtures/definitions.json', '--json'],
      join(clone, 'apps/cli/test'),
    );
    expect(created.code).toBe(0);
    expect(jsonOf<{ definitions: Definition[] }>(created).definitions.map((d) => d.name)).toEqual([
      'Order',
      'Customer',
    ]);
  });

  it('takes flags over environment variables', async () => {
    const nowhere = `http://127.0.0.1:${String(await closedPort())}`;
    const [flagWins, wrongFlag, urlFlagWins, unreachable, config] = await Promise.all([
      cli(['connectors', 'list', '--json', '--api-key', org.apiKey], { CONNECT_API_KEY: 'ck_wrong' }),
      cli(['--api-key', 'ck_wrong', 'connectors', 'list']),
      cli(['connectors', 'list', '--json', '--url', harness.url], { CONNECT_URL: nowhere }),
      cli(['connectors', 'list'], { CONNECT_URL: nowhere }),
      cli(['config', '--token', 'a-token'], { CONNECT_URL: 'http://example.test' }),
    ]);
    expect(flagWins.code).toBe(0);
    expect(wrongFlag.code).toBe(1);
    expect(wrongFlag.stderr).toContain('(sent the API key from --api-key');
    expect(urlFlagWins.code).toBe(0);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^error: cannot reach the API at ${nowhere} \\(CONNECT_URL\\): .*ECONNREFUSED`),
    );
    expect(config.stdout).toMatch(/url +│ http:\/\/example\.test \(CONNECT_URL\)/);
    expect(config.stdout).toMatch(/credential +│ token a-token… \(--token\)/);
  });

  it('exits 2 on usage errors: both credential kinds, a bad URL, a missing argument or option', async () => {
    const [both, badUrl, missingOption, missingConnector, unknown, badFile] = await Promise.all([
      cli(['connectors', 'list', '--api-key', 'a', '--token', 'b']),
      cli(['connectors', 'list', '--url', 'ftp://example.test']),
      cli(['connectors', 'create', '--name', 'Shop']),
      cli(['versions', 'get']),
      cli(['connectors', 'frobnicate']),
      cli(['actions', 'create', '01M8G6142BRGVVRF91WDBAQ7NB', '1.0.0', '--file', fixture('no-such-file.yaml')]),
    ]);
    expect([both.code, both.stderr]).toEqual([2, 'error: give either --api-key or --token, not both\n']);
    expect([badUrl.code, badUrl.stderr]).toEqual([
      2,
      'error: --url must be an http or https URL: ftp://example.test\n',
    ]);
    expect(missingOption.code).toBe(2);
    expect(missingOption.stderr).toContain("required option '--base-url <url>' not specified");
    expect(missingConnector.code).toBe(2);
    expect(missingConnector.stderr).toContain('missing the connector id');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toMatch(/^error: cannot read .*no-such-file\.yaml: ENOENT/);
  });
});

describe('api-keys', () => {
  it('creates a key (its secret shown once), lists keys without secrets, and revokes one; only a user may', async () => {
    const token = await identity.mint(org.organisationId, 1);
    const asUser = { CONNECT_URL: harness.url, CONNECT_TOKEN: token };
    const created = await runCli(['api-keys', 'create', '--name', 'ci', '--json'], { env: asUser });
    expect(created.code).toBe(0);
    const key = jsonOf<{ id: string; key: string; name: string }>(created);
    expect(key.name).toBe('ci');
    const table = await runCli(['api-keys', 'create', '--name', 'people'], { env: asUser });
    expect(table.stdout).toMatch(/key +│ ck_/);
    expect(table.stderr).toContain('shown only this once');

    // The new key works at once.
    expect(
      (await runCli(['connectors', 'list'], { env: { CONNECT_URL: harness.url, CONNECT_API_KEY: key.key } })).code,
    ).toBe(0);
    const listed = await runCli(['api-keys', 'list'], { env: asUser });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`│ ${key.id} │ ci +│ ck_\\S+ +│ active`));
    expect(listed.stdout).not.toContain(key.key);

    expect((await runCli(['api-keys', 'revoke', key.id], { env: asUser })).stderr).toBe(`revoked API key ${key.id}\n`);
    const afterRevoke = jsonOf<{ items: { id: string; revokedAt: string | null }[] }>(
      await runCli(['api-keys', 'list', '--json'], { env: asUser }),
    );
    expect(afterRevoke.items.find((item) => item.id === key.id)?.revokedAt).not.toBeNull();

    // With an API key: refused by the API, in its words.
    const withKey = await cli(['api-keys', 'list']);
    expect(withKey.code).toBe(1);
    expect(withKey.stderr).toMatch(
      /^error: API keys are managed with a user token, not with an API key \(permission_denied, 403\)/,
    );
  });

  it('takes the id_token pnpm dev saved for api-keys commands, and the API key for the rest', async () => {
    const root = scratchDir();
    mkdirSync(join(root, '.dev'));
    const file = join(root, '.dev', 'credentials.json');
    const token = await identity.mint(org.organisationId, 1);
    writeFileSync(
      file,
      JSON.stringify({ organisationId: org.organisationId, apiKey: org.apiKey, idToken: token, url: harness.url }),
    );
    expect((await runCli(['api-keys', 'list'], { cwd: root })).code).toBe(0);
    expect(jsonOf<{ credential: string }>(await runCli(['config', '--json'], { cwd: root })).credential).toBe('apiKey');
  });
});

describe('with a connector', () => {
  let connectorId: string;

  it('creates, lists and shows connectors, as tables and as JSON', async () => {
    const created = jsonOf<Connector>(
      await cli(['connectors', 'create', '--name', 'Shop', '--base-url', 'https://shop.example.com', '--json']),
    );
    expect(created).toMatchObject({
      name: 'Shop',
      baseUrl: 'https://shop.example.com',
      protocol: 'http',
      versions: [],
    });
    connectorId = created.id;

    const table = await cli([
      'connectors',
      'create',
      '--name',
      'Warehouse',
      '--base-url',
      'https://warehouse.example.com',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/name +│ Warehouse/);
    expect(table.stderr).toMatch(/^created connector [0-9A-Z]{26}\n$/);

    const [list, json, first, all, got, shown] = await Promise.all([
      cli(['connectors', 'list']),
      cli(['connectors', 'list', '--json']),
      cli(['connectors', 'list', '--first', '1']),
      cli(['connectors', 'list', '--first', '1', '--all', '--json']),
      cli(['connectors', 'get', connectorId, '--json']),
      cli(['connectors', 'get', connectorId]),
    ]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/│ id +│ name +│ base URL +│ versions +│/);
    expect(list.stdout).toMatch(new RegExp(`│ ${connectorId} │ Shop +│ https://shop\\.example\\.com +│ 0 +│`));
    expect(list.stderr).toBe('2 of 2\n');

    // --json prints exactly what the API answered.
    const page = jsonOf<{ totalCount: number; connectors: Connector[] }>(json);
    expect(page.totalCount).toBe(2);
    expect(page.connectors.find((connector) => connector.id === connectorId)).toEqual(created);

    expect(first.stderr).toMatch(/^1 of 2 — next page: --after \S+ \(or --all\)\n$/);
    expect(jsonOf<{ totalCount: number; connectors: Connector[] }>(all).connectors).toHaveLength(2);
    expect(jsonOf<Connector>(got)).toEqual(created);
    expect(shown.stdout).toMatch(/base URL +│ https:\/\/shop\.example\.com/);
  });

  it('prints the API’s message and each field error, and exits 1, on a 400', async () => {
    const [run, reserved, missing] = await Promise.all([
      cli(['connectors', 'create', '--name', ' ', '--base-url', 'not-a-url']),
      cli(['versions', 'create', connectorId, 'latest']),
      cli(['versions', 'get', connectorId, '9.9.9']),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: the request is not valid (invalid_argument, 400)\n  name: must not be empty\n  baseUrl: must be an http or https URL\n',
    );
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toContain(
      '  name: "latest" and "default" are reserved and cannot be used as a version name\n',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*\(not_found, 404\)\n$/);
  });

  it('passes entity tags: get --etag prints the tag, --if-match refuses a stale one and changes nothing', async () => {
    const c = jsonOf<Connector>(
      await cli(['connectors', 'create', '--name', 'Tagged', '--base-url', 'https://tagged.example.com', '--json']),
    ).id;
    expect((await cli(['versions', 'create', c, '1', '--description', 'one'])).code).toBe(0);
    const first = await cli(['versions', 'get', c, '1', '--etag']);
    expect(first.code).toBe(0);
    const tag = first.stdout.trim();
    expect(tag).toMatch(/^[0-9a-f]{32}$/);
    expect((await cli(['versions', 'get', c, '1'])).stderr).toBe(`etag ${tag}\n`);

    expect((await cli(['versions', 'update', c, '1', '--description', 'two', '--if-match', tag])).code).toBe(0);
    // A tag copied from an HTTP ETag header (quoted) is taken as well.
    const stale = await cli(['versions', 'update', c, '1', '--description', 'lost', '--if-match', `"${tag}"`]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/\(failed_precondition, 412\)/);
    expect(jsonOf<ConnectorVersion>(await cli(['versions', 'get', c, '1', '--json'])).description).toBe('two');

    const current = (await cli(['versions', 'get', c, '1', '--etag'])).stdout.trim();
    expect((await cli(['versions', 'create', c, '2', '--from', '1', '--if-match', tag])).code).toBe(1);
    expect((await cli(['versions', 'create', c, '2', '--from', '1', '--if-match', current])).code).toBe(0);
    expect((await cli(['versions', 'create', c, '3', '--if-match', current])).code).toBe(2);
    expect((await cli(['versions', 'publish', c, '2', '--if-match', tag])).code).toBe(1);
    expect((await cli(['versions', 'delete', c, '2', '--if-match', tag])).code).toBe(1);
    expect(jsonOf<ConnectorVersion>(await cli(['versions', 'get', c, '2', '--json'])).publishedAt).toBeNull();
    expect((await cli(['definitions', 'delete', c, '1', 'A', 'B', '--if-match', tag])).code).toBe(2);
  });

  it('creates and lists versions (connector as an argument or --connector)', async () => {
    const created = jsonOf<ConnectorVersion>(
      await cli(['versions', 'create', connectorId, '1.0.0', '--description', 'first cut', '--json']),
    );
    expect(created).toMatchObject({ name: '1.0.0', description: 'first cut', publishedAt: null, isLatest: false });

    const [table, page, got] = await Promise.all([
      cli(['versions', 'list', connectorId]),
      cli(['versions', 'list', '--connector', connectorId, '--json']),
      cli(['versions', 'get', '1.0.0', '-c', connectorId, '--json']),
    ]);
    expect(table.stdout).toMatch(/│ 1\.0\.0 │ draft +│/);
    expect(jsonOf(page)).toEqual({ totalCount: 1, items: [created] });
    expect(jsonOf<ConnectorVersion>(got)).toEqual(created);
  });

  it('replaces tags and categories, and lists connectors by name, tags and category', async () => {
    const c = jsonOf<Connector>(
      await cli(['connectors', 'create', '--name', 'Labelled Shop', '--base-url', 'https://l.example.com', '--json']),
    ).id;
    const tagged = await cli(['connectors', 'tags', c, 'env:prod', 'env:eu', 'team']);
    expect(tagged.code).toBe(0);
    expect(tagged.stderr).toMatch(/^tags of [0-9A-Z]{26} replaced \(etag [0-9a-f]{32}\)\n$/);
    expect((await cli(['connectors', 'categories', c, 'ERP', 'AI/LLMs'])).code).toBe(0);
    expect(jsonOf<Connector>(await cli(['connectors', 'get', c, '--json']))).toMatchObject({
      tags: { env: ['prod', 'eu'], team: [] },
      categories: ['ERP', 'AI/LLMs'],
    });
    const listed = await cli([
      'connectors',
      'list',
      '--name',
      'labelled',
      '--tags',
      'env:eu,team',
      '--category',
      'ERP',
      '--category',
      'AI/LLMs',
      '--json',
    ]);
    expect(jsonOf<{ connectors: Connector[] }>(listed).connectors.map((x) => x.id)).toEqual([c]);
    const none = await cli(['connectors', 'list', '--name', 'labelled', '--category', 'HR', '--json']);
    expect(jsonOf<{ connectors: Connector[] }>(none).connectors).toEqual([]);
    const wrong = await cli(['connectors', 'categories', c, 'Gardening']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('  categories[0]: must be one of:');
  });

  it('takes version names of any text (spaces, slashes) as arguments, and copies between them', async () => {
    const c = jsonOf<Connector>(
      await cli(['connectors', 'create', '--name', 'Names', '--base-url', 'https://names.example.com', '--json']),
    ).id;
    expect((await cli(['versions', 'create', c, '2024-01 beta'])).code).toBe(0);
    expect((await cli(['versions', 'create', c, 'team/a', '--from', '2024-01 beta'])).code).toBe(0);
    expect(jsonOf<ConnectorVersion>(await cli(['versions', 'get', c, 'team/a', '--json'])).name).toBe('team/a');
    const table = await cli(['versions', 'list', c]);
    expect(table.stdout).toMatch(/│ 2024-01 beta │ draft +│/);
    expect(table.stdout).toMatch(/│ team\/a +│ draft +│/);
    const refused = await cli(['versions', 'create', c, ' padded']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('  name: must not start or end with white space\n');
  });

  it('creates definitions, actions and triggers from JSON and YAML files; lists, shows and deletes them', async () => {
    const v = [connectorId, '1.0.0'];
    // Definitions: a JSON list, and the YAML { definitions: [...] } form.
    const [fromJson, fromYaml] = await Promise.all([
      cli(['definitions', 'create', ...v, '--file', fixture('definitions.json'), '--json']),
      cli(['definitions', 'create', '--connector', connectorId, '1.0.0', '-f', fixture('more-definitions.yaml')]),
    ]);
    expect(jsonOf<{ definitions: Definition[] }>(fromJson).definitions.map((d) => d.name)).toEqual([
      'Order',
      'Customer',
    ]);
    expect(fromYaml.code).toBe(0);
    expect(fromYaml.stdout).toMatch(/│ Scratch +│ application\/json, application\/xml │/);
    expect(fromYaml.stderr).toBe('created 2 definition(s)\n');

    // Actions and triggers: from JSON and from YAML files (`type` may be left out), and from stdin.
    const created = await Promise.all([
      cli(['actions', 'create', ...v, '--file', fixture('get-order.json')]),
      cli(['actions', 'create', ...v, '--file', fixture('create-order.yaml')]),
      cli(['triggers', 'create', ...v, '--file', fixture('order-created.yaml')]),
      cli(['triggers', 'create', ...v, '--file', fixture('order-shipped.json')]),
      runCli(['actions', 'create', ...v, '-f', '-'], {
        env: { CONNECT_URL: harness.url, CONNECT_API_KEY: org.apiKey },
        stdin: 'name: scratch\nmethod: DELETE\npath: /scratch\nresponses: [{status: 204}]\n',
      }),
    ]);
    for (const run of created) expect(run.code, run.stderr).toBe(0);
    expect(created[1].stderr).toBe('created action createOrder\n');

    const [getOrder, createOrder, actions, actionPage, filtered, triggers, orderShipped, definitions, order, inUse] =
      await Promise.all([
        cli(['actions', 'get', ...v, 'getOrder', '--json']),
        cli(['actions', 'get', ...v, 'createOrder']),
        cli(['actions', 'list', ...v]),
        cli(['actions', 'list', ...v, '--json']),
        cli(['actions', 'list', ...v, '--name', 'GET', '--json']),
        cli(['triggers', 'list', ...v, '--json']),
        cli(['triggers', 'get', ...v, 'orderShipped', '--json']),
        cli(['definitions', 'list', ...v]),
        cli(['definitions', 'get', ...v, 'Order']),
        cli(['definitions', 'delete', ...v, 'Order']),
      ]);
    expect(jsonOf<Action>(getOrder)).toMatchObject({
      name: 'getOrder',
      type: 'http',
      method: 'GET',
      path: '/orders/{{ param.id }}',
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
      responses: [{ status: 200, definitions: [{ definition: { name: 'Order' } }] }],
    });
    expect(createOrder.stdout).toMatch(/request body +│ required: Order/);
    expect(createOrder.stdout).toMatch(/responses +│ 201 → Order/);
    expect(actions.stdout).toMatch(
      /│ getOrder +│ GET +│ \/orders\/\{\{ param\.id \}\} +│ Read an order +│ 200 → Order +│ 0 +│/,
    );
    expect(actions.stdout).toMatch(/│ createOrder +│ POST +│ \/orders +│/);
    expect(actions.stderr).toBe('3 of 3\n');
    expect(
      jsonOf<{ actions: Action[] }>(actionPage)
        .actions.map((a) => a.name)
        .sort(),
    ).toEqual(['createOrder', 'getOrder', 'scratch']);
    expect(jsonOf<{ actions: Action[] }>(filtered).actions.map((a) => a.name)).toEqual(['getOrder']);
    expect(
      jsonOf<{ triggers: Trigger[] }>(triggers)
        .triggers.map((t) => t.name)
        .sort(),
    ).toEqual(['orderCreated', 'orderShipped']);
    expect(jsonOf<Trigger>(orderShipped)).toMatchObject({
      name: 'orderShipped',
      method: 'POST',
      responses: [{ status: 204, definitions: [] }],
    });
    expect(definitions.stdout).toMatch(
      /│ Customer +│ application\/json +│ application\/schema\+json +│ definition Order +│/,
    );
    expect(order.stdout).toMatch(/used by +│ action createOrder/);
    expect(order.stdout).toContain(
      '{"type":"object","properties":{"id":{"type":"string"},"customer":{"$ref":"#/$defs/Customer"}}}\n',
    );
    // A definition in use is not deleted: the refusal names what refers to it.
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('(failed_precondition, 412)');
    expect(inUse.stderr).toContain('  Order: used by action createOrder, action getOrder, trigger orderCreated\n');

    const [deletedTrigger, deletedDefinition, deletedAction] = await Promise.all([
      cli(['triggers', 'delete', ...v, 'orderShipped']),
      cli(['definitions', 'delete', ...v, 'Scratch', '--json']),
      cli(['actions', 'delete', ...v, 'scratch']),
    ]);
    expect([deletedTrigger.code, deletedTrigger.stdout, deletedTrigger.stderr]).toEqual([
      0,
      '',
      'deleted trigger orderShipped\n',
    ]);
    expect([deletedDefinition.code, deletedDefinition.stdout, deletedDefinition.stderr]).toEqual([0, '', '']);
    expect(deletedAction.stderr).toBe('deleted action scratch\n');

    const [gone, left] = await Promise.all([
      cli(['triggers', 'get', ...v, 'orderShipped']),
      cli(['definitions', 'list', ...v, '--json']),
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('error: trigger "orderShipped" not found (not_found, 404)\n');
    expect(
      jsonOf<{ definitions: Definition[] }>(left)
        .definitions.map((d) => d.name)
        .sort(),
    ).toEqual(['Customer', 'Obsolete', 'Order']);
  });

  it('diffs a version copied with --from and changed: added, removed and changed children', async () => {
    const published = jsonOf<{ version: ConnectorVersion }>(
      await cli(['versions', 'publish', connectorId, '1.0.0', '--json']),
    );
    expect(published.version).toMatchObject({ name: '1.0.0', isLatest: true, isDefault: true });
    const copy = await cli(['versions', 'create', connectorId, '1.1.0', '--from', '1.0.0']);
    expect(copy.stderr).toBe('created version 1.1.0 from 1.0.0\n');
    const v = [connectorId, '1.1.0'];

    // An unchanged copy: nothing to show.
    const [same, read] = await Promise.all([
      cli(['versions', 'diff', connectorId, '1.0.0', '1.1.0']),
      cli(['actions', 'get', ...v, 'createOrder', '--json']),
    ]);
    expect(same.stdout).toBe('1.0.0 and 1.1.0 have the same actions, triggers and definitions\n');

    const dir = scratchDir();
    // createOrder changed from its own JSON (as `get --json` printed it, edited): method and responses.
    const createOrder = jsonOf<Action>(read);
    writeFileSync(
      join(dir, 'create-order.json'),
      JSON.stringify({ ...createOrder, method: 'PUT', responses: [...createOrder.responses, { status: 409 }] }),
    );
    // A new action and trigger, a removed definition, a changed schema.
    writeFileSync(
      join(dir, 'list-orders.yaml'),
      'name: listOrders\nmethod: GET\npath: /orders\nresponses:\n  - status: 200\n',
    );
    writeFileSync(
      join(dir, 'cancelled.json'),
      JSON.stringify({ name: 'orderCancelled', method: 'POST', responses: [{ status: 200 }] }),
    );
    writeFileSync(
      join(dir, 'customer.yaml'),
      'accept: [application/json]\nschema:\n  contentType: application/schema+json\n  content: \'{"type":"object","required":["id"]}\'\n',
    );
    const changes = await Promise.all([
      cli(['actions', 'update', ...v, 'createOrder', '-f', join(dir, 'create-order.json')]),
      cli(['actions', 'create', ...v, '-f', join(dir, 'list-orders.yaml')]),
      cli(['triggers', 'create', ...v, '-f', join(dir, 'cancelled.json')]),
      cli(['definitions', 'delete', ...v, 'Obsolete']),
      cli(['definitions', 'update', ...v, 'Customer', '-f', join(dir, 'customer.yaml')]),
    ]);
    for (const run of changes) expect(run.code, run.stderr).toBe(0);

    // `latest` is 1.0.0 (the only published version); --json gives the server's diff as it came.
    const [text, json, breaking] = await Promise.all([
      cli(['versions', 'diff', connectorId, '1.0.0', '1.1.0']),
      cli(['versions', 'diff', '--connector', connectorId, 'latest', '1.1.0', '--json']),
      cli(['versions', 'diff', connectorId, '1.0.0', '1.1.0', '--breaking']),
    ]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '+ /actions/listOrders',
        expect.stringMatching(/^~ \/actions\/createOrder\/method BREAKING: /),
        '+ /actions/createOrder/responses/409',
        '+ /triggers/orderCancelled',
        expect.stringMatching(/^- \/definitions\/Obsolete BREAKING: /),
      ]),
    );
    expect(lines.at(-1)).toMatch(/^1\.0\.0 → 1\.1\.0: \d+ changes, \d+ breaking; suggested bump: major$/);

    const diff = jsonOf<VersionDiff>(json);
    expect(diff).toMatchObject({ from: '1.0.0', to: '1.1.0', breaking: true, suggestedBump: 'major' });
    expect(diff.changes.map((change) => change.pointer)).toEqual(
      expect.arrayContaining(['/actions/listOrders', '/actions/createOrder/method', '/definitions/Obsolete']),
    );
    const breakingLines = breaking.stdout.trimEnd().split('\n');
    expect(breakingLines.filter((line) => /^[-+~] /.test(line)).every((line) => line.includes(' BREAKING: '))).toBe(
      true,
    );
    expect(breakingLines.at(-1)).toMatch(/^1\.0\.0 → 1\.1\.0: \d+ breaking; suggested bump: major$/);
  });

  it('exports a version as an OpenAPI 3.1 document: JSON to standard output, YAML to a file', async () => {
    const run = await cli(['versions', 'export', connectorId, '1.0.0']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { openapi: string; info: { version: string }; paths: object };
    expect(document).toMatchObject({ openapi: '3.1.0', info: { version: '1.0.0' } });
    expect(JSON.stringify(document.paths)).toContain('"operationId":"createOrder"');
    const file = join(scratchDir(), 'exported.yaml');
    const written = await cli(['versions', 'export', connectorId, '1.0.0', '--yaml', '--output', file]);
    expect(written.code).toBe(0);
    expect(written.stderr).toBe(`wrote ${file}\n`);
    expect(parse(readFileSync(file, 'utf8'))).toEqual(document);
    const missing = await cli(['versions', 'export', connectorId, 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\(not_found, 404\)/);
  });

  it('publishes, sets the default, refuses to unpublish the default, and deletes with --force', async () => {
    const c = connectorId;
    const [publish, draft] = await Promise.all([
      cli(['versions', 'publish', c, '1.1.0']),
      cli(['versions', 'create', c, '2.0.0']),
    ]);
    expect(publish.stderr).toBe('published 1.1.0\n');
    expect(draft.code).toBe(0);

    const [twice, latest, setDefault, incomplete] = await Promise.all([
      cli(['versions', 'publish', c, '1.1.0']),
      cli(['versions', 'get', c, 'latest', '--json']),
      cli(['versions', 'set-default', c, '1.0.0']),
      runCli(['actions', 'create', c, '2.0.0', '--file', '-'], {
        env: { CONNECT_URL: harness.url, CONNECT_API_KEY: org.apiKey },
        stdin: '{"name": "noResponse", "method": "GET", "path": "/nothing"}',
      }),
    ]);
    expect(incomplete.code).toBe(0);
    expect([twice.code, twice.stderr]).toEqual([
      1,
      'error: the version is already published (version_published, 409)\n',
    ]);
    expect(jsonOf<ConnectorVersion>(latest).name).toBe('1.1.0');
    expect([setDefault.code, setDefault.stderr]).toEqual([0, '1.0.0 is now the default version\n']);

    const [fallback, list, refused, notForced, unpublishable] = await Promise.all([
      cli(['versions', 'get', c, 'default', '--json']),
      cli(['versions', 'list', c]),
      cli(['versions', 'unpublish', c, '1.0.0']),
      cli(['versions', 'delete', c, '1.1.0']),
      cli(['versions', 'publish', c, '2.0.0']),
    ]);
    expect(jsonOf<ConnectorVersion>(fallback).name).toBe('1.0.0');
    expect(list.stdout).toMatch(/│ 1\.0\.0 │ published │ — +│ yes +│/);
    expect(list.stdout).toMatch(/│ 1\.1\.0 │ published │ yes +│ — +│/);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: the version is the connector’s default; choose another default first (version_is_default, 409)\n',
    );
    expect(notForced.code).toBe(1);
    expect(notForced.stderr).toBe('error: the version is published; delete it with --force (version_published, 409)\n');
    // Why a version cannot be published: the API's messages, one a line.
    expect(unpublishable.code).toBe(1);
    expect(unpublishable.stderr).toBe(
      'error: the version cannot be published as it is (invalid_argument, 400)\n  error: action "noResponse" has no response\n',
    );

    const [forced, draftDeleted] = await Promise.all([
      cli(['versions', 'delete', c, '1.1.0', '--force', '--json']),
      // A draft goes without --force.
      cli(['versions', 'delete', c, '2.0.0']),
    ]);
    expect([forced.code, forced.stdout, forced.stderr]).toEqual([0, '', '']);
    expect([draftDeleted.code, draftDeleted.stderr]).toEqual([0, 'deleted version 2.0.0\n']);
    const left = jsonOf<{ items: ConnectorVersion[] }>(await cli(['versions', 'list', c, '--json']));
    expect(left.items.map((version) => version.name)).toEqual(['1.0.0']);

    // Once it is no longer the chosen default, it can be unpublished.
    expect((await cli(['versions', 'update', c, '1.0.0', '--no-default'])).code).toBe(0);
    const unpublished = jsonOf<{ version: ConnectorVersion }>(
      await cli(['versions', 'unpublish', c, '1.0.0', '--json']),
    );
    expect(unpublished.version.publishedAt).toBeNull();
  });
});

describe('version intelligence', () => {
  /** A connector (with `flags` on create) whose version 1.0.0, with actions getOrder and listOrders, is published. */
  async function publishedConnector(flags: string[] = []): Promise<string> {
    const created = await cli([
      'connectors',
      'create',
      '--name',
      'Intel',
      '--base-url',
      'https://i.example.com',
      ...flags,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const c = jsonOf<Connector>(created).id;
    expect((await cli(['versions', 'create', c, '1.0.0'])).code).toBe(0);
    const dir = scratchDir();
    for (const name of ['getOrder', 'listOrders']) {
      writeFileSync(
        join(dir, `${name}.yaml`),
        `name: ${name}\nmethod: GET\npath: /${name}\nresponses:\n  - status: 200\n`,
      );
      expect((await cli(['actions', 'create', c, '1.0.0', '-f', join(dir, `${name}.yaml`)])).code).toBe(0);
    }
    expect((await cli(['versions', 'publish', c, '1.0.0'])).code).toBe(0);
    return c;
  }

  it('publishes under the backward policy only what keeps callers working; --dry-run says so first', async () => {
    const c = await publishedConnector(['--compatibility-policy', 'backward']);
    expect(
      (
        await cli([
          'connectors',
          'create',
          '--name',
          'x',
          '--base-url',
          'https://x.example.com',
          '--compatibility-policy',
          'sideways',
        ])
      ).code,
    ).toBe(2);
    expect((await cli(['versions', 'create', c, '1.1.0', '--from', '1.0.0'])).code).toBe(0);
    expect((await cli(['actions', 'delete', c, '1.1.0', 'getOrder'])).code).toBe(0);

    const dry = await cli(['versions', 'publish', c, '1.1.0', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('- /actions/getOrder BREAKING: ');
    expect(dry.stdout).toContain('compatibility policy backward: refused (1 breaking)');
    // --json prints the whole answer, and still exits 1: a script can branch on either.
    const dryJson = await cli(['versions', 'publish', c, '1.1.0', '--dry-run', '--json']);
    expect(dryJson.code).toBe(1);
    expect(JSON.parse(dryJson.stdout)).toMatchObject({ publishable: false, compatibility: { breakingCount: 1 } });

    const refused = await cli(['versions', 'publish', c, '1.1.0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(compatibility_breaking, 409\)\n {2}- \/actions\/getOrder BREAKING: /);

    // With the policy set to none, the same version publishes.
    const policy = await cli(['connectors', 'policy', c, 'none']);
    expect([policy.code, policy.stderr]).toEqual([0, `compatibility policy of ${c}: none\n`]);
    const fine = await cli(['versions', 'publish', c, '1.1.0', '--dry-run']);
    expect([fine.code, fine.stdout.includes('compatibility policy none: not judged')]).toEqual([0, true]);
    expect((await cli(['versions', 'publish', c, '1.1.0'])).stderr).toBe('published 1.1.0\n');
  });

  it('deprecates and undeprecates a version, and lists by deprecation', async () => {
    const c = await publishedConnector();
    const deprecated = await cli([
      'versions',
      'deprecate',
      c,
      '1.0.0',
      '--sunset',
      '2027-01-01T00:00:00Z',
      '--message',
      'use 2.0.0',
      '--json',
    ]);
    expect(deprecated.code, deprecated.stderr).toBe(0);
    expect(jsonOf<ConnectorVersion>(deprecated)).toMatchObject({
      sunsetAt: '2027-01-01T00:00:00.000Z',
      deprecationMessage: 'use 2.0.0',
    });
    expect((await cli(['versions', 'deprecate', c, '1.0.0', '--at', 'soon'])).code).toBe(2);
    const table = await cli(['versions', 'list', c, '--deprecated']);
    expect(table.stdout).toMatch(/│ 1\.0\.0 │ deprecated │/);
    expect(jsonOf<{ items: unknown[] }>(await cli(['versions', 'list', c, '--no-deprecated', '--json'])).items).toEqual(
      [],
    );
    const shown = await cli(['versions', 'get', c, '1.0.0']);
    expect(shown.stdout).toMatch(/sunset +│ 2027-01-01 00:00:00Z/);

    const undone = await cli(['versions', 'undeprecate', c, '1.0.0']);
    expect([undone.code, undone.stderr]).toEqual([0, '1.0.0 is no longer deprecated\n']);
    expect(jsonOf<ConnectorVersion>(await cli(['versions', 'get', c, '1.0.0', '--json'])).deprecatedAt).toBeNull();
  });

  it('lists the public library and imports a published version into another organisation', async () => {
    const name = `Library ${String(Date.now())}`;
    // A later --name wins over the helper's.
    const c = await publishedConnector(['--public', '--name', name]);
    const other = await harness.organisation();
    const asOther = (args: string[]) =>
      runCli(args, { env: { CONNECT_URL: harness.url, CONNECT_API_KEY: other.apiKey } });
    const listed = await asOther(['library', 'list', '--name', name]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(c);
    const imported = await asOther(['library', 'import', c, 'latest', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const copy = jsonOf<Connector>(imported);
    expect(copy.organisationId).toBe(other.organisationId);
    expect(copy.versions.map((v) => [v.name, v.publishedAt])).toEqual([['1.0.0', null]]);
    const again = await asOther(['library', 'import', c, '1.0.0']);
    expect([again.code, again.stderr.includes('already_exists, 409')]).toEqual([1, true]);
  });

  it('creates, lists and deletes subscriptions; a subscribed version cannot be unpublished', async () => {
    const c = await publishedConnector();
    const made = await cli([
      'subscriptions',
      'create',
      c,
      'latest',
      '--subscriber',
      'switchboard',
      '--description',
      'board 7',
    ]);
    expect([made.code, made.stderr]).toEqual([0, 'subscribed switchboard to 1.0.0\n']);
    const again = await cli(['subscriptions', 'create', c, '1.0.0', '--subscriber', 'switchboard', '--json']);
    const { subscription } = jsonOf<{ subscription: { id: string }; created: boolean }>(again);
    expect((await cli(['subscriptions', 'list', c, '1.0.0'])).stdout).toMatch(/switchboard +│ 1\.0\.0 +│ board 7/);
    const unpublish = await cli(['versions', 'unpublish', c, '1.0.0']);
    expect([unpublish.code, unpublish.stderr.includes('version_subscribed, 409')]).toEqual([1, true]);
    const deleted = await cli(['subscriptions', 'delete', c, '1.0.0', subscription.id]);
    expect([deleted.code, deleted.stderr]).toEqual([0, `deleted subscription ${subscription.id}\n`]);
    expect(jsonOf<{ totalCount: number }>(await cli(['subscriptions', 'list', c, '1.0.0', '--json'])).totalCount).toBe(
      0,
    );
    expect((await cli(['subscriptions', 'create', c, '1.0.0'])).code).toBe(2);
  });
});
