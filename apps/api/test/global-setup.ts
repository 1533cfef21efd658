import { applyMigrations } from '@connect/db/migrate';
import { openBackend, startSqlEndpoint } from '@connect/sql-endpoint';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    sqlEndpointUrl: string;
  }
}

/**
 * Runs in Node before the tests: a real database (the Postgres server at DATABASE_URL, else
 * embedded PGlite in memory), migrated, behind the local SQL endpoint the Worker's Neon driver talks to.
 */
export default async function setup(project: TestProject) {
  const backend = await openBackend({ databaseUrl: process.env.DATABASE_URL });
  await applyMigrations((work) => backend.transaction(work));
  const endpoint = await startSqlEndpoint(backend);
  console.log(`tests use ${backend.description} through ${endpoint.url}`);
  project.provide('databaseUrl', `postgres://test:test@127.0.0.1:${endpoint.port}/connect`);
  project.provide('sqlEndpointUrl', endpoint.url);
  return async () => {
    await endpoint.close();
    await backend.close();
  };
}
