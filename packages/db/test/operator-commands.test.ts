import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringFrom, openSecret, sealSecret } from '../src/credential-cipher.js';
import { newUlid } from '../src/ulid.js';

// `pnpm db:migrate` and `pnpm admin` as an operator runs them against a new deployment's database:
// as its owner role, which (as on Neon) is no superuser. They need a PostgreSQL server to create
// that role on: with DATABASE_URL naming one (CI, and `pnpm test` with DATABASE_URL) they run;
// embedded PGlite has a single user and no roles to test with.
const serverUrl = process.env.DATABASE_URL;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(packageDir, '../../node_modules/.bin/tsx');
const exec = promisify(execFile);

const suffix = randomBytes(5).toString('hex');
const role = `connect_owner_${suffix}`;
const database = `connect_deploy_${suffix}`;
let ownerUrl = '';

async function asServer(statements: string[]) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs one of the scripts with DATABASE_URL naming the owner's database: exit code and output. */
async function script(name: string, args: string[] = [], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(tsx, [join(packageDir, 'scripts', name), ...args], {
      env: { ...process.env, DATABASE_URL: ownerUrl, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.runIf(serverUrl)('operator commands on a database owned by a role that is no superuser', () => {
  beforeAll(async () => {
    await asServer([
      `CREATE ROLE ${role} LOGIN PASSWORD 'owner' NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      `CREATE DATABASE ${database} OWNER ${role}`,
    ]);
    const url = new URL(serverUrl ?? '');
    url.username = role;
    url.password = 'owner';
    url.pathname = `/${database}`;
    ownerUrl = url.toString();
  });

  afterAll(async () => {
    await asServer([`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, `DROP ROLE IF EXISTS ${role}`]);
  });

  it('db:migrate applies every migration once, as the owner, and turns JIT off', async () => {
    const first = await script('migrate.ts');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^[1-9]\\d* migration\\(s\\) applied to ${role}@`));
    expect((await script('migrate.ts')).stdout).toMatch(/^0 migration\(s\) applied/);

    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ superuser: boolean; tables: number; jit: string }>(
        `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
                (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS tables,
                current_setting('jit') AS jit`,
      );
      expect(rows[0]).toEqual({ superuser: false, tables: expect.any(Number), jit: 'off' });
      expect(rows[0]?.tables).toBeGreaterThan(5);
    } finally {
      await client.end();
    }
  });

  it('admin creates an organisation with its first key, lists and revokes keys; wrong usage exits 2', async () => {
    const created = await script('admin.ts', ['organisations', 'create', 'Acme', '--json']);
    expect(created.code).toBe(0);
    const { organisationId, apiKey } = JSON.parse(created.stdout) as { organisationId: string; apiKey: string };
    expect(apiKey).toMatch(/^ck_/);

    const second = JSON.parse(
      (await script('admin.ts', ['keys', 'create', organisationId, 'ci', '--json'])).stdout,
    ) as {
      id: string;
    };
    const listed = await script('admin.ts', ['keys', 'list', organisationId]);
    expect(listed.stdout).toMatch(new RegExp(`^${second.id} {2}ck_\\S+… {2}ci {2}active$`, 'm'));
    expect(listed.stdout).not.toContain(apiKey);

    expect((await script('admin.ts', ['keys', 'revoke', second.id])).code).toBe(0);
    const after = JSON.parse((await script('admin.ts', ['keys', 'list', organisationId, '--json'])).stdout) as {
      id: string;
      revokedAt: string | null;
    }[];
    expect(after.find((key) => key.id === second.id)?.revokedAt).not.toBeNull();
    expect(after).toHaveLength(2);

    expect((await script('admin.ts', ['keys', 'revoke', '01ARZ3NDEKTSV4RRFFQ69G5FAV'])).code).toBe(1);
    expect((await script('admin.ts', ['keys', 'create', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'x'])).code).toBe(1);
    expect((await script('admin.ts', ['organisations'])).code).toBe(2);
  });

  it('admin re-encrypts credential secrets under the first key of CREDENTIALS_KEY, and says what did not open', async () => {
    const oldKey = (await script('admin.ts', ['credentials', 'new-key', 'old'])).stdout.trim();
    const newKey = (await script('admin.ts', ['credentials', 'new-key', 'new'])).stdout.trim();
    expect(oldKey).toMatch(/^old:[A-Za-z0-9+/]{43}=$/);
    expect((await script('admin.ts', ['credentials', 'new-key', 'not ok'])).code).toBe(2);

    const { organisationId } = JSON.parse(
      (await script('admin.ts', ['organisations', 'create', 'Rekey', '--json'])).stdout,
    ) as { organisationId: string };
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(
        `WITH c AS (INSERT INTO connectors (organisation_id, name, base_url) VALUES ($1, 'c', 'https://x.example.com') RETURNING id)
         INSERT INTO connections (organisation_id, connector_id, name) SELECT $1, id, 'n' FROM c RETURNING id`,
        [organisationId],
      );
      const connectionId = rows[0]?.id ?? '';
      const old = await keyringFrom(oldKey);
      const insert = async (credentialId: string, secret: string) =>
        client.query<{ id: string }>(
          `INSERT INTO connection_credentials (organisation_id, connection_id, usage, position, auth_scheme_config,
             credential_id, name, type, data, secret)
           VALUES ($1, $2, 'action', 0, '{}', $3, 'k', 'string', '{"value":""}', $4) RETURNING id`,
          [organisationId, connectionId, credentialId, secret],
        );
      const good = newUlid();
      await insert(good, await sealSecret(old, { organisationId, credentialId: good }, '{"value":"s3cret"}'));
      // An envelope moved from another credential: bound to that one, it must not open here.
      const movedRow = await insert(
        newUlid(),
        await sealSecret(old, { organisationId, credentialId: newUlid() }, '{}'),
      );

      const rekeyed = await script('admin.ts', ['credentials', 'rekey', '--json'], {
        CREDENTIALS_KEY: `${newKey},${oldKey}`,
      });
      expect(rekeyed.code).toBe(1);
      expect(JSON.parse(rekeyed.stdout)).toEqual({
        rekeyed: 1,
        failed: [movedRow.rows[0]?.id],
        secretsPerKey: { new: 1, old: 1 },
      });
      expect(rekeyed.stdout + rekeyed.stderr).not.toContain('s3cret');
      const { rows: after } = await client.query<{ secret: string }>(
        'SELECT secret FROM connection_credentials WHERE credential_id = $1',
        [good],
      );
      const secret = after[0]?.secret ?? '';
      expect(secret).toMatch(/^v1\.new\./);
      expect(await openSecret(await keyringFrom(newKey), { organisationId, credentialId: good }, secret)).toBe(
        '{"value":"s3cret"}',
      );
      expect((await script('admin.ts', ['credentials', 'rekey'], { CREDENTIALS_KEY: 'nonsense' })).code).toBe(2);
    } finally {
      await client.end();
    }
  });
});
