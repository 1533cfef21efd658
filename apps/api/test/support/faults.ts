import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pgBackend, type SqlBackend } from '@connect/sql-endpoint';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    faultsUrl: string;
    /** 'true' when the tests run against a PostgreSQL server (DATABASE_URL), not embedded PGlite. */
    databaseIsPostgres: string;
  }
}

/**
 * A process standing between the Worker and the local SQL endpoint, passing bytes both ways: the
 * database service as the Worker reaches it, which a test can pause (SIGSTOP: connections are
 * still accepted by the kernel, nothing answers) or kill (SIGKILL: connections reset, then refused).
 */
const relaySource = `
const net = require('node:net');
const target = Number(process.env.TARGET_PORT);
const server = net.createServer((socket) => {
  const upstream = net.connect(target, '127.0.0.1');
  const close = () => { socket.destroy(); upstream.destroy(); };
  for (const s of [socket, upstream]) { s.on('error', close); s.on('close', close); }
  socket.pipe(upstream).pipe(socket);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

function startRelay(targetPort: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', relaySource], {
    env: { ...process.env, TARGET_PORT: String(targetPort) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => {
      resolve({ child, port: Number(data.toString().trim()) });
    });
  });
}

/** A transaction held open on its own connection, until released. */
interface HeldLock {
  pid: string;
  release: () => void;
  done: Promise<unknown>;
}

function holdLock(backend: SqlBackend, query: string, params: (string | null)[]): Promise<HeldLock> {
  return new Promise((resolve, reject) => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((done) => {
      release = done;
    });
    const done = backend.transaction(async (session) => {
      const pid = (await session('SELECT pg_backend_pid()::text')).rows[0]?.[0] ?? '';
      await session(query, params);
      resolve({ pid, release, done });
      await released;
    });
    done.catch(reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Faults for the tests of deadlines and clean failures, driven over HTTP from inside workerd:
 * - `POST /relays { targetPort }` starts a relay process in front of the SQL endpoint
 *   (`{ id, port }`); `POST /relays/{id}/pause` and `/kill` send it SIGSTOP and SIGKILL.
 * - With PostgreSQL only: `POST /locks { query, params }` runs `query` in a transaction left open on
 *   a connection of its own (a row lock: `SELECT … FOR UPDATE`); `POST /locks/{id}/terminate-waiters`
 *   terminates the connections waiting for that lock (`pg_terminate_backend`), once one waits;
 *   `DELETE /locks/{id}` rolls the transaction back.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL;
  const backend = databaseUrl ? pgBackend(databaseUrl) : undefined;
  const relays = new Map<string, ChildProcess>();
  const locks = new Map<string, HeldLock>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const [, kind, id, action] = (req.url ?? '').split('/');
    if (kind === 'relays' && req.method === 'POST' && id === undefined) {
      const { targetPort } = await readJson(req);
      const relay = await startRelay(Number(targetPort));
      const relayId = String(relays.size + 1);
      relays.set(relayId, relay.child);
      send(res, 200, { id: relayId, port: relay.port });
    } else if (kind === 'relays' && id !== undefined && (action === 'pause' || action === 'kill')) {
      const child = relays.get(id);
      if (!child) {
        send(res, 404, {});
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(action === 'pause' ? 'SIGSTOP' : 'SIGKILL');
      if (action === 'kill' && child.exitCode === null && child.signalCode === null) await exited;
      send(res, 200, {});
    } else if (kind === 'locks' && !backend) {
      send(res, 501, { message: 'row locks need a PostgreSQL server (DATABASE_URL)' });
    } else if (kind === 'locks' && req.method === 'POST' && id === undefined && backend) {
      const { query, params } = await readJson(req);
      const lock = await holdLock(backend, String(query), (params ?? []) as (string | null)[]);
      const lockId = String(locks.size + 1);
      locks.set(lockId, lock);
      send(res, 200, { id: lockId });
    } else if (kind === 'locks' && id !== undefined && action === 'terminate-waiters' && backend) {
      const lock = locks.get(id);
      if (!lock) {
        send(res, 404, {});
        return;
      }
      for (let tries = 0; tries < 200; tries++) {
        const result = await backend.query({
          query:
            'SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))',
          params: [lock.pid],
        });
        const terminated = Number(result.rows[0]?.[0] ?? 0);
        if (terminated > 0) {
          send(res, 200, { terminated });
          return;
        }
        await sleep(50);
      }
      send(res, 200, { terminated: 0 });
    } else if (kind === 'locks' && id !== undefined && req.method === 'DELETE') {
      const lock = locks.get(id);
      if (!lock) {
        send(res, 404, {});
        return;
      }
      locks.delete(id);
      lock.release();
      await lock.done;
      send(res, 200, {});
    } else {
      send(res, 404, {});
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('faultsUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  project.provide('databaseIsPostgres', databaseUrl ? 'true' : 'false');

  return async () => {
    for (const child of relays.values()) child.kill('SIGKILL');
    for (const lock of locks.values()) lock.release();
    await Promise.allSettled([...locks.values()].map((lock) => lock.done));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await backend?.close();
  };
}
