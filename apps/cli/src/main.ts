#!/usr/bin/env node
/**
 * `connect`: the Connect API from a terminal, through `@connect/client` like any user's app.
 * Bundled into dist/connect.js (build.js) and run by bin/connect.js: `pnpm connect <command>`
 * anywhere in the clone.
 */
import { buildProgram } from './program';
import { reportError } from './report';

async function main(argv: string[]): Promise<number> {
  // `pnpm start -- connectors list` passes the `--` on (pnpm ≥ 7), and commander would then read
  // every word after it as an argument: drop it when it comes first.
  const args = argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : argv;
  try {
    await buildProgram().parseAsync(args);
    // A command may answer in full and still report a refusal (a dry run that would be refused).
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

// Output piped into a reader that stops early (`connect … | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// exitCode rather than exit(): stdout is flushed before the process ends, even when piped.
process.exitCode = await main(process.argv);
