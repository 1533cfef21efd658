import { type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { pageBudgetBytes } from '@connect/contracts';
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
 * query stopped short of that on size (see `budgetedItems`): more exist all the same.
 */
export function pageFrom<T extends { id: string; updatedAt: string }>(
  rows: T[],
  page: PageRequest,
  scope: string,
  totalCount: number,
  otherSide: boolean,
  cut = false,
): Page<T> {
  return pageSortedBy(rows, page, scope, totalCount, otherSide, cut, (item) => item.updatedAt);
}

/** `pageFrom` for a list sorted on another time than `updatedAt` (`sortedAt` gives it). */
export function pageSortedBy<T extends { id: string }>(
  rows: T[],
  page: PageRequest,
  scope: string,
  totalCount: number,
  otherSide: boolean,
  cut: boolean,
  sortedAt: (item: T) => string,
): Page<T> {
  const more = rows.length > page.first || cut;
  const items = rows.slice(0, page.first);
  if (page.before) items.reverse();
  const hasNext = page.before ? otherSide : more;
  const hasPrev = page.before ? more : otherSide;
  const cursorOf = (item: T) => encodeCursor({ scope, updatedAt: sortedAt(item), id: item.id });
  const first = items[0];
  const last = items[items.length - 1];
  return {
    totalCount,
    ...(hasNext && last ? { next: cursorOf(last) } : {}),
    ...(hasPrev && first ? { prev: cursorOf(first) } : {}),
    items,
  };
}

/**
 * `rows` (a query of `body` JSON and its 1-based `ord`er) with `fits`: an item fits while the items
 * before it hold less than `budget` bytes of JSON, so the first always does and what fits is a
 * prefix. Neon's HTTP service refuses a response whose values add up to more than 10 MiB: a list
 * keeps only what fits, so it holds at most `budget` bytes plus one item.
 */
export const fittingRows = (rows: SQL, budget: SQL): SQL => sql`
  SELECT p.body, p.ord,
         coalesce(sum(octet_length(p.body::text)) OVER (ORDER BY p.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           < ${budget} AS fits
  FROM (${rows}) p`;

/**
 * A page's items as `{ items, cut }` JSON from `rows` (see `fittingRows`): those that fit
 * `pageBudgetBytes`, and whether some were left for the next page. Read it with `pageFrom`.
 */
export const budgetedItems = (rows: SQL): SQL => sql`(SELECT json_build_object(
    'items', coalesce(json_agg(s.body ORDER BY s.ord) FILTER (WHERE s.fits), '[]'::json),
    'cut', coalesce(bool_or(NOT s.fits), false))
  FROM (${fittingRows(rows, sql`${pageBudgetBytes}`)}) s)`;

/** What `budgetedItems` gives (null only when its statement found no scope row). */
export type BudgetedItems<T> = { items: T[]; cut: boolean };

export const limitOf = (page: PageRequest): SQL => sql`${page.first + 1}`;
