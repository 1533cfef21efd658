import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

interface Report {
  scenarios: { scenario: string; runs: { errors: number; sent: number; roundTripsPerRequest: number }[] }[];
}

// Keeps the bench from rotting: every scenario runs briefly, without errors, at one database
// round trip per request. Speed is not asserted here; `pnpm bench` reports it.
it('runs every scenario of the bench with no errors and one round trip per request', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-')), 'quick.json');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/run.ts', '--quick', '--out', out], {
    cwd: join(import.meta.dirname, '..'),
    env: process.env,
  });
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  expect(report.scenarios.map((s) => s.scenario)).toEqual([
    'baseline',
    'create',
    'create-idempotent',
    'create-trpc',
    'get-latest',
    'list',
    'get-deprecated',
    'list-deprecated',
    'connection-create',
    'connection-get',
    'oauth2-initialise',
    'copy-10',
    'copy-100',
    'copy-100-alone',
    'copy-bomb',
    'diff-100',
    'publish-check-100',
    'import-github',
  ]);
  for (const { scenario, runs } of report.scenarios) {
    for (const run of runs) {
      expect(run.sent, scenario).toBeGreaterThan(0);
      expect(run.errors, scenario).toBe(0);
      expect(run.roundTripsPerRequest, scenario).toBe(1);
    }
  }
});
