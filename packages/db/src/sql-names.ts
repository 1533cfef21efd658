import { sql, type SQL } from 'drizzle-orm';
import type { BuildAliasTable, PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

// How the queries name tables and columns: through the drizzle schema, so a name the schema does
// not have fails to compile. Inside `sql`, a table renders as "table", a column as
// "table"."column", an alias (`alias(table, 'c')`) as "c" and its columns as "c"."column"; a FROM
// or JOIN therefore writes `${table} ${c}` to declare one ("table" "c"). A CTE built from a table's
// rows (`SELECT c.*`, `RETURNING *`) is named through an alias of that table, since it has exactly
// its columns.

/** Table `T` under any alias name: what a fragment taking "row `c` of connectors" accepts. */
export type Aliased<T extends PgTable> = BuildAliasTable<T, string>;

/**
 * Columns by their bare names, for where SQL takes no table prefix (an INSERT's column list, the
 * targets of UPDATE … SET).
 */
export const bare = (...columns: PgColumn[]): SQL =>
  sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );

/**
 * A statement together with the type of the rows it returns, so the row type is stated once, where
 * the SQL is written, rather than asserted again at each call.
 */
export interface Statement<Row extends Record<string, unknown>> {
  readonly sql: SQL;
  /** Never set: it only carries the row type. */
  readonly row?: Row;
}

export const statement = <Row extends Record<string, unknown>>(query: SQL): Statement<Row> => ({ sql: query });

/** Runs `s` (or queues it, inside `db.batch`); its rows have the type the statement declares. */
export const execute = <Row extends Record<string, unknown>>(db: Db, s: Statement<Row>) => db.execute<Row>(s.sql);
