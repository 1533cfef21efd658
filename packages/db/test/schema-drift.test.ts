import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../drizzle.config.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const drizzleKit = join(packageDir, 'node_modules', '.bin', 'drizzle-kit');
const run = promisify(execFile);

/**
 * The scratch copy: the committed migrations folder, and a config like drizzle.config.ts whose
 * `out` is that copy, so drizzle-kit may write there without touching the real folder. The schema
 * is read where it is (drizzle-kit only reads it, and it resolves drizzle-orm from this package).
 */
let scratch: string;

beforeAll(async () => {
  if (!config.out) throw new Error('drizzle.config.ts names no migrations folder (out)');
  scratch = await mkdtemp(join(tmpdir(), 'connect-db-drift-'));
  await cp(resolve(packageDir, config.out), join(scratch, 'migrations'), { recursive: true });
  const schema = Array.isArray(config.schema)
    ? config.schema.map((path) => resolve(packageDir, path))
    : resolve(packageDir, config.schema ?? '');
  // drizzle-kit reads `out` relative to its working directory, and needs no credentials to generate.
  const scratchConfig = { ...config, dbCredentials: undefined, schema, out: 'migrations' };
  await writeFile(join(scratch, 'drizzle.config.json'), JSON.stringify(scratchConfig));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** drizzle-kit run in the scratch directory: its exit status and everything it printed. */
async function drizzleKitIn(command: 'generate' | 'check'): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(drizzleKit, [command, '--config=drizzle.config.json'], {
      cwd: scratch,
      // A schema change drizzle-kit cannot decide alone (a rename?) makes it prompt: fail, do not wait.
      timeout: 45_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${String(error)}\n${stdout}${stderr}` };
  }
}

/** Every file under `dir` with a hash of its content, by path relative to `dir`. */
async function contents(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return files;
}

describe('drizzle schema and committed migrations', () => {
  // First, while the scratch copy is still exactly the committed folder.
  it('pass drizzle-kit check (journal and snapshot chain are consistent)', async () => {
    const { ok, output } = await drizzleKitIn('check');
    expect(ok, output).toBe(true);
  });

  it('agree: drizzle-kit generate finds nothing to migrate', async () => {
    const folder = join(scratch, 'migrations');
    const before = await contents(folder);
    const { ok, output } = await drizzleKitIn('generate');
    expect(ok, output).toBe(true);
    const after = await contents(folder);
    const changed = Object.keys(after).filter((path) => after[path] !== before[path]);
    const newSql = await Promise.all(
      changed.filter((path) => path.endsWith('.sql')).map((path) => readFile(join(folder, path), 'utf8')),
    );
    expect(
      changed,
      `src/schema and migrations/meta disagree; run \`pnpm --filter @connect/db generate\` and commit the migration:\n${newSql.join('\n')}`,
    ).toEqual([]);
  });
});
