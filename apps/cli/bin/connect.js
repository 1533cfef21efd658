#!/usr/bin/env node
// `connect`: runs the bundled program (dist/connect.js). In the clone it first rebuilds the bundle
// when the source is newer, so `pnpm connect` always runs what the source says; that check is a
// stat of a few dozen files, and the build (esbuild) takes well under a second when needed.
import { existsSync } from 'node:fs';

const build = new URL('../build.js', import.meta.url);
if (existsSync(build)) {
  const { buildCli, stale } = await import(build.href);
  if (stale()) await buildCli();
}
await import('../dist/connect.js');
