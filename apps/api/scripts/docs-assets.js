// Copies the API reference page's script (Scalar's standalone bundle, from the pinned
// @scalar/api-reference) into public/, the Worker's static assets: served at /docs/scalar.js by
// Cloudflare ahead of the Worker, from the deployment itself rather than a CDN. 4 MB of JavaScript
// kept out of the Worker's own bundle, so its cold start does not pay for it. Runs after
// `pnpm install` (postinstall); the copy is not committed.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's entry is dist/index.js (its package.json is not exported): the bundle is beside it.
const entry = createRequire(import.meta.url).resolve('@scalar/api-reference');
const target = join(appDir, 'public', 'docs', 'scalar.js');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(dirname(entry), 'browser', 'standalone.js'), target);
