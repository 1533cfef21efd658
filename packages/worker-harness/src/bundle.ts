import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

/** This package's own wrangler: the version that reads the config also bundles the Worker. */
const wranglerBin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');

export interface BundledWorker {
  /** The bundled script, an ES module. */
  scriptPath: string;
  /**
   * The directory the bundle was written to. Miniflare names modules by their paths relative to
   * this root; its default, the cwd, need not be above the bundle.
   */
  modulesRoot: string;
}

/**
 * Bundles the Worker that `configPath` (a wrangler.jsonc) describes exactly as `wrangler deploy`
 * would, without deploying it, into `outdir`.
 */
export async function bundleWorker({
  configPath,
  outdir,
}: {
  configPath: string;
  outdir: string;
}): Promise<BundledWorker> {
  const config = resolve(configPath);
  const { main } = unstable_getMiniflareWorkerOptions(config);
  if (!main) throw new Error(`${config} names no "main" script to bundle`);
  await promisify(execFile)(
    process.execPath,
    [wranglerBin, 'deploy', '--dry-run', '--config', config, '--outdir', resolve(outdir)],
    {
      cwd: dirname(config),
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  );
  // wrangler names the bundle after the entry point: src/index.ts becomes index.js.
  const scriptPath = join(resolve(outdir), `${basename(main, extname(main))}.js`);
  if (!existsSync(scriptPath)) throw new Error(`wrangler wrote no ${scriptPath}`);
  return { scriptPath, modulesRoot: resolve(outdir) };
}
