// Brings vitest's types into the program so the augmentation below applies to them.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from './local-database.js';

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
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  console.log(`tests use ${database.backend.description} through ${database.endpoint.url}`);
  project.provide('databaseUrl', database.databaseUrl);
  project.provide('sqlEndpointUrl', database.endpoint.url);
  return () => database.close();
}
