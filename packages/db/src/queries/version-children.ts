import { isReservedVersionName, type VersionDeprecation } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import {
  deprecationJson,
  etagMatches,
  joinLatest,
  scopeConnector as c,
  scopeVersion as v,
  versionIdFor,
} from '../sql-fragments.js';
import { bare, sql } from '../sql-names.js';
import { budgetedItems, keyset, limitOf, pageFrom, type BudgetedItems, type Page, type PageRequest } from './page.js';

// What every read and write of a version's children (actions, triggers, definitions) shares:
// finding the version a path names, and the three-statement batch that changes children.

export interface VersionTarget {
  organisationId: string;
  connectorId: string;
  /** A version name, `latest` or `default`. */
  version: string;
  /** URL prefix of the connector's raw schemas, up to the version segment (definitions' `url`). */
  schemaBase: string;
  /** Where a read leaves the version's deprecation, read in the same statement as its answer. */
  notice?: VersionNotice | undefined;
}

/**
 * What a read learnt of the version it read through, beside its answer: the HTTP layer turns it
 * into the `Deprecation`, `Sunset` and `Link` headers (the answer's shape stays the reference's).
 */
export interface VersionNotice {
  deprecation: VersionDeprecation | null;
}

/** CTEs `c` (the caller's connector) and `v` (the version the selector names in it). */
export const versionScope = (t: VersionTarget, lock = false): SQL => sql`
  ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${t.connectorId} AND ${c.organisationId} = ${t.organisationId}),
  ${v} AS (
    SELECT ${v}.* FROM ${c} ${joinLatest(c)}
    JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, t.version)}
    ${lock ? sql`FOR UPDATE OF ${v}` : sql``}
  )`;

export const scopeColumns = sql`EXISTS (SELECT 1 FROM ${c}) AS connector_found, EXISTS (SELECT 1 FROM ${v}) AS version_found`;

export type ScopeRow = {
  connector_found: boolean;
  version_found: boolean;
};

export type Missing = 'connector_not_found' | 'version_not_found';

export const missingOf = (row: ScopeRow | undefined): Missing | null =>
  !row?.connector_found ? 'connector_not_found' : !row.version_found ? 'version_not_found' : null;

/**
 * One child of the version, read with the version's scope: `item` is a scalar subquery (SELECT …)
 * that is null when the version has no such child, which is then `notFound`.
 */
export async function readChild<Item, Reason extends string>(
  db: Db,
  t: VersionTarget,
  item: SQL,
  notFound: Reason,
): Promise<Outcome<Item, Missing | Reason>> {
  const found = await readTaggedChild<Item, Reason>(db, t, item, notFound);
  return found.ok ? done(found.value.body) : found;
}

/** `readChild`, with the child's entity tag: the MD5 of the JSON text the database builds for it. */
export async function readTaggedChild<Item, Reason extends string>(
  db: Db,
  t: VersionTarget,
  item: SQL,
  notFound: Reason,
): Promise<Outcome<Tagged<Item>, Missing | Reason>> {
  const result = await db.execute<
    ScopeRow & { item: Item | null; etag: string | null; deprecation: VersionDeprecation | null }
  >(sql`
    WITH ${versionScope(t)}
    SELECT s.*, md5(s.item::text) AS etag FROM (
      SELECT ${scopeColumns},
        (${item}) AS item,
        (SELECT ${deprecationJson(v)} FROM ${v}) AS deprecation
    ) s`);
  const row = result.rows[0];
  if (t.notice && row) t.notice.deprecation = row.deprecation;
  const missing = missingOf(row);
  if (missing) return refused(missing);
  return row?.item && row.etag !== null ? done({ body: row.item, etag: row.etag }) : refused(notFound);
}

/**
 * Inside a change statement: the draft version the batch locked (empty when it is published or
 * missing, so the change does nothing). `v.name` serves the definitions' URLs.
 */
export const lockedDraft = sql`
  ${v} AS (SELECT * FROM ${connectorVersions}
           WHERE ${connectorVersions.id} = current_setting('connect.version_id', true) AND ${connectorVersions.publishedAt} IS NULL)`;

/** Inside a read-back statement: the locked version, whatever its state. */
export const lockedVersion = sql`
  ${v} AS (SELECT * FROM ${connectorVersions} WHERE ${connectorVersions.id} = current_setting('connect.version_id', true))`;

/** Marks the version changed: its `updatedAt` moves whenever one of its children changes. */
export const touchVersion = (when: SQL): SQL => sql`
  UPDATE ${connectorVersions} SET ${bare(connectorVersions.updatedAt)} = clock_timestamp() FROM ${v}
  WHERE ${connectorVersions.id} = ${v.id} AND (${when})
  RETURNING 1`;

/**
 * What a change to a version's children gives: the change's own row, the read-back, and the
 * read-back's entity tag (the same MD5 of the database's JSON a read of the child is tagged with).
 */
export type ChildWrite<Row extends Record<string, unknown>, Read> = Outcome<
  { row: Row; read: Read | null; etag: string | null },
  Missing | 'version_published' | 'etag_mismatch'
>;

/**
 * A condition on the child a write changes: `item` (as `readChild` takes it) must still have one of
 * the entity tags `ifMatch` (unquoted, comma-separated). Checked after the version lock, so no other
 * change to the version's children can come between the check and the change.
 */
export interface ChildCondition {
  item: SQL;
  ifMatch: string | undefined;
}

/**
 * Runs a change to a version's children as one batch (one round trip, one transaction):
 *  1. lock the version row (`FOR UPDATE`), so changes to one version's children and its
 *     publishing take turns, and remember its id;
 *  2. the change, which starts after the lock is held and so reads every committed child — the
 *     checks it makes (names free, links resolve) cannot be overtaken by a racing request;
 *  3. a read of the result with a fresh snapshot (what the change wrote, as the API shows it).
 */
