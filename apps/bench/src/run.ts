/**
 * `pnpm bench`: how fast the Worker serves connector versions, next to a bare one-query Worker,
 * in one run. `--quick` runs every scenario briefly (the test suite does this) and fails when a
 * scenario has errors or more than one database round trip per request.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { keyringFrom, newCredentialKey, sealSecret } from '@connect/db';
import { benchDatabase } from './database';
import type { LoadResult, LoadSpec } from './load';
import { seed, type Seed } from './seed';
import { buildWorkers, serve, type Served } from './workers';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const outArg = process.argv.indexOf('--out');
/** `--only a,b`: run only the scenarios so named (the seed is the same). */
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : null;
const settings = quick
  ? { connections: 2, warmupSeconds: 0.5, seconds: 1, runs: 1, copySizes: [10, 100], bombSchemas: 5, diffSize: 100 }
  : {
      connections: 10,
      warmupSeconds: 1,
      seconds: 4,
      runs: 3,
      copySizes: [10, 100, 1000],
      bombSchemas: 100,
      diffSize: 1000,
    };
/** What a diff of two versions of 1,000 children each should take at most (p50), one at a time. */
const diffBarMs = 100;
/** What a copy of the bomb should take at most, one at a time, on a machine like the CI's. */
const bombBarMs = 2_000;
/** The quotas the bench serves the API with (LIMITS): high enough that no scenario meets one. */
const benchLimits = {
  connectorsPerOrganisation: 1_000_000,
  versionsPerConnector: 1_000_000,
  childrenPerVersion: 1_000_000,
  versionBytes: 1024 * 1024 * 1024,
  // import-github sends GitHub's 13 MB document inline (a deployment takes it by upload URL).
  bodyBytes: 32 * 1024 * 1024,
};

/** The deployed Worker's statement timeout (STATEMENT_TIMEOUT_MS in apps/api/wrangler.jsonc). */
const deployedStatementTimeoutMs = 3_000;
const benchStatementTimeoutMs = 60_000;

interface Scenario {
  name: string;
  /** Concurrency, when not the run's. */
  connections?: number;
  /** Which Worker's database client serves it (its round trips are counted under this name). */
  app: 'api' | 'baseline';
  spec: Omit<LoadSpec, 'connections' | 'warmupSeconds' | 'seconds'>;
  /** Database round trips each request makes (the quick check holds it to exactly this); 1 when not said. */
  roundTrips?: number;
}

/** A connection as connection-create sends it: one api-key credential, its secret sealed per request. */
const connectionBody = JSON.stringify({
  name: '{{name}}',
  credentials: {
    action: [
      {
        authSchemeConfig: { id: 'key', schemeType: 'api-key', name: 'X-Api-Key', in: 'header' },
        credential: { name: 'key', type: 'string', data: { value: 'bench-secret-0123456789abcdef0123456789' } },
      },
    ],
  },
  variables: [{ name: 'region', value: 'eu' }],
});

