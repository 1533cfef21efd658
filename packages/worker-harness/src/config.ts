import { unstable_getMiniflareWorkerOptions, type SourcelessWorkerOptions } from 'wrangler';

export type { SourcelessWorkerOptions };

/**
 * Miniflare options for the Worker that a `wrangler.jsonc` describes: its compatibility date and
 * flags, its bindings (`vars` and any others the file declares) and module rules, read by wrangler
 * itself — the reader `wrangler deploy` and vitest-pool-workers use — so that a Worker served here
 * runs with the settings it is deployed with. `bindings` are set on top of the file's: the
 * secrets it leaves out (DATABASE_URL) and whatever a caller needs to differ.
 */
export function workerOptions(configPath: string, bindings: Record<string, string> = {}): SourcelessWorkerOptions {
  const { workerOptions: options } = unstable_getMiniflareWorkerOptions(configPath);
  return { ...options, bindings: { ...options.bindings, ...bindings } };
}
