/**
 * `pnpm dev`: the API on http://127.0.0.1:8787 in real workerd (`wrangler dev`), on an embedded
 * database persisted in .dev/pgdata — or on the Postgres server at DATABASE_URL when set.
 * Applies migrations, prints a development organisation, API key and id_token (also written to
 * .dev/credentials.json), and stops everything it started on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrganisationWithKey, isLiveKey, type OrganisationCredentials } from '@connect/db/seed';
import { startLocalDatabase, type SqlBackend } from '@connect/sql-endpoint';
import { devIdentity } from './dev-identity';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = resolve(appDir, '../..');
const devDir = join(rootDir, '.dev');
const credentialsFile = join(devDir, 'credentials.json');
const port = Number(process.env.PORT ?? 8787);

async function developmentCredentials(backend: SqlBackend): Promise<OrganisationCredentials> {
  const run = (query: string, params?: (string | null)[]) => backend.query({ query, params: params ?? [] });
  if (existsSync(credentialsFile)) {
    const saved = JSON.parse(await readFile(credentialsFile, 'utf8')) as OrganisationCredentials;
    if (await isLiveKey(run, saved)) return saved;
  }
  const created = await createOrganisationWithKey(run, 'development');
  await writeFile(credentialsFile, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

async function main() {
  await mkdir(devDir, { recursive: true });
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(devDir, 'pgdata') });
  const credentials = await developmentCredentials(database.backend);
  const { backend, endpoint } = database;
  const identity = await devIdentity(join(devDir, 'idp-key.json'), `http://127.0.0.1:${port}/dev-idp`, 'connect-api');
  const idToken = await identity.mint(credentials.organisationId, 12);
  await writeFile(credentialsFile, `${JSON.stringify({ ...credentials, idToken }, null, 2)}\n`, { mode: 0o600 });

  console.log(`database: ${backend.description} (${database.applied} migration(s) applied), served at ${endpoint.url}`);
  console.log(`organisation: ${credentials.organisationId}`);
  console.log(`API key:      ${credentials.apiKey}`);
  console.log(`id_token:     ${idToken}`);
  console.log('              (a user of the organisation, valid 12 h: manages API keys; restart to mint another)');
  console.log(`(saved in ${credentialsFile})\n`);

  // Its own process group, so that stopping it also stops the workerd processes it starts.
  const wrangler = spawn(
    'pnpm',
    [
      'exec',
      'wrangler',
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--var',
      `DATABASE_URL:${database.databaseUrl}`,
      '--var',
      `JWT_ISSUER:${identity.issuer}`,
      '--var',
      `JWT_AUDIENCE:${identity.audience}`,
      '--var',
      `JWT_JWKS:${identity.jwks}`,
    ],
    {
      cwd: appDir,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (wrangler.pid !== undefined && wrangler.exitCode === null) {
      try {
        process.kill(-wrangler.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await database.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  wrangler.on('exit', (code) => void stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