export async function writeChildren<Row extends Record<string, unknown>, Read>(
  db: Db,
  t: VersionTarget,
  change: SQL,
  readBack: SQL,
  condition?: ChildCondition,
): Promise<ChildWrite<Row, Read>> {
  // `latest` and `default` always name a published version, so a change through them is refused
  // outright — also when the version they named is unpublished while this request waits for the
  // lock (the alias was resolved before the wait): the change then finds no version to touch.
  const alias = isReservedVersionName(t.version);
  const lock = db.execute<ScopeRow & { published: boolean | null; remembered: string }>(sql`
      WITH ${versionScope(t, true)}
      SELECT ${scopeColumns}, (SELECT ${v.publishedAt} IS NOT NULL OR ${alias} FROM ${v}) AS published,
             set_config('connect.version_id', CASE WHEN ${alias} THEN '' ELSE coalesce((SELECT ${v.id} FROM ${v}), '') END, true)
               AS remembered`);
  let mismatch = false;
  let results;
  // A change of one named child (it has a condition) answers the child's new tag: of the JSON text
  // the database builds, as a GET's is, so the PUT's answer carries the tag the next GET will have.
  // Creates answer no tag, so their read-backs (up to megabytes of definitions) are not hashed.
  const taggedRead = db.execute<{ read: Read | null; etag: string | null }>(
    condition === undefined
      ? sql`SELECT s.read, NULL::text AS etag FROM (${readBack}) s`
      : sql`SELECT s.read, md5(s.read::text) AS etag FROM (${readBack}) s`,
  );
  if (condition?.ifMatch === undefined) {
    results = await db.batch([lock, db.execute<Row>(change), taggedRead]);
  } else {
    // After the lock: when the child exists with another tag, forget the version, so the change
    // and the read-back find nothing to touch. A missing child is left to the change (its 404).
    const [lockedRows, checked, changedRows, readRows] = await db.batch([
      lock,
      db.execute<{ mismatch: boolean }>(sql`
        WITH ${lockedVersion},
        tagged AS (SELECT s.item IS NOT NULL AND NOT ${etagMatches(sql`md5(s.item::text)`, condition.ifMatch)} AS mismatch
                   FROM (SELECT (${condition.item}) AS item) s)
        SELECT tagged.mismatch,
               set_config('connect.version_id',
                 CASE WHEN tagged.mismatch THEN '' ELSE current_setting('connect.version_id', true) END, true) AS remembered
        FROM tagged`),
      db.execute<Row>(change),
      taggedRead,
    ]);
    mismatch = checked.rows[0]?.mismatch ?? false;
    results = [lockedRows, changedRows, readRows] as const;
  }
  const [locked, changed, read] = results;
  const scope = locked.rows[0];
  const missing = missingOf(scope);
  if (missing) return refused(missing);
  if (scope?.published) return refused('version_published');
  if (mismatch) return refused('etag_mismatch');
  const row = changed.rows[0];
  if (!row) throw new Error('the change returned no row');
  return done({ row, read: read.rows[0]?.read ?? null, etag: read.rows[0]?.etag ?? null });
}

/** A child's table under an alias: the columns a list of children reads. */
export type ChildRows = PgTable & { id: PgColumn; updatedAt: PgColumn; versionId: PgColumn; name: PgColumn };

/**
 * One page of a version's children of `table` (as `row`, an alias of it), most recently updated
 * first, with an optional case-insensitive name filter; `json` builds each item from `row`.
 * A page holds `first` items, or fewer when they pass `pageBudgetBytes` (it always holds one): 100
 * definitions with 256 KiB schemas would be 25 MiB.
 */
export async function listChildren<T extends { id: string; updatedAt: string }>(
  db: Db,
  t: VersionTarget,
  options: {
    table: PgTable;
    row: ChildRows;
    json: SQL;
    page: PageRequest;
    scope: string;
    name?: string | undefined;
  },
): Promise<Outcome<Page<T>, Missing>> {
  const o = options.row;
  const { where, order, other } = keyset(o, options.page);
  const named = options.name ? sql`strpos(lower(${o.name}), lower(${options.name})) > 0` : sql`true`;
  const from = sql`FROM ${options.table} ${o}, ${v} WHERE ${o.versionId} = ${v.id} AND ${named}`;
  type Row = ScopeRow & {
    total: number;
    other_side: boolean;
    page: BudgetedItems<T> | null;
    deprecation: VersionDeprecation | null;
  };
  const result = await db.execute<Row>(sql`
    WITH ${versionScope(t)}
    SELECT ${scopeColumns}, (SELECT ${deprecationJson(v)} FROM ${v}) AS deprecation,
      (SELECT count(*)::int ${from}) AS total,
      EXISTS (SELECT 1 ${from} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${options.json} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        ${from} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(options.page)}`)} AS page
  `);
  const row = result.rows[0];
  if (t.notice && row) t.notice.deprecation = row.deprecation;
  const missing = missingOf(row);
  if (missing || !row) return refused(missing ?? 'connector_not_found');
  const { items, cut } = row.page ?? { items: [], cut: false };
  return done(pageFrom(items, options.page, options.scope, row.total, row.other_side, cut));
}

/** Child cursors are valid only for the list (kind, connector and version selector) they came from. */
export const childCursorScope = (kind: string, connectorId: string, version: string) =>
  `${kind}:${connectorId}:${isReservedVersionName(version) ? version.toLowerCase() : version}`;
