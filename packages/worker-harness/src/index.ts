import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createOrganisationWithKey, type OrganisationCredentials } from '@connect/db/seed';
import { startLocalDatabase, type LocalDatabase } from '@connect/sql-endpoint';
import { Miniflare } from 'miniflare';

const apiDir = resolve(import.meta.dirname, '../../../apps/api');

/** Bundles the API Worker as `wrangler deploy` would; returns the script's path. */
async function bundleWorker(outdir: string): Promise<string> {
  await promisify(execFile)('pnpm', ['exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: apiDir,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outdir, 'index.js');
}

export interface RunningWorker {
  /** The Worker's origin on 127.0.0.1, without a trailing slash. */
  url: string;
  database: LocalDatabase;
  /** A new organisation with an API key: tests isolate by new ids instead of emptying tables. */
  organisation(name?: string): Promise<OrganisationCredentials>;
  close(): Promise<void>;
}

/**
 * The API as a deployed Worker runs, for tests of programs that reach it over the network (the
 * CLI, the typed client in a browser): a migrated database (the Postgres server at DATABASE_URL,
 * else embedded PGlite) behind the local SQL endpoint, and the bundled Worker served by Miniflare
 * (workerd) on a free port, its DATABASE_URL pointing at that endpoint as in `pnpm dev`.
 */
export async function startWorker(): Promise<RunningWorker> {
  const outdir = mkdtempSync(join(tmpdir(), 'connect-worker-'));
  const [started, bundled] = await Promise.allSettled([
    startLocalDatabase({ databaseUrl: process.env.DATABASE_URL }),
    bundleWorker(outdir),
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
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: bundled.value,
    // Module names are paths relative to this root; the default (the cwd) is not above a temp dir.
    modulesRoot: outdir,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      DATABASE_URL: database.databaseUrl,
      // id_tokens off (an empty issuer): the tests sign in with API keys.
      JWT_ISSUER: '',
      JWT_AUDIENCE: 'connect-api',
      JWT_ORGANISATION_CLAIM: 'org_id',
      JWT_JWKS_URL: '',
      JWT_JWKS: '{"keys":[]}',
      API_KEY_CACHE_SECONDS: '30',
    },
  });
  let url: string;
  try {
    url = (await mf.ready).toString().replace(/\/$/, '');
  } catch (error) {
    await mf.dispose().catch(() => undefined);
    await undo();
    throw error;
  }
  const run = async (query: string, params: (string | null)[] = []) => ({
    rows: (await database.backend.query({ query, params })).rows,
  });
  return {
    url,
    database,
    organisation: (name = 'test') => createOrganisationWithKey(run, `${name}-${crypto.randomUUID()}`),
    async close() {
      await mf.dispose();
      await undo();
    },
  };
}
