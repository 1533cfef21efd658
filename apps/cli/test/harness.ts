import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWorker, type RunningWorker } from '@connect/worker-harness';

const cliDir = resolve(import.meta.dirname, '..');
/** The API Worker the CLI talks to, bundled and run with its own settings. */
const apiConfig = resolve(cliDir, '../api/wrangler.jsonc');
/** The program as installed: the `connect` bin, which runs the bundle (dist/connect.js). */
export const binScript = join(cliDir, 'bin/connect.js');

export type Harness = RunningWorker;

/** The Worker and its database (see `startWorker`); closing also removes the tests' scratch dirs. */
export async function startHarness(bindings: Record<string, string> = {}): Promise<Harness> {
  const worker = await startWorker({ configPath: apiConfig, bindings });
  return {
    ...worker,
    organisation: (name = 'cli') => worker.organisation(name),
    async close() {
      await worker.close();
      for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Directories made for the tests, removed by `close()`. */
const scratchDirs: string[] = [];

/** A directory of its own, outside the workspace: no `.dev/credentials.json` above it. */
export function scratchDir(prefix = 'connect-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/**
 * Runs the CLI as a process, as a user would, with exactly the CONNECT_* variables given: the
 * test's own environment must not leak a credential in.
 */
let sharedCwd: string | undefined;

export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    stdin?: string;
    /** Run it as `pnpm connect …` (the workspace's bin, found by pnpm) rather than the bin file itself. */
    viaPnpm?: boolean;
  } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CONNECT_') && name !== 'FORCE_COLOR') env[name] = value;
  }
  Object.assign(env, { NO_COLOR: '1' }, options.env);
  return new Promise((done, fail) => {
    const [command, commandArgs] = options.viaPnpm
      ? ['pnpm', ['connect', ...args]]
      : [process.execPath, [binScript, ...args]];
    const child = spawn(command, commandArgs, {
      cwd: options.cwd ?? (sharedCwd ??= scratchDir()),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      done({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** The JSON a `--json` run printed, after checking it succeeded (its stderr is in the failure). */
// T is the shape the test expects of the output, as with JSON.parse's callers.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function jsonOf<T>(run: Run): T {
  if (run.code !== 0) throw new Error(`the CLI exited with ${String(run.code)}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
