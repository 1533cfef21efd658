import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connector, ImportHttpConnectorResult } from '@connect/client';
import type { OrganisationCredentials } from '@connect/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, runCli, scratchDir, startHarness, type Harness, type Run } from './harness';

// `connect import` as users run it, against the real Worker (its R2 bucket, Miniflare's) and
// database: a file goes through an upload URL, then one import names the upload.

let harness: Harness;
let org: OrganisationCredentials;
let cli: (args: string[]) => Promise<Run>;

beforeAll(async () => {
  // Upload URLs are signed with a key derived from CREDENTIALS_KEY.
  harness = await startHarness({ CREDENTIALS_KEY: `cli:${randomBytes(32).toString('base64')}` });
  org = await harness.organisation();
  cli = (args) => runCli(args, { env: { CONNECT_URL: harness.url, CONNECT_API_KEY: org.apiKey } });
});

afterAll(async () => {
  await harness.close();
});

const shopYaml = (version: string, operations: string[]) =>
  [
    'openapi: 3.1.0',
    `info: { title: Shop, version: "${version}" }`,
    'servers: [{ url: "https://shop.example.com/v1" }]',
    'paths:',
    ...operations.flatMap((name) => [
      `  /${name}:`,
      '    get:',
      `      operationId: ${name}`,
      '      responses:',
      '        "200":',
      '          description: OK',
      '          content: { application/json: { schema: { $ref: "#/components/schemas/Order" } } }',
    ]),
    'components:',
    '  schemas:',
    '    Order: { type: object, properties: { id: { type: string } } }',
  ].join('\n');

describe('connect import', () => {
  it('uploads a file and imports it as a connector, then a second file as a version of it', async () => {
    const dir = scratchDir();
    const first = join(dir, 'shop.yaml');
    writeFileSync(first, shopYaml('1.0.0', ['listOrders']));
    const made = await cli(['import', first]);
    expect(made.code, made.stderr).toBe(0);
    // A progress line for each step, and the result for people.
    expect(made.stderr).toMatch(/uploading shop\.yaml \(0\.0 MB\)… done in [\d.]+ s/);
    expect(made.stderr).toMatch(/importing… done in [\d.]+ s/);
    expect(made.stdout).toMatch(/actions\W+1/);
    expect(made.stdout).toMatch(/definitions\W+1/);

    const listed = jsonOf<{ connectors: Connector[] }>(await cli(['connectors', 'list', '--name', 'Shop', '--json']));
    const connector = listed.connectors.find((c) => c.baseUrl === 'https://shop.example.com/v1');
    if (!connector) throw new Error('the import made no connector');
    expect(connector.versions.map((v) => v.name)).toEqual(['1.0.0']);

    const second = join(dir, 'shop-2.yaml');
    writeFileSync(second, shopYaml('2.0.0', ['listOrders', 'getOrder']));
    const added = await cli(['import', second, '--connector', connector.id, '--name', '2.0.0', '--json']);
    expect(added.code, added.stderr).toBe(0);
    // --json: the API's answer on stdout, and no progress lines on stderr.
    expect(added.stderr).toBe('');
    const result = jsonOf<ImportHttpConnectorResult>(added);
    expect(result.actions.map((a) => a.name).sort()).toEqual(['getOrder', 'listOrders']);
    const versions = await cli(['versions', 'list', connector.id, '--json']);
    expect(
      jsonOf<{ items: { name: string }[] }>(versions)
        .items.map((v) => v.name)
        .sort(),
    ).toEqual(['1.0.0', '2.0.0']);
  });

  it('refuses what cannot be imported: a bad document (exit 1, JSON pointers), a private URL, usage errors (exit 2)', async () => {
    const dir = scratchDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ openapi: '3.1.0', info: { title: 7 } }));
    const refused = await cli(['import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\/info\/title/);

    const privateUrl = await cli(['import', 'https://169.254.169.254/openapi.json']);
    expect(privateUrl.code).toBe(1);
    expect(privateUrl.stderr).toMatch(/schemaURL/);

    expect((await cli(['import', join(dir, 'missing.yaml')])).code).toBe(2);
    expect((await cli(['import', bad, '--connector', '01ARZ3NDEKTSV4RRFFQ69G5FAV'])).code).toBe(2);
  });
});