/** Creates the connection connection-get reads (through the API, so its secret is sealed as in production). */
async function seedConnection(url: string, s: Seed): Promise<string> {
  const response = await fetch(
    `${url}/api/connect/v1/o/${s.organisationId}/connectors/${s.connectionConnectorId}/connections`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' },
      body: connectionBody.replace('{{name}}', 'read'),
    },
  );
  if (response.status !== 200)
    throw new Error(`seeding a connection: ${String(response.status)} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** An OAuth 2.0 client credential for oauth2-initialise: the provider is never called by that scenario. */
const oauth2ConnectionBody = JSON.stringify({
  name: 'oauth2',
  credentials: {
    action: [
      {
        authSchemeConfig: {
          id: 'oauth',
          schemeType: 'oauth2',
          authorizeUrl: 'https://idp.example.com/authorize',
          tokenUrl: 'https://idp.example.com/token',
          scopes: [{ name: 'read' }],
          defaultScopes: ['read'],
          grant: { grantType: 'authorization_code', clientId: 'bench-app' },
        },
        credential: {
          name: 'client',
          type: 'oauth2-client',
          data: {
            clientId: 'bench-app',
            clientSecret: 'bench-client-secret',
            tokenUrl: 'https://idp.example.com/token',
          },
        },
      },
    ],
  },
});

/** The body oauth2-initialise sends: the client credential of a connection made through the API. */
async function seedOAuth2Initialise(url: string, s: Seed): Promise<string> {
  const response = await fetch(
    `${url}/api/connect/v1/o/${s.organisationId}/connectors/${s.connectionConnectorId}/connections`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' },
      body: oauth2ConnectionBody,
    },
  );
  if (response.status !== 200)
    throw new Error(`seeding an OAuth 2.0 connection: ${String(response.status)} ${await response.text()}`);
  const connection = (await response.json()) as { credentials: { action: { credential: { id: string } }[] } };
  const credentialId = connection.credentials.action[0]?.credential.id ?? '';
  return JSON.stringify({
    credential: { id: credentialId, organisationId: s.organisationId },
    authorizeUrl: 'https://idp.example.com/authorize',
    clientId: 'bench-app',
  });
}

/**
 * What sealing one credential costs (AES-256-GCM through WebCrypto, here in Node: the Worker runs
 * the same code on the same primitive), in microseconds: connection-create seals one per request.
 */
async function sealCost(): Promise<number> {
  const keyring = await keyringFrom(newCredentialKey('bench'));
  const secret = JSON.stringify({ value: 'bench-secret-0123456789abcdef0123456789' });
  const bound = { organisationId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', credentialId: '01BX5ZZKBKACTAV9WEVGEMMVRZ' };
  for (let i = 0; i < 200; i++) await sealSecret(keyring, bound, secret);
  const n = 5_000;
  const start = performance.now();
  for (let i = 0; i < n; i++) await sealSecret(keyring, bound, secret);
  return ((performance.now() - start) * 1000) / n;
}

/**
 * The body import-github sends: GitHub's REST API description (OpenAPI 3.0.3, 13 MB; 1,223
 * operations, 1,470 schemas once inline ones are counted) inline, the connector named afresh each
 * time. Written to a file: it is too large for the load generator's command line.
 */
function githubImportBody(): string {
  const require = createRequire(import.meta.url);
  const document = readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');
  const file = join(tmpdir(), `connect-bench-import-github-${String(process.pid)}.json`);
  // `name` first: the load generator names the first `{{name}}` of the body afresh.
  writeFileSync(file, `{"name":"{{name}}","format":"openapi","document":${JSON.stringify(document)}}`);
  return file;
}

function scenarios(url: string, s: Seed, connectionId: string, initialiseBody: string): Scenario[] {
  const auth = { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' };
  const o = `${url}/api/connect/v1/o/${s.organisationId}`;
  const list: Scenario[] = [
    {
      name: 'baseline',
      app: 'baseline',
      spec: {
        url: `${url}/baseline`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"{{name}}"}',
      },
    },
    {
      name: 'create',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.createConnectorIds.create}/versions`,
        method: 'POST',
        headers: auth,
        body: '{"name":"{{name}}"}',
      },
    },
    {
      // The same, made safe to retry: each request with a key of its own, so each is a first
      // answer (the claim and the stored answer ride in the same round trip).
      name: 'create-idempotent',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.createConnectorIds.idempotent}/versions`,
        method: 'POST',
        headers: auth,
        body: '{"name":"{{name}}"}',
        idempotencyKeys: true,
      },
    },
    {
      name: 'create-trpc',
      app: 'api',
      spec: {
        url,
        method: 'POST',
        headers: {},
        client: { url, apiKey: s.apiKey, connectorId: s.createConnectorIds.trpc },
      },
    },
    {
      name: 'get-latest',
      app: 'api',
      spec: { url: `${o}/connectors/${s.readConnectorId}/versions/latest`, method: 'GET', headers: auth },
    },
    {
      name: 'list',
      app: 'api',
      spec: { url: `${o}/connectors/${s.readConnectorId}/versions?first=20`, method: 'GET', headers: auth },
    },
    {
      // A deprecated version: its read also finds its successor for the headers, in the same statement.
      name: 'get-deprecated',
      app: 'api',
      spec: { url: `${o}/connectors/${s.readConnectorId}/versions/1.0.1`, method: 'GET', headers: auth },
    },
    {
      name: 'list-deprecated',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.readConnectorId}/versions?deprecated=true&first=20`,
        method: 'GET',
        headers: auth,
      },
    },
    {
      name: 'connection-create',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.connectionConnectorId}/connections`,
        method: 'POST',
        headers: auth,
        body: connectionBody,
      },
    },
    {
      name: 'connection-get',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.connectionConnectorId}/connections/${connectionId}`,
        method: 'GET',
        headers: auth,
      },
    },
    {
      // InitialiseOAuth2Connection: one statement records the flow (PKCE verifier sealed), then the
      // state is signed (HMAC) and the authorize URL built.
      name: 'oauth2-initialise',
      app: 'api',
      spec: {
        url: `${o}/connectors/${s.connectionConnectorId}/oauth2/initialise`,
        method: 'POST',
        headers: auth,
        body: initialiseBody,
      },
    },
    {
      // GetProtocolUploadURL: the grant is signed (HMAC); no database work at all.
      name: 'upload-url',
      app: 'api',
      roundTrips: 0,
      spec: {
        url: `${o}/protocols/http/upload-url?content_type=application/yaml&content_length=65536`,
        method: 'GET',
        headers: auth,
      },
    },
  ];
  const copy = (connectorId: string) => ({
    url: `${o}/connectors/${connectorId}/versions`,
    method: 'POST' as const,
    headers: auth,
    body: '{"name":"{{name}}","fromVersion":"source"}',
  });
  for (const [n, connectorId] of s.copyConnectorIds)
    list.push({ name: `copy-${n}`, app: 'api', spec: copy(connectorId) });
  // One copy at a time: the latency of a copy itself, without nine others queued on two cores.
  const largest = Math.max(...s.copyConnectorIds.keys());
  const largestId = s.copyConnectorIds.get(largest);
  if (largestId) list.push({ name: `copy-${largest}-alone`, app: 'api', connections: 1, spec: copy(largestId) });
  // The costliest copy (see seedBomb): a few seconds each before its URL rewrite took one pass per
  // schema, so a fixed count of copies, one at a time, rather than load for a while.
  list.push({ name: 'copy-bomb', app: 'api', connections: 1, spec: { ...copy(s.bomb.connectorId), count: 1 } });
  // Both versions' children read in one statement and compared in the Worker; one at a time, for
  // the latency of a diff itself.
  list.push({
    name: `diff-${s.diff.size}`,
    app: 'api',
    connections: 1,
    spec: { url: `${o}/connectors/${s.diff.connectorId}/versions/1.0.0/diff/2.0.0`, method: 'GET', headers: auth },
  });
  // The dry run of publishing 2.0.0 over 1.0.0: the checks, the latest's subscriptions and both
  // versions' children in one round trip, then the diff and the compatibility policy's verdict.
  list.push({
    name: `publish-check-${s.diff.size}`,
    app: 'api',
    connections: 1,
    spec: {
      url: `${o}/connectors/${s.diff.connectorId}/versions/2.0.0/publish?dryRun=true`,
      method: 'POST',
      headers: auth,
    },
  });
  // The public library: a page of public connectors (published versions embedded), and a
  // published version of 50 children copied into the caller's organisation, a different version
  // each time (`{{seq}}`), one at a time.
  list.push({
    name: 'library-list',
    app: 'api',
    spec: { url: `${url}/api/connect/v1/connectors?first=20`, method: 'GET', headers: auth },
  });
  list.push({
    name: 'library-import',
    app: 'api',
    connections: 1,
    spec: {
      url: `${o}/connectors/${s.library.connectorId}/versions/lib-{{seq}}/library/import`,
      method: 'POST',
      headers: auth,
      // Three runs of 40 and a warm-up each: 123 of the seeded versions.
      count: 40,
    },
  });
  // A published version's OpenAPI export: built once, then served from the Workers Cache API with
  // no database round trip (the first request of the warm-up builds it).
  const exported = s.copyConnectorIds.get(largest);
  if (exported) {
    list.push({
      name: 'export-published',
      app: 'api',
      roundTrips: 0,
      spec: { url: `${o}/connectors/${exported}/versions/source/openapi.json`, method: 'GET', headers: auth },
    });
  }
  // A draft's export, built from one statement every time: 1,000 children, one at a time.
  list.push({
    name: `export-draft-${s.diff.size}`,
    app: 'api',
    connections: 1,
    spec: { url: `${o}/connectors/${s.diff.connectorId}/versions/2.0.0/openapi.json`, method: 'GET', headers: auth },
  });
  // ImportHTTPConnector of GitHub's whole document: parsed, validated and mapped in the Worker,
  // then the connector, version and 2,693 children (with their responses and links) written in one
  // round trip. One at a time, one to warm up and one a run.
  if (!only || only.has('import-github')) {
    list.push({
      name: 'import-github',
      app: 'api',
      connections: 1,
      spec: {
        url: `${o}/protocols/http/import`,
        method: 'POST',
        headers: auth,
        bodyFile: githubImportBody(),
        count: 1,
      },
    });
  }
  return only ? list.filter((scenario) => only.has(scenario.name)) : list;
}

