import { type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { encodeCursor, type Cursor } from '../cursor.js';
import { sql } from '../sql-names.js';

/** Where a page starts: after a cursor (older items), before one (newer items), or at the top. */
export type PageRequest = { first: number; after?: Cursor; before?: Cursor };

export interface Page<T> {
  totalCount: number;
  next?: string;
  prev?: string;
  items: T[];
}

/**
 * The keyset conditions for one page of rows of `row` (a table alias), sorted newest `updated_at`
 * first. Backward pages are read in ascending order and flipped by `pageFrom`.
 */
export function keyset(row: { updatedAt: PgColumn; id: PgColumn }, page: PageRequest) {
  const key = sql`(${row.updatedAt}, ${row.id})`;
  const at = (c: Cursor) => sql`(${c.updatedAt}::timestamptz, ${c.id}::text)`;
  if (page.before) {
    return {
      where: sql`${key} > ${at(page.before)}`,
      order: sql`${row.updatedAt} ASC, ${row.id} ASC`,
      // Items at or older than the `before` cursor exist: there is a next page.
      other: sql`${key} <= ${at(page.before)}`,
    };
  }
  return {
    where: page.after ? sql`${key} < ${at(page.after)}` : sql`true`,
    order: sql`${row.updatedAt} DESC, ${row.id} DESC`,
    // Items at or newer than the `after` cursor exist: there is a previous page.
    other: page.after ? sql`${key} >= ${at(page.after)}` : sql`false`,
  };
}

/**
 * Rows are fetched `first + 1` at a time; the extra row only says that more exist. `cut` says the
 * query stopped short of that on size (see `listChildren`): more exist all the same.
 */
export function pageFrom<T extends { id: string; updatedAt: string }>(
  rows: T[],
  page: PageRequest,
  scope: string,
  totalCount: number,
  otherSide: boolean,
  cut = false,
): Page<T> {
  const more = rows.length > page.first || cut;
  const items = rows.slice(0, page.first);
  if (page.before) items.reverse();
  const hasNext = page.before ? otherSide : more;
  const hasPrev = page.before ? more : otherSide;
  const cursorOf = (item: T) => encodeCursor({ scope, updatedAt: item.updatedAt, id: item.id });
  const first = items[0];
  const last = items[items.length - 1];
  return {
    totalCount,
    ...(hasNext && last ? { next: cursorOf(last) } : {}),
    ...(hasPrev && first ? { prev: cursorOf(first) } : {}),
    items,
  };
}

export const limitOf = (page: PageRequest): SQL => sql`${page.first + 1}`;
