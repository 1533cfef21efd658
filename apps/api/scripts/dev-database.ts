/**
 * The database side of `pnpm dev`, run by dev.ts as a child process with an IPC channel: the
 * migrated database behind the local SQL endpoint, and the development credentials. It reports
 * them to dev.ts once ready, then serves until dev.ts stops it (SIGTERM) or goes away. Being its
 * own process lets dev.ts notice when the database side dies, and stop wrangler with it.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOrganisationWithKey, isLiveKey, type OrganisationCredentials } from '@connect/db/seed';
import { startLocalDatabase, type SqlBackend } from '@connect/sql-endpoint';

/** What the database side tells dev.ts once it serves. */
export interface DatabaseReady {
  databaseUrl: string;
  description: string;
  endpointUrl: string;
  applied: number;
  credentials: OrganisationCredentials;
}

async function developmentCredentials(backend: SqlBackend, credentialsFile: string): Promise<OrganisationCredentials> {
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
  const devDir = process.env.CONNECT_DEV_DIR;
  const send = process.send?.bind(process);
  if (devDir === undefined || send === undefined) throw new Error('dev-database.ts is started by dev.ts');
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: join(devDir, 'pgdata') });
  const credentials = await developmentCredentials(database.backend, join(devDir, 'credentials.json'));

  let closing = false;
  const close = async (code: number) => {
    if (closing) return;
    closing = true;
    await database.close().catch(() => undefined);
    process.exit(code);
  };
  // Ctrl-C reaches this process too (same process group); dev.ts decides, and sends SIGTERM.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void close(0));
  // dev.ts gone (even killed outright): nothing would use this database any more.
  process.on('disconnect', () => void close(1));

  const ready: DatabaseReady = {
    databaseUrl: database.databaseUrl,
    description: database.backend.description,
    endpointUrl: database.endpoint.url,
    applied: database.applied,
    credentials,
  };
  send(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
