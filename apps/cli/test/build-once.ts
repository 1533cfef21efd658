import { buildCli, stale } from '../build.js';

// Builds the bundle the tests run once, before any test file: bin/connect.js would build a stale
// one itself, but test files run in parallel and must not build it at the same time.
export default async function setup(): Promise<void> {
  if (stale()) await buildCli();
}
