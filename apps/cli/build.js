// Builds the `connect` program: src/main.ts and everything it imports (the typed client, commander,
// yaml, …) bundled by esbuild into one ES module, dist/connect.js, that needs only Node. Run by
// `pnpm build`, and by bin/connect.js when the bundle is older than the source it comes from.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const outfile = join(here, 'dist', 'connect.js');

/** The folders whose source ends up in the bundle: the CLI's and the workspace packages it imports. */
export const sources = [
  join(here, 'src'),
  join(here, '../../packages/client/src'),
  join(here, '../../packages/contracts/src'),
];

/** The newest modification time of any file under `dir` (0 when there is none). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether dist/connect.js is missing or older than a source file. */
export function stale() {
  let built;
  try {
    built = statSync(outfile).mtimeMs;
  } catch {
    return true;
  }
  return sources.some((dir) => newest(dir) > built);
}

export async function buildCli() {
  // Loaded here, not at the top: bin/connect.js imports this file on every run to check staleness.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Workspace packages are bundled from their source, as the workspace's own tooling resolves them.
    conditions: ['@connect/source'],
    // Some bundled packages are CommonJS and `require` Node's own modules: give them a require.
    banner: {
      js: "import { createRequire as __connectRequire } from 'node:module';\nconst require = __connectRequire(import.meta.url);",
    },
    legalComments: 'none',
    // Less to parse at every start; names are kept, so a stack trace still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await buildCli();
