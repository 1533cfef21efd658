/**
 * `pnpm dev` as a developer runs it (scripts/dev.ts, real `wrangler dev`), in a temporary
 * CONNECT_DEV_DIR on an embedded database: a refused large body leaves the connection usable, and
 * when either side dies the other is stopped and `pnpm dev` fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = resolve(import.meta.dirname, '..');

interface DevStack {
  process: ChildProcess;
  port: number;
  databasePid: number;
  wranglerPid: number;
  output: () => string;
  exited: Promise<number | null>;
  /** Its CONNECT_DEV_DIR. */
  dir: string;
}

const started: { stack?: DevStack; dir: string }[] = [];

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

/** Whether any process of the group led by `pid` is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** `pnpm dev` (scripts/dev.ts) on `dir` and `port`, in its own process group. */
function spawnDev(dir: string, port: number): ChildProcess & { stdout: Readable; stderr: Readable } {
  const env: NodeJS.ProcessEnv = { ...process.env, CONNECT_DEV_DIR: dir, PORT: String(port) };
  // The embedded database in the temporary directory, whatever the suite runs against.
  delete env.DATABASE_URL;
  // Its own process group, so that the test can stop all of it whatever happens.
  return spawn(join(appDir, 'node_modules/.bin/tsx'), ['scripts/dev.ts'], {
    cwd: appDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a `pnpm dev` expected to stop on its own: its exit code and output. */
async function runDevToExit(dir: string, port: number): Promise<{ code: number | null; output: string }> {
  const child = spawnDev(dir, port);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolveExit) =>
    child.once('exit', (exitCode) => {
      resolveExit(exitCode);
    }),
  );
  return { code, output };
}

async function startDev(): Promise<DevStack> {
  const dir = await mkdtemp(join(tmpdir(), 'connect-dev-'));
  const entry: { stack?: DevStack; dir: string } = { dir };
  started.push(entry);
  const port = await freePort();
  const child = spawnDev(dir, port);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      resolveExit(code);
    }),
  );
  await until(() => /Ready on/.test(output) || child.exitCode !== null, 60_000, `wrangler dev to start:\n${output}`);
  const pids = /database side pid (\d+), wrangler dev pid (\d+)/.exec(output);
  if (pids === null || child.exitCode !== null) throw new Error(`pnpm dev did not start:\n${output}`);
  const stack: DevStack = {
    process: child,
    port,
    databasePid: Number(pids[1]),
    wranglerPid: Number(pids[2]),
    output: () => output,
    exited,
    dir,
  };
  entry.stack = stack;
  return stack;
}

afterEach(async () => {
  for (const { stack, dir } of started.splice(0)) {
    if (stack !== undefined) {
      for (const pid of [stack.process.pid, stack.wranglerPid]) {
        if (pid === undefined) continue;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      try {
        process.kill(stack.databasePid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
});

interface Answer {
  status: number | undefined;
  reused: boolean;
}

function send(agent: http.Agent, port: number, method: string, path: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, agent }, (response) => {
      response.resume();
      response.on('end', () => {
        resolveAnswer({ status: response.statusCode, reused: request.reusedSocket });
      });
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error(`${method} ${path} hung`)));
    if (body !== undefined) {
      // Written in pieces without a Content-Length: chunked, as a stream upload is.
      request.setHeader('Content-Type', 'application/json');
      for (let at = 0; at < body.length; at += 64 * 1024) request.write(body.subarray(at, at + 64 * 1024));
    }
    request.end();
  });
}

describe('pnpm dev', () => {
  it('keeps a connection usable after refusing a large chunked body; stops wrangler when the database side dies', async () => {
    const stack = await startDev();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(
        agent,
        stack.port,
        'POST',
        '/api/connect/v1/o/00000000-0000-0000-0000-000000000000/connectors',
        Buffer.alloc(1024 * 1024 + 64 * 1024, 'a'),
      );
      expect(refused.status).toBe(413);
      const next = await send(agent, stack.port, 'GET', '/health');
      expect(next).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }

    process.kill(stack.databasePid, 'SIGKILL');
    expect(await stack.exited).toBe(1);
    expect(stack.output()).toMatch(
      /the database side \(SQL endpoint\) stopped \(signal SIGKILL\); stopping wrangler dev/,
    );
    // wrangler and the workerd processes it started.
    await until(() => !groupAlive(stack.wranglerPid), 5000, 'the wrangler process group to stop');
  });

  it('runs once per directory: a second pnpm dev says so and touches nothing; a taken port is named', async () => {
    const stack = await startDev();
    const credentialsFile = join(stack.dir, 'credentials.json');
    const saved = await readFile(credentialsFile, 'utf8');
    // The URL the CLI calls, port included.
    expect((JSON.parse(saved) as { url: string }).url).toBe(`http://127.0.0.1:${String(stack.port)}`);

    const second = await runDevToExit(stack.dir, await freePort());
    expect(second.code).toBe(1);
    // (tsx runs the script in a child process: the pid named is that child's.)
    expect(second.output).toMatch(/^dev: another pnpm dev \(pid \d+\) is using \S+; stop it first/m);
    expect(second.output).toContain(stack.dir);
    expect(await readFile(credentialsFile, 'utf8')).toBe(saved);
    expect((await send(new http.Agent(), stack.port, 'GET', '/health')).status).toBe(200);

    const elsewhere = await mkdtemp(join(tmpdir(), 'connect-dev-'));
    started.push({ dir: elsewhere });
    const taken = await runDevToExit(elsewhere, stack.port);
    expect(taken.code).toBe(1);
    expect(taken.output).toContain(`dev: port ${String(stack.port)} on 127.0.0.1 is already taken by another program`);
    expect(existsSync(join(elsewhere, 'pgdata'))).toBe(false);
  });

  it('stops the database side when wrangler dev dies', async () => {
    const stack = await startDev();
    process.kill(-stack.wranglerPid, 'SIGKILL');
    expect(await stack.exited).toBe(1);
    expect(stack.output()).toMatch(/wrangler dev stopped \(signal SIGKILL\); stopping the database side/);
    await until(() => !alive(stack.databasePid), 5000, 'the database side to stop');
  });
});
