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
});
