import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/migrate.js';
import { type SqlOnlyRule, sqlOnlyRules } from '../src/sql-only-rules.js';
import { freshMigratedDatabase, type MigratedDatabase } from './support/migrated-database.js';

// drizzle-kit compares tables, columns, indexes and plain constraints only; these rules would
// disappear from a regenerated or squashed migration without anything noticing but this test.
let database: MigratedDatabase;

beforeAll(async () => {
  database = await freshMigratedDatabase(process.env.DATABASE_URL);
  console.log(`checking the SQL-only rules in ${database.description}`);
});

afterAll(async () => {
  await database.close();
});

/** Rows of a catalog query whose columns are all cast to text, as strings joined by spaces. */
async function rowsOf(query: string): Promise<string[]> {
  const result = await database.run(query);
  return result.rows.map((row) => row.map((value) => String(value)).join(' ')).sort();
}

function listed<K extends SqlOnlyRule['kind']>(kind: K): Extract<SqlOnlyRule, { kind: K }>[] {
  return sqlOnlyRules.filter((rule): rule is Extract<SqlOnlyRule, { kind: K }> => rule.kind === kind);
}

// Objects that belong to an extension (installed in template1, say) are not the migrations' own.
const notFromAnExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

describe('rules that live only in SQL migrations', () => {
  it('names, for each rule, a migration that creates it', async () => {
    for (const rule of sqlOnlyRules) {
      const sql = await readFile(join(migrationsFolder, `${rule.migration}.sql`), 'utf8');
      expect(sql, `${rule.kind} ${rule.name} in ${rule.migration}.sql`).toContain(rule.name);
    }
  });

  it('has exactly the listed functions', async () => {
    const actual = await rowsOf(`
      SELECT p.proname, l.lanname
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = 'public' AND ${notFromAnExtension('pg_proc', 'p.oid')}`);
    const expected = listed('function')
      .map((rule) => `${rule.name} plpgsql`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has exactly the listed triggers, enabled, on their tables and functions', async () => {
    const actual = await rowsOf(`
      SELECT t.tgname, c.relname, p.proname, t.tgenabled::text
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE n.nspname = 'public' AND NOT t.tgisinternal`);
    // 'O': fires in the ordinary (origin) replication role, i.e. enabled.
    const expected = listed('trigger')
      .map((rule) => `${rule.name} ${rule.table} ${rule.function} O`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has exactly the listed deferrable constraints, deferred to commit', async () => {
    const actual = await rowsOf(`
      SELECT con.conname, c.relname, con.condeferred::text
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND con.condeferrable`);
    const expected = listed('deferred constraint')
      .map((rule) => `${rule.name} ${rule.table} true`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has exactly the listed settings on the database, for every role's new sessions", async () => {
    const actual = await rowsOf(`
      SELECT unnest(s.setconfig)
      FROM pg_db_role_setting s
      JOIN pg_database d ON d.oid = s.setdatabase
      WHERE d.datname = current_database() AND s.setrole = 0`);
    const expected = listed('database setting')
      .map((rule) => `${rule.name}=${rule.value}`)
      .sort();
    expect(actual).toEqual(expected);
  });
});
