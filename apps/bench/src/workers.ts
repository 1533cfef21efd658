import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleWorker, workerOptions, type BundledWorker } from '@connect/worker-harness';
import { Miniflare } from 'miniflare';

const benchDir = resolve(import.meta.dirname, '..');
/** The two Workers' own configs: what is bundled and the settings each is served with. */
const configs = {
  api: resolve(benchDir, '../api/wrangler.jsonc'),
  baseline: resolve(benchDir, 'baseline/wrangler.jsonc'),
};

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
}

/** Both Workers bundled as `wrangler deploy` would bundle them, into dist/. */
export async function buildWorkers() {
  const [api, baseline] = await Promise.all([
    bundleWorker({ configPath: configs.api, outdir: join(benchDir, 'dist/api') }),
    bundleWorker({ configPath: configs.baseline, outdir: join(benchDir, 'dist/baseline') }),
  ]);
  const source = readFileSync(api.scriptPath);
  return {
    api,
    baseline,
    apiSize: { rawBytes: source.length, gzipBytes: gzipSync(source).length } satisfies BundleSize,
  };
}

export interface Served {
  url: string;
  /** CPU time (user + system) the workerd process has used so far, in milliseconds. */
  workerdCpuMs(): number | null;
  dispose(): Promise<void>;
}

const clockTicksPerSecond = 100;

function childWorkerdPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(workerd)') && Number(fields[1]) === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return null;
  }
}

/**
 * The API's rate limits, each raised out of reach: the load comes from one address with one key,
 * far above what a deployment allows. The limiters still run, so their cost is part of what is measured.
 */
function unreachableRateLimits(configured: unknown) {
  const names = typeof configured === 'object' && configured !== null ? Object.keys(configured) : [];
  return Object.fromEntries(names.map((name) => [name, { simple: { limit: 1_000_000_000, period: 60 } }]));
}

/**
 * Serves both bundles from one Miniflare — one workerd process, as in production — routing
 * `/baseline` to the bare Worker and everything else to the API.
 */
export async function serve(
  bundles: { api: BundledWorker; baseline: BundledWorker },
  /** Set on top of each Worker's `vars`: the secrets its config leaves out. */
  bindings: {
    api: Record<string, string>;
    baseline: Record<string, string>;
  },
): Promise<Served> {
  const before = new Set(childWorkerdPids());
  const api = workerOptions(configs.api, bindings.api);
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      {
        ...api,
        ratelimits: unreachableRateLimits(api.ratelimits),
        ...bundles.api,
        modules: true,
        name: 'api',
        routes: ['*/*'],
      },
      {
        ...workerOptions(configs.baseline, bindings.baseline),
        ...bundles.baseline,
        modules: true,
        name: 'baseline',
        routes: ['*/baseline*'],
      },
    ],
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const pid = childWorkerdPids().find((p) => !before.has(p));
  return {
    url,
    workerdCpuMs: () => (pid === undefined ? null : cpuMsOf(pid)),
    dispose: () => mf.dispose(),
  };
}
