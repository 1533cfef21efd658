import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = resolve(benchDir, '../api');

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
}

/** Bundles a Worker exactly as `wrangler deploy` would, without deploying it; returns the script. */
function bundle(cwd: string, outdir: string, script: string, config?: string): string {
  const args = ['exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir, ...(config ? ['--config', config] : [])];
  execFileSync('pnpm', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outdir, script);
}

export function buildWorkers() {
  const api = bundle(apiDir, join(benchDir, 'dist/api'), 'index.js');
  const baseline = bundle(benchDir, join(benchDir, 'dist/baseline'), 'worker.js', 'baseline/wrangler.jsonc');
  const source = readFileSync(api);
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
 * Serves both bundles from one Miniflare — one workerd process, as in production — routing
 * `/baseline` to the bare Worker and everything else to the API.
 */
export async function serve(
  bundles: { api: string; baseline: string },
  bindings: {
    api: Record<string, string>;
    baseline: Record<string, string>;
  },
): Promise<Served> {
  const before = new Set(childWorkerdPids());
  const common = { modules: true, compatibilityDate: '2026-04-01', compatibilityFlags: ['nodejs_compat'] };
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      { ...common, name: 'api', scriptPath: bundles.api, bindings: bindings.api, routes: ['*/*'] },
      {
        ...common,
        name: 'baseline',
        scriptPath: bundles.baseline,
        bindings: bindings.baseline,
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
