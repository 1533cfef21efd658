import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrganisationCredentials } from '@connect/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, scratchDir, startHarness, type Harness, type Run } from './harness';

// Connections through the CLI as a process, against the real Worker and database: secrets go in
// from a file, and come out nowhere (not in the output for people, nor in --json).

let harness: Harness;
let org: OrganisationCredentials;
let cli: (args: string[]) => Promise<Run>;

beforeAll(async () => {
  harness = await startHarness({ CREDENTIALS_KEY: `cli:${randomBytes(32).toString('base64')}` });
  org = await harness.organisation();
  cli = (args) => runCli(args, { env: { CONNECT_URL: harness.url, CONNECT_API_KEY: org.apiKey } });
});

afterAll(async () => {
  await harness.close();
});

describe('connect connections', () => {
  it('creates from a file, lists, shows and deletes a connection, never printing its secret', async () => {
    const connector = jsonOf<{ id: string }>(
      await cli(['connectors', 'create', '--name', 'Shop', '--base-url', 'https://shop.example.com', '--json']),
    );
    const secret = `sk-${randomBytes(12).toString('hex')}`;
    const file = join(scratchDir(), 'connection.yaml');
    writeFileSync(
      file,
      [
        'name: production',
        'credentials:',
        '  action:',
        '    - authSchemeConfig: { id: key, schemeType: api-key, name: X-Api-Key, in: header }',
        `      credential: { name: key, type: string, data: { value: ${secret} } }`,
        'variables: [{ name: region, value: eu }]',
      ].join('\n'),
    );
    const created = await cli(['connections', 'create', connector.id, '--file', file]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/name\W+production/);
    expect(created.stdout).toMatch(/action\W+\w+\W+api-key\W+string\W+key/);
    expect(created.stdout + created.stderr).not.toContain(secret);

    const listed = jsonOf<{ totalCount: number; items: { id: string; name: string }[] }>(
      await cli(['connections', 'list', connector.id, '--json']),
    );
    expect(listed.totalCount).toBe(1);
    const [item] = listed.items;
    if (!item) throw new Error('expected one connection');
    const shown = await cli(['connections', 'get', connector.id, item.id, '--json']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(secret);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      name: 'production',
      variables: [{ name: 'region', value: 'eu' }],
    });

    const refused = await cli(['connections', 'create', connector.id, '--file', file]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/already exists/);
    expect(refused.stdout + refused.stderr).not.toContain(secret);

    expect((await cli(['connections', 'delete', connector.id, item.id])).code).toBe(0);
    const missing = await cli(['connections', 'get', connector.id, item.id]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/connection not found/);
  });

  it('starts an OAuth 2.0 flow (printing the authorize URL) and refuses a refresh with nothing to renew', async () => {
    const connector = jsonOf<{ id: string }>(
      await cli(['connectors', 'create', '--name', 'Crm', '--base-url', 'https://crm.example.com', '--json']),
    );
    const secret = `cs-${randomBytes(12).toString('hex')}`;
    const file = join(scratchDir(), 'oauth-connection.yaml');
    writeFileSync(
      file,
      [
        'name: crm',
        'credentials:',
        '  action:',
        '    - authSchemeConfig:',
        '        id: oauth',
        '        schemeType: oauth2',
        '        authorizeUrl: https://idp.example.com/authorize',
        '        tokenUrl: https://idp.example.com/token',
        '        scopes: [{ name: read }]',
        '        defaultScopes: [read]',
        '        grant: { grantType: authorization_code, clientId: crm-app }',
        '      credential:',
        '        name: client',
        '        type: oauth2-client',
        `        data: { clientId: crm-app, clientSecret: ${secret}, tokenUrl: https://idp.example.com/token }`,
      ].join('\n'),
    );
    const connection = jsonOf<{ id: string }>(
      await cli(['connections', 'create', connector.id, '--file', file, '--json']),
    );
    const started = await cli([
      'connections',
      'oauth2',
      'initialise',
      connector.id,
      connection.id,
      '--prompt',
      'consent',
    ]);
    expect(started.code, started.stderr).toBe(0);
    const url = new URL(started.stdout.trim().split('\n')[0] ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://idp.example.com/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'crm-app',
      scope: 'read offline_access',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('state')).toMatch(/^v1\./);
    expect(started.stdout + started.stderr).not.toContain(secret);

    // No token yet, and an authorization-code client cannot get one without the user.
    const refreshed = await cli(['connections', 'oauth2', 'refresh', connector.id, connection.id]);
    expect(refreshed.code).not.toBe(0);
    expect(refreshed.stderr).toMatch(/nothing|no OAuth 2.0 credential to refresh/);
  });
});
