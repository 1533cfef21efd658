import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The client as it is packed for others (`pnpm pack` of the built package): what the tarball holds,
// and whether its package.json and types hold up under publint and Are the Types Wrong. Installing
// it outside the workspace and calling the Worker with it: apps/api/test-node/client-package.test.ts.
const clientDir = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
/** A command-line tool of the client's devDependencies. */
const bin = (name: string) => join(clientDir, 'node_modules', '.bin', name);

let out: string;
let tarball: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'connect-client-pack-'));
  await run('pnpm', ['pack', '--pack-destination', out], { cwd: clientDir });
  const [file] = readdirSync(out).filter((name) => name.endsWith('.tgz'));
  if (!file) throw new Error('pnpm pack wrote no tarball');
  tarball = join(out, file);
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('the packed client', () => {
  it('holds the bundled module and declarations, and names no workspace package as a dependency', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual([
      'package/README.md',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse((await run('tar', ['xzf', tarball, '-O', 'package/package.json'])).stdout) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server', 'zod']);
    const declarations = (await run('tar', ['xzf', tarball, '-O', 'package/dist/index.d.ts'])).stdout;
    const imported = [...declarations.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect([...new Set(imported)].sort()).toEqual(['@trpc/client', '@trpc/server', 'zod']);
  });

  it('is clean under publint', async () => {
    const { stdout } = await run(bin('publint'), [tarball]);
    expect(stdout).toContain('All good!');
  });

  it('is clean under Are the Types Wrong (an ES module package: node16 from ESM, and bundlers)', async () => {
    const result = await run(bin('attw'), [tarball, '--profile', 'esm-only'], {
      env: { ...process.env, NO_COLOR: '1' },
    }).catch((error: unknown) => error as { stdout: string; code: number });
    expect('code' in result ? result.code : 0, result.stdout).toBe(0);
  });
});
