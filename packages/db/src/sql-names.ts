import { Column, sql as drizzleSql, getTableName, Name, SQL, type SQLChunk, StringChunk, Table } from 'drizzle-orm';
import { type BuildAliasTable, type PgColumn, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';

// How the queries name tables and columns: through the drizzle schema, so a name the schema does
// not have fails to compile. Inside `sql`, a table renders as "table", a column as
// "table"."column", an alias (`alias(table, 'c')`) as "c" and its columns as "c"."column"; a FROM
// or JOIN therefore writes `${table} ${c}` to declare one ("table" "c"). A CTE built from a table's
// rows (`SELECT c.*`, `RETURNING *`) is named through an alias of that table, since it has exactly
// its columns.

const dialect = new PgDialect();
const identifiers = new Map<string, string>();

/** The text drizzle renders for a table or column (`"c"`, `"c"."id"`), computed once per name. */
function identifierText(value: Table | Column): string {
  const key = value instanceof Column ? `${getTableName(value.table)}.${value.name}` : getTableName(value);
  let text = identifiers.get(key);
  if (text === undefined) {
    text = dialect.sqlToQuery(drizzleSql`${value}`).sql;
    identifiers.set(key, text);
  }
  return text;
}

/** Text merged from chunks, told apart from a value that happens to be a string. */
class Text {
  constructor(public value: string) {}
}

/**
 * Appends `chunks` to `out` with everything that is only text — text chunks, names, tables and
 * columns, and fragments made of those — merged into `Text`s. Values (and any chunk this does not
 * know) stay as they are, for drizzle to render as before.
 */
function flatten(chunks: readonly unknown[], out: unknown[]): void {
  for (const chunk of chunks) {
    if (chunk instanceof StringChunk) appendText(out, chunk.value.join(''));
    else if (chunk instanceof Name) appendText(out, dialect.escapeName(chunk.value));
    else if (chunk instanceof Column || chunk instanceof Table) appendText(out, identifierText(chunk));
    else if (chunk instanceof SQL) flatten(chunk.queryChunks, out);
    else out.push(chunk);
  }
}

// A function of its own rather than a closure in `flatten`: bundles that keep function names wrap
// every closure created, once per call.
function appendText(out: unknown[], text: string): void {
  const last = out[out.length - 1];
  if (last instanceof Text) last.value += text;
  else out.push(new Text(text));
}

/**
 * drizzle's `sql` template, building the same SQL, but flat: drizzle works out what each chunk of
 * a statement is on every render, walking its class chain against each kind it knows, and the
 * copy statement — some 900 chunks once its tables and columns are named through the schema —
 * took 40 times as long to render as its text did. Merged at build time, a statement is a few
 * text chunks between its values.
 */
function template(strings: TemplateStringsArray, ...values: unknown[]): SQL {
  const out: unknown[] = [];
  flatten(drizzleSql(strings, ...values).queryChunks, out);
  return new SQL(out.map((chunk) => (chunk instanceof Text ? new StringChunk(chunk.value) : chunk)) as SQLChunk[]);
}

/**
 * drizzle's `sql` (the same template, with its `join`, `identifier`, … helpers), building flat
 * SQL: what every query of this package writes its statements with.
 */
export const sql = Object.assign(template, drizzleSql) as typeof drizzleSql;

/** `fragment`, checked to hold no value: a value kept from one call would leak into the next. */
function textOnly(fragment: SQL): SQL {
  if (fragment.queryChunks.some((chunk) => !(chunk instanceof StringChunk))) {
    throw new Error('a fragment built once may hold only tables, columns and text, not values');
  }
  return fragment;
}

interface BuiltEntry {
  next: WeakMap<object, BuiltEntry>;
  value?: SQL;
}

/**
 * A fragment made only of tables and aliases, built once per list of arguments: statements pass
 * the same few module-level aliases, so each such fragment is built (and flattened) once per
 * isolate instead of once per request. Only for fragments without values: a value would be kept
 * from the first call.
 */
export function builtOnce<Args extends object[]>(build: (...args: Args) => SQL): (...args: Args) => SQL {
  const root = new WeakMap<object, BuiltEntry>();
  return (...args) => {
    let level = root;
    let entry: BuiltEntry | undefined;
    for (const arg of args) {
      entry = level.get(arg);
      if (!entry) {
        entry = { next: new WeakMap() };
        level.set(arg, entry);
      }
      level = entry.next;
    }
    if (!entry) return build(...args);
    entry.value ??= textOnly(build(...args));
    return entry.value;
  };
}

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
