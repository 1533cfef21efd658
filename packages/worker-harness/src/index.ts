import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganisationWithKey, type OrganisationCredentials } from '@connect/db/seed';
import { startLocalDatabase, type LocalDatabase } from '@connect/sql-endpoint';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './bundle.js';
import { workerOptions } from './config.js';

export { bundleWorker, type BundledWorker } from './bundle.js';
export { workerOptions, type SourcelessWorkerOptions } from './config.js';

export interface RunningWorker {
  /** The Worker's origin on 127.0.0.1, without a trailing slash. */
  url: string;
  database: LocalDatabase;
  /** A new organisation with an API key: tests isolate by new ids instead of emptying tables. */
  organisation(name?: string): Promise<OrganisationCredentials>;
  close(): Promise<void>;
}

export interface StartWorkerOptions {
  /** The Worker's wrangler.jsonc: what is bundled, and the settings it runs with. */
  configPath: string;
  /** Bindings set on top of the config's `vars` (DATABASE_URL is always the local endpoint's). */
  bindings?: Record<string, string>;
}

/**
 * A Worker as it runs deployed, for tests of programs that reach it over the network (the CLI,
 * the typed client in a browser): a migrated database (the Postgres server at DATABASE_URL, else
 * embedded PGlite) behind the local SQL endpoint, and the bundled Worker served by Miniflare
 * (workerd) on a free port with its config's settings, its DATABASE_URL pointing at that endpoint
 * as in `pnpm dev`.
 */
export async function startWorker({ configPath, bindings = {} }: StartWorkerOptions): Promise<RunningWorker> {
  const outdir = mkdtempSync(join(tmpdir(), 'connect-worker-'));
  const [started, bundled] = await Promise.allSettled([
    startLocalDatabase({ databaseUrl: process.env.DATABASE_URL }),
    bundleWorker({ configPath, outdir }),
  ]);
  // Whatever started is stopped again when a later step fails, so a failed setup leaves nothing running.
  const undo = async () => {
    if (started.status === 'fulfilled') await started.value.close();
    rmSync(outdir, { recursive: true, force: true });
  };
  if (started.status === 'rejected') {
    await undo();
    throw started.reason;
  }
  if (bundled.status === 'rejected') {
    await undo();
    throw bundled.reason;
  }
  const database = started.value;
  let mf: Miniflare | undefined;
  let url: string;
  try {
    mf = new Miniflare({
      ...workerOptions(configPath, { ...bindings, DATABASE_URL: database.databaseUrl }),
      ...bundled.value,
      host: '127.0.0.1',
      port: 0,
      modules: true,
    });
    url = (await mf.ready).toString().replace(/\/$/, '');
  } catch (error) {
    await mf?.dispose().catch(() => undefined);
    await undo();
    throw error;
  }
  // A const for the closure below, which would not see the narrowing of `mf`.
  const served = mf;
  const run = async (query: string, params: (string | null)[] = []) => ({
    rows: (await database.backend.query({ query, params })).rows,
  });
  return {
    url,
    database,
    organisation: (name = 'test') => createOrganisationWithKey(run, `${name}-${crypto.randomUUID()}`),
    async close() {
      await served.dispose();
      await undo();
    },
  };
}
