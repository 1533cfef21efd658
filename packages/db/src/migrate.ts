import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { RunStatement } from './run-statement.js';

/** The committed SQL migrations (written by `drizzle-kit generate`). */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Applies the migrations not yet applied, in one transaction, recording them in the same table
 * drizzle-kit uses — so local databases and Neon (migrated by `drizzle-kit migrate`) agree.
 * An advisory lock keeps two processes starting at once from applying the same migration twice.
 */
export async function applyMigrations(
  transaction: <T>(work: (run: RunStatement) => Promise<T>) => Promise<T>,
): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  return transaction(async (run) => {
    await run('SELECT pg_advisory_xact_lock(7362514)');
    await run('CREATE SCHEMA IF NOT EXISTS drizzle');
    await run(
      'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
    );
    const last = await run('SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1');
    const lastApplied = Number(last.rows[0]?.[0] ?? -1);
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= lastApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await run(statement);
      }
      await run('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
        migration.hash,
        String(migration.folderMillis),
      ]);
      applied += 1;
    }
    return applied;
  });
}
