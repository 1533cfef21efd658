/**
 * The load generator, run as its own process so that it does not share an event loop (or a
 * core's time slices accounting) with the servers under test. Reads a scenario as JSON from
 * argv, warms up, measures, and prints the result as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { createClient } from '@connect/client';

export interface LoadSpec {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** `{{seq}}` in it becomes a number counting requests (only with `count`). */
  url: string;
  /** A JSON body; `{{name}}` in it becomes a fresh name per request. */
  body?: string;
  /** A file holding the body, for one too large to pass on a command line (import-github's 13 MB). */
  bodyFile?: string;
  /** Send a fresh `Idempotency-Key` with every request (create-idempotent). */
  idempotencyKeys?: boolean;
  /** Drive the typed client instead of raw HTTP (create-trpc). */
  client?: { url: string; apiKey: string; connectorId: string };
  /** Where `{{seq}}` starts counting. */
  sequenceStart?: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /**
   * Send exactly this many requests, one after another, instead of load for `seconds` (and one
   * request to warm up, when there is a warm-up): for a request that can outlast a timed run.
   */
  count?: number;
}

export interface LoadResult {
  /** Responses received in the measured window. */
  requests: number;
  /** Requests sent, answered or not when the window closed: what the Worker had to serve. */
  sent: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

let counter = 0;
/** `{{seq}}` in a URL becomes 0, 1, 2, … in the order requests are sent (warm-up included). */
let sequence = 0;
const nextUrl = (url: string) => url.replace('{{seq}}', String(sequence++));
const freshName = () => `b${process.pid.toString(36)}.${Date.now().toString(36)}.${(counter++).toString(36)}`;

async function withAutocannon(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const { body, idempotencyKeys } = spec;
  const result = await autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    connections: spec.connections,
    duration: seconds,
    requests: [
      {
        method: spec.method,
        ...(body === undefined
          ? {}
          : {
              setupRequest: (request) => ({
                ...request,
                body: body.replace('{{name}}', freshName()),
                ...(idempotencyKeys ? { headers: { ...request.headers, 'idempotency-key': crypto.randomUUID() } } : {}),
              }),
            }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `connections` callers each awaiting the typed client in a loop, as apps using it would. */
async function withClient(
  spec: LoadSpec & { client: NonNullable<LoadSpec['client']> },
  seconds: number,
): Promise<LoadResult> {
  const client = createClient({ url: spec.client.url, apiKey: spec.client.apiKey });
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        try {
          await client.connectorVersions.create.mutate({ connectorId: spec.client.connectorId, name: freshName() });
          latencies.push(performance.now() - started);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length + errors,
    sent: latencies.length + errors,
    requestsPerSecond: (latencies.length + errors) / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

/** `count` requests, one at a time, each timed from send to the end of its body. */
async function sequential(spec: LoadSpec, count: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    const response = await fetch(nextUrl(spec.url), {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body.replace('{{name}}', freshName()) }),
    });
    const text = await response.text();
    latencies.push(performance.now() - sent);
    if (!response.ok) {
      errors++;
      process.stderr.write(`${spec.url}: ${response.status} ${text.slice(0, 300)}\n`);
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    sent: count,
    requestsPerSecond: count / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function main() {
  const given = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const spec = given.bodyFile === undefined ? given : { ...given, body: readFileSync(given.bodyFile, 'utf8') };
  sequence = spec.sequenceStart ?? 0;
  const run = (seconds: number, count = spec.count) => {
    const { client } = spec;
    if (count !== undefined) return sequential(spec, count);
    return client ? withClient({ ...spec, client }, seconds) : withAutocannon(spec, seconds);
  };
  if (spec.warmupSeconds > 0) await run(spec.warmupSeconds, spec.count === undefined ? undefined : 1);
  // The parent reads counters between warm-up and measurement.
  process.stdout.write('warm\n');
  await new Promise<void>((resolve) =>
    process.stdin.once('data', () => {
      resolve();
    }),
  );
  const result = await run(spec.seconds);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

void main();
