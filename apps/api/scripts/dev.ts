/**
 * `pnpm dev`: the API on http://127.0.0.1:8787 in real workerd (`wrangler dev`), on an embedded
 * database persisted in .dev/pgdata — or on the Postgres server at DATABASE_URL when set.
 * Applies migrations, prints a development organisation, API key and id_token (also written to
 * .dev/credentials.json), and stops everything it started on Ctrl-C.
 *
 * It supervises two processes: the database side (dev-database.ts: the database and the local SQL
 * endpoint) and `wrangler dev`. When either exits or fails, it stops the other, says which side
 * stopped and why, and exits non-zero — a Worker without its database, or a database nobody
 * serves, is only confusing. PORT sets the Worker's port; CONNECT_DEV_DIR the directory used
 * instead of .dev (the tests use a temporary one). One instance per directory (`.dev/dev.lock`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseReady } from './dev-database';
import { devCredentialsKey } from './dev-credentials-key';
import { devIdentity } from './dev-identity';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = resolve(appDir, '../..');
const devDir = resolve(process.env.CONNECT_DEV_DIR ?? join(rootDir, '.dev'));
const credentialsFile = join(devDir, 'credentials.json');
const port = Number(process.env.PORT ?? 8787);

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal === null ? `exit code ${code ?? 'unknown'}` : `signal ${signal}`;
}

/** Starts the database side and waits for its report; rejects if it dies first. */
function startDatabase(): Promise<{ child: ChildProcess; ready: DatabaseReady }> {
  // The same Node and loader flags as this process (tsx), so the child runs TypeScript too.
  const child = spawn(process.execPath, [...process.execArgv, join(appDir, 'scripts/dev-database.ts')], {
    cwd: appDir,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, CONNECT_DEV_DIR: devDir },
  });
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      reject(new Error(`the database side stopped while starting (${exitReason(code, signal)})`));
    };
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolvePromise({ child, ready: message as DatabaseReady });
    });
  });
}

/** Signals a process group, ignoring one that is already gone. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether a process with this id exists (signal 0 only checks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `.dev/dev.lock` (this process's id), so a second `pnpm dev` on the same directory stops
 * before it opens the database files the first one is using. A lock whose process is gone (a
 * `pnpm dev` killed outright) is taken over. Released when this process exits.
 */
function takeLock(lockFile: string): void {
  for (;;) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      process.on('exit', () => {
        rmSync(lockFile, { force: true });
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && running(holder)) {
      console.error(
        `dev: another pnpm dev (pid ${String(holder)}) is using ${devDir}; stop it first, or set CONNECT_DEV_DIR to use another directory`,
      );
      process.exit(1);
    }
    rmSync(lockFile, { force: true });
  }
}

/** Fails clearly, before anything starts, when something already listens on the port. */
async function checkPortFree(): Promise<void> {
  await new Promise<void>((resolveCheck) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'is already taken by another program' : `cannot be used (${error.message})`;
      console.error(`dev: port ${String(port)} on 127.0.0.1 ${why}; stop that program, or set PORT to another port`);
      process.exit(1);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolveCheck();
      });
    });
  });
}

async function main() {
  await mkdir(devDir, { recursive: true });
  takeLock(join(devDir, 'dev.lock'));
  await checkPortFree();
  const { child: database, ready } = await startDatabase();
  const { credentials } = ready;
  const identity = await devIdentity(join(devDir, 'idp-key.json'), `http://127.0.0.1:${port}/dev-idp`, 'connect-api');
  const idToken = await identity.mint(credentials.organisationId, 12);
  const credentialsKey = await devCredentialsKey(join(devDir, 'credentials-key'));
  // `url` is where this instance serves, port included: the CLI calls it when nothing else says where.
  const url = `http://127.0.0.1:${String(port)}`;
  await writeFile(credentialsFile, `${JSON.stringify({ ...credentials, idToken, url }, null, 2)}\n`, {
    mode: 0o600,
  });

  console.log(`database: ${ready.description} (${ready.applied} migration(s) applied), served at ${ready.endpointUrl}`);
  console.log(`organisation: ${credentials.organisationId}`);
  console.log(`API key:      ${credentials.apiKey}`);
  console.log(`id_token:     ${idToken}`);
  console.log('              (a user of the organisation, valid 12 h: manages API keys; restart to mint another)');
  console.log(`(saved in ${credentialsFile})\n`);

  // Its own process group (detached), so that stopping it also stops the workerd processes it starts.
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
      `DATABASE_URL:${ready.databaseUrl}`,
      '--var',
      `JWT_ISSUER:${identity.issuer}`,
      '--var',
      `JWT_AUDIENCE:${identity.audience}`,
      '--var',
      `JWT_JWKS:${identity.jwks}`,
      '--var',
      `CREDENTIALS_KEY:${credentialsKey}`,
    ],
    {
      cwd: appDir,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  console.log(`dev: database side pid ${database.pid ?? '?'}, wrangler dev pid ${wrangler.pid ?? '?'}`);

  let stopping = false;
  const stop = (code: number, message?: string) => {
    if (stopping) return;
    stopping = true;
    if (message !== undefined) console.error(`\ndev: ${message}`);
    killGroup(wrangler.pid, 'SIGTERM');
    if (database.exitCode === null && database.signalCode === null) database.kill('SIGTERM');
    const done = () => {
      // workerd may outlive a SIGTERM to wrangler; nothing of the group may stay behind.
      killGroup(wrangler.pid, 'SIGKILL');
      process.exit(code);
    };
    const waitFor = (child: ChildProcess) =>
      new Promise<void>((resolveWait) => {
        if (child.exitCode !== null || child.signalCode !== null) resolveWait();
        else
          child.once('exit', () => {
            resolveWait();
          });
      });
    const timer = setTimeout(done, 5000);
    void Promise.all([waitFor(wrangler), waitFor(database)]).then(() => {
      clearTimeout(timer);
      done();
    });
  };
  process.on('SIGINT', () => {
    stop(0);
  });
  process.on('SIGTERM', () => {
    stop(0);
  });
  process.on('SIGHUP', () => {
    stop(0);
  });
  database.on('exit', (code, signal) => {
    stop(1, `the database side (SQL endpoint) stopped (${exitReason(code, signal)}); stopping wrangler dev`);
  });
  wrangler.on('exit', (code, signal) => {
    stop(1, `wrangler dev stopped (${exitReason(code, signal)}); stopping the database side`);
  });
  wrangler.on('error', (error) => {
    stop(1, `wrangler dev could not run (${error.message}); stopping the database side`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
