import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A user's project outside the workspace: the client is its one dependency (linked, as an install
// would place it), compiled strictly from the client's emitted declarations (`pnpm build`), with
// no Worker types anywhere. The workspace's own source condition is not set here, so nothing
// resolves to TypeScript source.
const clientDir = resolve(import.meta.dirname, '..');
const tsc = createRequire(join(clientDir, 'package.json')).resolve('typescript/bin/tsc');

const call = `import { apiFailureOf, createClient, type RouterOutputs } from '@connect/client';

const api = createClient({ url: 'http://127.0.0.1:8787', apiKey: 'ck_example' });

export async function createVersion(connectorId: string): Promise<RouterOutputs['connectorVersions']['create'] | string> {
  try {
    const version = await api.connectorVersions.create.mutate({ connectorId, name: '1.0.0', fromVersion: 'latest' });
    const published: string | null = version.publishedAt;
    // @ts-expect-error results are typed: a version has no such field
    void version.notAField;
    return published ?? version;
  } catch (error) {
    return apiFailureOf(error)?.fields[0]?.field ?? 'unknown';
  }
}
`;

// A wrong input must not compile: proves the types are the router's, not \`any\`.
const wrongCall = `import { createClient } from '@connect/client';
await createClient({ url: 'http://x', apiKey: 'k' }).connectorVersions.create.mutate({ connectorId: 'c', name: 7 });
`;

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'connect-client-consumer-'));
  mkdirSync(join(project, 'node_modules/@connect'), { recursive: true });
  symlinkSync(clientDir, join(project, 'node_modules/@connect/client'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'call.ts'), call);
  writeFileSync(join(project, 'wrong.ts'), wrongCall);
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

async function typecheck(file: string, moduleResolution: 'NodeNext' | 'Bundler') {
  const config = join(project, `tsconfig.${moduleResolution}.${file}.json`);
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: moduleResolution === 'NodeNext' ? 'NodeNext' : 'ESNext',
    moduleResolution,
    lib: ['ES2022', 'DOM'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(config, JSON.stringify({ compilerOptions, files: [file] }));
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', config], { cwd: project });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    return { ok: false, output: stdout ?? String(error) };
  }
}

describe('the client in a project outside the workspace', () => {
  for (const moduleResolution of ['NodeNext', 'Bundler'] as const) {
    it(`typechecks a call with moduleResolution ${moduleResolution}`, async () => {
      const result = await typecheck('call.ts', moduleResolution);
      expect(result.output).toBe('');
      expect(result.ok).toBe(true);
    });

    it(`refuses a wrong input with moduleResolution ${moduleResolution}`, async () => {
      const result = await typecheck('wrong.ts', moduleResolution);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(
        /wrong\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
      );
    });
  }
});
