/**
 * `pnpm db:migrate`: applies the migrations not yet applied to the database at DATABASE_URL, in one
 * transaction, as whatever role the URL names. It needs no superuser: the database's owner (on
 * Neon, the project's owner role) has every right the migrations use; where a role may not alter
 * the database, migration 0006 says so and leaves JIT as it is.
 */
import { applyMigrations } from '../src/migrate.js';
import { connect } from './connection.js';

const database = await connect(process.env.DATABASE_URL);
try {
  const applied = await applyMigrations(database.transaction);
  console.log(`${String(applied)} migration(s) applied to ${database.description}`);
} catch (error) {
  console.error(`error: migrating ${database.description} failed, nothing was applied: ${String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
