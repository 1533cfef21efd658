import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startWorker, type RunningWorker } from '@connect/worker-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The typed client as another team would use it: packed (`pnpm pack` of the built package),
// installed from the tarball into a project outside the workspace (npm, from the registry for its
// dependencies), typechecked strictly there under NodeNext and Bundler, and run against the Worker.
const run = promisify(execFile);
const clientDir = resolve(import.meta.dirname, '../../../packages/client');
const typescriptVersion = (await import('typescript')).version;

const call = `import { apiFailureOf, createClient, type RouterOutputs } from '@connect/client';

type Version = RouterOutputs['connectorVersions']['create'];

const [url = '', apiKey = ''] = process.argv.slice(2);
const api = createClient({ url, apiKey });
const connector = await api.connectors.create.mutate({ name: 'Packed', baseUrl: 'https://packed.example.com' });
const version: Version = await api.connectorVersions.create.mutate({ connectorId: connector.id, name: '1.0.0' });
const published: string | null = version.publishedAt;
// @ts-expect-error results are typed: a version has no such field
void version.notAField;
let refused = '';
try {
  await api.connectorVersions.create.mutate({ connectorId: connector.id, name: '1.0.0' });
} catch (error) {
  refused = apiFailureOf(error)?.code ?? 'unknown';
}
console.log(JSON.stringify({ name: version.name, published, refused }));
`;

// A wrong input must not compile: the types are the router's, not \`any\`.
const wrongCall = `import { createClient } from '@connect/client';
await createClient({ url: 'http://x', apiKey: 'k' }).connectorVersions.create.mutate({ connectorId: 'c', name: 7 });
`;

let project: string;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'connect-client-install-'));
  await run('pnpm', ['pack', '--pack-destination', project], { cwd: clientDir });
  const [tarball] = readdirSync(project).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('pnpm pack wrote no tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'call.ts'), call);
  writeFileSync(join(project, 'wrong.ts'), wrongCall);
  // @types/node for process.argv and console in call.ts, as any Node project has.
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `./${tarball}`,
      `typescript@${typescriptVersion}`,
      '@types/node@20',
    ],
    { cwd: project },
  );
  worker = await startWorker({ configPath: resolve(import.meta.dirname, '../wrangler.jsonc') });
}, 240_000);

afterAll(async () => {
  await worker?.close();
  rmSync(project, { recursive: true, force: true });
});

async function tsc(file: string, moduleResolution: 'NodeNext' | 'Bundler', emit = false) {
  const config = join(project, `tsconfig.${moduleResolution}.${file}.json`);
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: moduleResolution === 'NodeNext' ? 'NodeNext' : 'ESNext',
    moduleResolution,
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    // The client's own declarations are checked too, not skipped.
    skipLibCheck: false,
    ...(emit ? { outDir: 'out' } : { noEmit: true }),
  };
  writeFileSync(config, JSON.stringify({ compilerOptions, files: [file] }));
  try {
    await run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    return { ok: false, output: stdout ?? String(error) };
  }
}

describe('the packed client, installed outside the workspace', () => {
  for (const moduleResolution of ['NodeNext', 'Bundler'] as const) {
    it(`typechecks a call strictly with moduleResolution ${moduleResolution}, and refuses a wrong input`, async () => {
      expect(await tsc('call.ts', moduleResolution)).toEqual({ ok: true, output: '' });
      const wrong = await tsc('wrong.ts', moduleResolution);
      expect(wrong.ok).toBe(false);
      expect(wrong.output).toMatch(
        /wrong\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
      );
    }, 120_000);
  }

  it('calls the Worker: creates a connector and a version, and gets the API’s code for a refusal', async () => {
    if (!worker) throw new Error('no worker');
    expect(await tsc('call.ts', 'NodeNext', true)).toEqual({ ok: true, output: '' });
    const { apiKey } = await worker.organisation('packed');
    const { stdout } = await run(process.execPath, [join(project, 'out/call.js'), worker.url, apiKey], {
      cwd: project,
    });
    expect(JSON.parse(stdout)).toEqual({ name: '1.0.0', published: null, refused: 'already_exists' });
  }, 120_000);
});
