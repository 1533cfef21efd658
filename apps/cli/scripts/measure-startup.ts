/**
 * How long `connect --help` takes, start to exit, as a user's shell sees it: the bin (with its
 * staleness check) and the bundle, in a fresh Node process each time. Prints the median and the
 * slowest of 21 runs after 3 warm-ups. A measurement, not a test: `pnpm --filter @connect/cli measure`.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const bin = join(resolve(import.meta.dirname, '..'), 'bin/connect.js');

function once(): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`connect --help exited ${String(run.status)}: ${run.stderr.toString()}`);
  return ms;
}

for (let i = 0; i < 3; i++) once();
const times = Array.from({ length: 21 }, once).sort((a, b) => a - b);
const median = times[10] ?? 0;
const slowest = times.at(-1) ?? 0;
console.log(`connect --help: median ${median.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms (21 runs; bar: 300 ms)`);
