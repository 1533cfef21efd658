import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
async function script(name: string, args: string[] = []) {
  try {
    const { stdout, stderr } = await exec(tsx, [join(packageDir, 'scripts', name), ...args], {
      env: { ...process.env, DATABASE_URL: ownerUrl },
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
});
