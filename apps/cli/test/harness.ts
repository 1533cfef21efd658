import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createOrganisationWithKey, type OrganisationCredentials } from '@connect/db/seed';
import { startLocalDatabase, type LocalDatabase } from '@connect/sql-endpoint';
import { Miniflare } from 'miniflare';

const cliDir = resolve(import.meta.dirname, '..');
const apiDir = resolve(cliDir, '../api');
const mainScript = join(cliDir, 'src/main.ts');
// tsx's loader by absolute URL: the CLI runs from temporary directories, where `--import tsx`
// would not resolve.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Bundles the API Worker as `wrangler deploy` would (as apps/bench does); returns the script. */
async function bundleWorker(outdir: string): Promise<string> {
  await promisify(execFile)('pnpm', ['exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: apiDir,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outdir, 'index.js');
}

export interface Harness {
  /** The Worker's address, as CONNECT_URL. */
  url: string;
  database: LocalDatabase;
  /** A new organisation with an API key: tests isolate by new ids instead of emptying tables. */
  organisation(name?: string): Promise<OrganisationCredentials>;
  close(): Promise<void>;
}

/**
 * The real thing, end to end: a migrated database (the Postgres server at DATABASE_URL, else
 * embedded PGlite) behind the local SQL endpoint, and the API Worker bundled and served by
 * Miniflare (workerd), its DATABASE_URL pointing at that endpoint as in `pnpm dev` and the API tests.
 */
export async function startHarness(): Promise<Harness> {
  const outdir = mkdtempSync(join(tmpdir(), 'connect-cli-worker-'));
  const [database, script] = await Promise.all([
    startLocalDatabase({ databaseUrl: process.env.DATABASE_URL }),
    bundleWorker(outdir),
  ]);
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: true,
    scriptPath: script,
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
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const run = async (query: string, params: (string | null)[] = []) => ({
    rows: (await database.backend.query({ query, params })).rows,
  });
  return {
    url,
    database,
    organisation: (name = 'cli') => createOrganisationWithKey(run, `${name}-${crypto.randomUUID()}`),
    async close() {
      await mf.dispose();
      await database.close();
      for (const dir of [outdir, ...scratchDirs.splice(0)]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Directories made for the tests, removed by `close()`. */
const scratchDirs: string[] = [];

/** A directory of its own, outside the workspace: no `.dev/credentials.json` above it. */
export function scratchDir(prefix = 'connect-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/**
 * Runs the CLI as a process, as a user would, with exactly the CONNECT_* variables given: the
 * test's own environment must not leak a credential in.
 */
let sharedCwd: string | undefined;

export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CONNECT_') && name !== 'FORCE_COLOR') env[name] = value;
  }
  Object.assign(env, { NO_COLOR: '1' }, options.env);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, mainScript, ...args], {
      cwd: options.cwd ?? (sharedCwd ??= scratchDir()),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** The JSON a `--json` run printed, after checking it succeeded (its stderr is in the failure). */
// T is the shape the test expects of the output, as with JSON.parse's callers.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function jsonOf<T>(run: Run): T {
  if (run.code !== 0) throw new Error(`the CLI exited with ${String(run.code)}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
