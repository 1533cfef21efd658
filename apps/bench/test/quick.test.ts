import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

interface Report {
  scenarios: {
    scenario: string;
    roundTrips: number;
    runs: { errors: number; sent: number; roundTripsPerRequest: number }[];
  }[];
}

// Keeps the bench from rotting: every scenario runs briefly, without errors, at one database
// round trip per request — none for what needs no database (an upload URL, a kept export). Speed
// is not asserted here; `pnpm bench` reports it.
it('runs every scenario of the bench with no errors and its round trips per request', async () => {
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
    'upload-url',
    'copy-10',
    'copy-100',
    'copy-100-alone',
    'copy-bomb',
    'diff-100',
    'publish-check-100',
    'library-list',
    'library-import',
    'export-published',
    'export-draft-100',
    'import-github',
  ]);
  const noDatabase = new Set(['upload-url', 'export-published']);
  for (const { scenario, roundTrips, runs } of report.scenarios) {
    expect(roundTrips, scenario).toBe(noDatabase.has(scenario) ? 0 : 1);
    for (const run of runs) {
      expect(run.sent, scenario).toBeGreaterThan(0);
      expect(run.errors, scenario).toBe(0);
      expect(run.roundTripsPerRequest, scenario).toBe(roundTrips);
    }
  }
});
