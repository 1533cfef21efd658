import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BatchOptions, SqlBackend, Statement, StatementResult } from './backend.js';

/** What one client (named by `application_name` in its connection string) sent to the endpoint. */
export interface RequestLog {
  requests: number;
  /** The most recent statements, oldest first (at most 1,000). */
  statements: string[];
  /** How many times each distinct statement text was sent, over the whole run. */
  counts: Record<string, number>;
}

const keptStatements = 1_000;

export interface SqlEndpoint {
  /** `http://127.0.0.1:PORT`; the Worker's DATABASE_URL points at this host and port. */
  readonly url: string;
  readonly port: number;
  /** Requests seen per `application_name`, so tests and benchmarks can count round trips. */
  log(applicationName: string): RequestLog;
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;
/**
 * Neon's HTTP service refuses a response whose row values add up to more than 10 MiB (its documented
 * cap) with a 507; the endpoint does the same, so a query that would fail in production fails here.
 * Unlike Neon it answers after the batch has run: the refusal is what a test sees.
 */
const maxResponseBytes = 10 * 1024 * 1024;

function rowBytes(results: StatementResult[]): number {
  let total = 0;
  for (const result of results) {
    for (const row of result.rows) for (const value of row) total += value === null ? 0 : Buffer.byteLength(value);
  }
  return total;
}

const tooLarge = { message: `response is too large (max is ${String(maxResponseBytes)} bytes)` };
const maxTrackedClients = 10_000;
// Fields of a Postgres error the Neon driver copies onto the error it throws.
const errorFields = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** A statement as it arrives: the driver may leave out `params`. */
type WireStatement = Omit<Statement, 'params'> & { params?: Statement['params'] };

function isStatement(value: unknown): value is WireStatement {
  if (typeof value !== 'object' || value === null) return false;
  const { query, params } = value as Record<string, unknown>;
  return (
    typeof query === 'string' &&
    (params === undefined || (Array.isArray(params) && params.every((p) => p === null || typeof p === 'string')))
  );
}

function wire(result: StatementResult) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rowAsArray: true,
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: 0,
      columnID: 0,
      dataTypeSize: -1,
      dataTypeModifier: -1,
      format: 'text',
    })),
    rows: result.rows,
  };
}

function batchOptions(req: IncomingMessage): BatchOptions {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (name: string) => {
    const value = header(name);
    return value === undefined ? undefined : value === 'true';
  };
  const isolation = header('neon-batch-isolation-level');
  const options: BatchOptions = {};
  if (
    isolation === 'ReadUncommitted' ||
    isolation === 'ReadCommitted' ||
    isolation === 'RepeatableRead' ||
    isolation === 'Serializable'
  ) {
    options.isolationLevel = isolation;
  }
  const readOnly = flag('neon-batch-read-only');
  if (readOnly !== undefined) options.readOnly = readOnly;
  const deferrable = flag('neon-batch-deferrable');
  if (deferrable !== undefined) options.deferrable = deferrable;
  return options;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function applicationNameOf(req: IncomingMessage): string | undefined {
  const connection = req.headers['neon-connection-string'];
  if (typeof connection !== 'string') return undefined;
  try {
    return new URL(connection).searchParams.get('application_name') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the Neon serverless driver's HTTP protocol (`POST /sql`) in front of `backend`, so the
 * Worker runs its production database code against a local database. Listens on 127.0.0.1 only.
 */
export async function startSqlEndpoint(backend: SqlBackend, port = 0): Promise<SqlEndpoint> {
  const logs = new Map<string, RequestLog>();

  const record = (name: string | undefined, statements: WireStatement[]) => {
    if (name === undefined) return;
    let log = logs.get(name);
    if (!log) {
      if (logs.size >= maxTrackedClients) {
        const oldest = logs.keys().next();
        if (!oldest.done) logs.delete(oldest.value);
      }
      log = { requests: 0, statements: [], counts: {} };
      logs.set(name, log);
    }
    log.requests += 1;
    for (const { query } of statements) {
      log.statements.push(query);
      log.counts[query] = (log.counts[query] ?? 0) + 1;
    }
    if (log.statements.length > keptStatements) log.statements.splice(0, log.statements.length - keptStatements);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/requests') {
      const name = url.searchParams.get('application_name') ?? '';
      send(res, 200, logs.get(name) ?? { requests: 0, statements: [], counts: {} });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      send(res, 200, { ok: true, backend: backend.description });
      return;
    }
    if (req.method !== 'POST' || url.pathname !== '/sql') {
      send(res, 404, { message: 'not found' });
      return;
    }

    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      send(res, 400, { message: `invalid request body: ${(error as Error).message}` });
      return;
    }
    const queries = (body as { queries?: unknown } | null)?.queries;
    try {
      if (Array.isArray(queries) && queries.every(isStatement)) {
        record(applicationNameOf(req), queries);
        const results = await backend.batch(
          queries.map((q) => ({ query: q.query, params: q.params ?? [] })),
          batchOptions(req),
        );
        if (rowBytes(results) > maxResponseBytes) send(res, 507, tooLarge);
        else send(res, 200, { results: results.map(wire) });
      } else if (isStatement(body)) {
        record(applicationNameOf(req), [body]);
        const result = await backend.query({ query: body.query, params: body.params ?? [] });
        if (rowBytes([result]) > maxResponseBytes) send(res, 507, tooLarge);
        else send(res, 200, wire(result));
      } else {
        send(res, 400, { message: 'expected { query, params } or { queries: [...] }' });
      }
    } catch (error) {
      // Postgres errors go back as the Neon service sends them: 400 with the error's fields.
      // Anything else means the database could not be reached or the connection was lost (no
      // connection free in time, a connection dropped): 503, as Neon answers when it cannot
      // reach the database, so the Worker tells it from a bad statement.
      const source = error as Record<string, unknown>;
      const payload: Record<string, unknown> = { message: String(source.message ?? error) };
      for (const field of errorFields) if (source[field] !== undefined) payload[field] = source[field];
      const fromPostgres = typeof source.code === 'string' && /^[0-9A-Z]{5}$/.test(source.code);
      send(res, fromPostgres ? 400 : 503, payload);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    log: (name) => logs.get(name) ?? { requests: 0, statements: [], counts: {} },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