interface Measured extends LoadResult {
  /** The operation's database requests, per request sent. */
  roundTripsPerRequest: number;
  /** lastUsedAt writes in the window: after the response, at most one a minute per key. */
  backgroundWrites: number;
  /** Key lookups in the window: an isolate re-verifies a cached key every API_KEY_CACHE_SECONDS. */
  keyLookups: number;
  cpuMsPerRequest: number | null;
}

/** Database requests of an app so far, with the key-related ones counted apart. */
export interface TripCounts {
  requests: number;
  backgroundWrites: number;
  keyLookups: number;
}

/** Long enough for the slowest abandoned request (a copy of 1,000 children) to finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

/** One measured run of a scenario: load from a child process; counters read around it. */
async function measure(
  scenario: Scenario,
  served: Served,
  roundTrips: (app: string) => TripCounts,
  run: number,
): Promise<Measured> {
  const spec: LoadSpec = {
    ...scenario.spec,
    ...settings,
    connections: scenario.connections ?? settings.connections,
    // Each run's `{{seq}}` numbers follow the last run's (a counted run sends count + 1 requests).
    sequenceStart: run * ((scenario.spec.count ?? 0) + 1),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'src/load.ts'), JSON.stringify(spec)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: benchDir,
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`load generator for ${scenario.name} stopped early`);
    return line.value;
  };
  if ((await next()) !== 'warm') throw new Error('unexpected load generator output');
  // Warm-up requests abandoned when it ended are still being served: let them finish first, so
  // their round trips do not count against the measured requests.
  await settle();
  const tripsBefore = roundTrips(scenario.app);
  const cpuBefore = served.workerdCpuMs();
  child.stdin.write('go\n');
  const result = JSON.parse(await next()) as LoadResult;
  await settle();
  const cpuAfter = served.workerdCpuMs();
  const tripsAfter = roundTrips(scenario.app);
  const background = tripsAfter.backgroundWrites - tripsBefore.backgroundWrites;
  const keyLookups = tripsAfter.keyLookups - tripsBefore.keyLookups;
  const trips = tripsAfter.requests - tripsBefore.requests - background - keyLookups;
  return {
    ...result,
    roundTripsPerRequest: result.sent ? trips / result.sent : 0,
    backgroundWrites: background,
    keyLookups,
    cpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && result.requests ? (cpuAfter - cpuBefore) / result.requests : null,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main() {
  console.log(
    `bench: ${quick ? 'quick' : 'full'} (concurrency ${settings.connections}, ${settings.seconds} s a run, ${settings.runs} runs, medians)`,
  );
  const { apiSize, ...bundles } = await buildWorkers();
  const { database, fallback } = await benchDatabase();
  console.log(
    `database: ${database.backend.description}${fallback ? ' — FALLBACK: no Postgres server answered; figures are not comparable' : ''}`,
  );
  const data = await seed(database.backend, settings.copySizes, settings.bombSchemas, settings.diffSize);
  const url = (name: string) => `${database.databaseUrl}?application_name=${name}`;
  const served = await serve(bundles, {
    // A statement timeout long enough for the bomb to finish, so that its latency is measured
    // rather than the timeout's (the others end far below either); the report says when a copy
    // took longer than the deployed timeout, which would have cancelled it.
    // Quotas raised out of the way: the scenarios create thousands of versions in one connector,
    // and the bomb's version is bigger than the default versionBytes (which would refuse it).
    api: {
      DATABASE_URL: url('bench-api'),
      STATEMENT_TIMEOUT_MS: String(benchStatementTimeoutMs),
      // import-github can take longer than the deployed request deadline (8 s) on a loaded machine:
      // measured, not cut off (the report compares it with the deadline).
      REQUEST_DEADLINE_MS: String(benchStatementTimeoutMs),
      LIMITS: JSON.stringify(benchLimits),
      CREDENTIALS_KEY: newCredentialKey('bench'),
    },
    baseline: { DATABASE_URL: url('bench-baseline'), BASELINE_CONNECTOR_ID: data.baselineConnectorId },
  });
  const roundTrips = (app: string): TripCounts => {
    const log = database.endpoint.log(`bench-${app}`);
    // Identifiers come quoted as drizzle writes them ("key_hash"); compared without quotes.
    const sent = (fragment: string) =>
      Object.entries(log.counts)
        .filter(([statement]) => statement.replaceAll('"', '').includes(fragment))
        .reduce((sum, [, n]) => sum + n, 0);
    return { requests: log.requests, backgroundWrites: sent('SET last_used_at'), keyLookups: sent('WHERE key_hash') };
  };

  const rows: { scenario: string; roundTrips: number; runs: Measured[]; median: Measured }[] = [];
  const sealMicroseconds = await sealCost();
  try {
    const connectionId = await seedConnection(served.url, data);
    const initialiseBody = await seedOAuth2Initialise(served.url, data);
    const list = scenarios(served.url, data, connectionId, initialiseBody);
    for (const scenario of list) {
      const runs: Measured[] = [];
      for (let i = 0; i < settings.runs; i++) runs.push(await measure(scenario, served, roundTrips, i));
      const pick = (f: (m: Measured) => number) => median(runs.map(f));
      const cpu = runs.map((r) => r.cpuMsPerRequest).filter((v): v is number => v !== null);
      rows.push({
        scenario: scenario.name,
        roundTrips: scenario.roundTrips ?? 1,
        runs,
        median: {
          requests: pick((r) => r.requests),
          sent: pick((r) => r.sent),
          backgroundWrites: runs.reduce((sum, r) => sum + r.backgroundWrites, 0),
          keyLookups: runs.reduce((sum, r) => sum + r.keyLookups, 0),
          requestsPerSecond: pick((r) => r.requestsPerSecond),
          p50: pick((r) => r.p50),
          p99: pick((r) => r.p99),
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          roundTripsPerRequest: pick((r) => r.roundTripsPerRequest),
          cpuMsPerRequest: cpu.length ? median(cpu) : null,
        },
      });
      const m = rows[rows.length - 1]?.median;
      if (m) console.log(`  ${scenario.name}: ${m.requestsPerSecond.toFixed(0)} req/s`);
    }
  } finally {
    await served.dispose();
    await database.close();
  }

  const byName = (name: string) => rows.find((r) => r.scenario === name)?.median;
  /** `a` ÷ `b` in req/s, when the run measured both (`--only` may leave either out). */
  const perSecondRatio = (a: string, b: string): number | null => {
    const [x, y] = [byName(a)?.requestsPerSecond, byName(b)?.requestsPerSecond];
    return x === undefined || y === undefined || y === 0 ? null : x / y;
  };
  const ratio = perSecondRatio('create', 'baseline');
  console.log('');
  console.table(
    rows.map(({ scenario, median: m }) => ({
      scenario,
      'req/s': Math.round(m.requestsPerSecond),
      'p50 ms': Number(m.p50.toFixed(1)),
      'p99 ms': Number(m.p99.toFixed(1)),
      errors: m.errors,
      'db trips/req': Number(m.roundTripsPerRequest.toFixed(2)),
      'key lookups': m.keyLookups,
      'worker CPU ms/req': m.cpuMsPerRequest === null ? 'n/a' : Number(m.cpuMsPerRequest.toFixed(2)),
    })),
  );
  if (ratio !== null) console.log(`create ÷ baseline: ${ratio.toFixed(2)}`);
  const bomb = byName('copy-bomb');
  if (bomb) {
    const b = data.bomb;
    console.log(
      `copy-bomb: p50 ${bomb.p50.toFixed(0)} ms (bar ≤ ${bombBarMs} ms: ${bomb.p50 <= bombBarMs ? 'met' : 'NOT met'}) — ` +
        `${b.definitions} definitions, ${b.links} links; ${b.schemas} schemas of ${b.schemaLength} characters, ` +
        `each with ${b.urlsPerSchema} definition URLs to rewrite`,
    );
    if (bomb.p50 > deployedStatementTimeoutMs) {
      console.log(
        `  longer than the deployed statement timeout (${deployedStatementTimeoutMs} ms): there, a copy this slow can be cancelled (503)`,
      );
    }
  }
  const diff = byName(`diff-${data.diff.size}`);
  if (diff) {
    console.log(
      `diff-${data.diff.size}: p50 ${diff.p50.toFixed(0)} ms, ${diff.roundTripsPerRequest.toFixed(2)} database round trips per diff` +
        (data.diff.size === 1000 ? ` (bar ≤ ${diffBarMs} ms: ${diff.p50 <= diffBarMs ? 'met' : 'NOT met'})` : ''),
    );
  }
  const github = byName('import-github');
  if (github) {
    console.log(
      `import-github: p50 ${github.p50.toFixed(0)} ms, ${github.roundTripsPerRequest.toFixed(2)} database round trips, ` +
        `${github.cpuMsPerRequest === null ? 'n/a' : github.cpuMsPerRequest.toFixed(0)} ms of Worker CPU (bar ≤ 10,000 ms: ` +
        `${github.p50 <= 10_000 ? 'met' : 'NOT met'}; the deployed request deadline is 8,000 ms)`,
    );
  }
  const idempotentRatio = perSecondRatio('create-idempotent', 'create');
  if (idempotentRatio !== null) {
    console.log(
      `create-idempotent ÷ create: ${idempotentRatio.toFixed(2)} (the bar: 0.9: ${idempotentRatio >= 0.9 ? 'met' : 'NOT met'})`,
    );
  }
  const cpuOf = (name: string) => byName(name)?.cpuMsPerRequest ?? null;
  const connectionCpu = cpuOf('connection-create');
  const createCpu = cpuOf('create');
  console.log(
    `encryption: ${sealMicroseconds.toFixed(1)} µs to seal one credential (AES-256-GCM, WebCrypto); ` +
      `connection-create Worker CPU ${connectionCpu === null ? 'n/a' : connectionCpu.toFixed(2)} ms/req ` +
      `(version create: ${createCpu === null ? 'n/a' : createCpu.toFixed(2)})`,
  );
  console.log(
    `Worker bundle: ${(apiSize.rawBytes / 1024).toFixed(1)} KiB, ${(apiSize.gzipBytes / 1024).toFixed(1)} KiB gzipped`,
  );

  const report = {
    at: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    settings,
    database: database.backend.description,
    fallback,
    bomb: data.bomb,
    bombBarMs,
    bundle: apiSize,
    createOverBaseline: ratio,
    createIdempotentOverCreate: idempotentRatio,
    sealMicroseconds,
    scenarios: rows,
  };
  const out =
    outArg > 0
      ? (process.argv[outArg + 1] ?? '')
      : join(benchDir, 'results', `${report.at.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results: ${out}`);

  if (quick) {
    const failures = rows.filter(
      (r) => r.median.errors > 0 || r.runs.some((run) => Math.abs(run.roundTripsPerRequest - r.roundTrips) > 1e-9),
    );
    if (failures.length) {
      console.error(`quick check failed: ${failures.map((f) => f.scenario).join(', ')}`);
      process.exit(1);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
