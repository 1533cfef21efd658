import { type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { definitions } from './schema/definitions.js';
import { bare, sql } from './sql-names.js';

// The columns each kind of write sets, listed once: create, update and copy write the same fields,
// and a field added for one of them must reach the others.

/** A definition's columns as its inserts (create and copy) list them. */
export const definitionInsertColumns: SQL = bare(
  definitions.id,
  definitions.versionId,
  definitions.name,
  definitions.description,
  definitions.accept,
  definitions.schemaContentType,
  definitions.schemaContent,
  definitions.referrerNames,
);

/** The columns of an operation (either kind's table, or a row of it under an alias). */
export type OperationColumns = Record<
  'summary' | 'description' | 'method' | 'path' | 'parameters' | 'requestBodyRequired',
  PgColumn
>;

/** An operation's own fields, besides its id, version and name: what create, update and copy write. */
export const operationFields = (t: OperationColumns): PgColumn[] => [
  t.summary,
  t.description,
  t.method,
  t.path,
  t.parameters,
  t.requestBodyRequired,
];

/** `operationFields` of row `t` as a select list (`"o"."summary", …`). */
export const operationFieldValues = (t: OperationColumns): SQL =>
  sql.join(
    operationFields(t).map((column) => sql`${column}`),
    sql`, `,
  );
