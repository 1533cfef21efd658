import type { Subscription } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { writeStatement } from '../idempotency.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { versionSubscriptions } from '../schema/subscriptions.js';
import { joinLatest, scopeConnector as c, scopeVersion as v, versionIdFor } from '../sql-fragments.js';
import { bare, execute, statement, sql } from '../sql-names.js';
import {
  budgetedItems,
  keyset,
  limitOf,
  pageSortedBy,
  type BudgetedItems,
  type Page,
  type PageRequest,
} from './page.js';
import { lockStatement, type Target } from './version-lifecycle.js';
import { s, subscriptionJsonOf } from './subscription-json.js';
import type { Missing } from './version-children.js';

// Subscriptions of products to published versions. A subscribe takes the same locks as the
// lifecycle changes (connector, then version) in a statement of its own before it writes, so it
// and an unpublish of the same version take turns and each sees what the other committed.

const subscriptionJson = subscriptionJsonOf(v);

/** CTEs `c` (the caller's connector) and `v` (the version the selector names in it), unlocked. */
const scope = (t: Target): SQL => sql`
  ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${t.connectorId} AND ${c.organisationId} = ${t.organisationId}),
  ${v} AS (SELECT ${v}.* FROM ${c} ${joinLatest(c)} JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, t.version)})`;

type ScopeRow = { connector_found: boolean; version_found: boolean };
const scopeColumns = sql`EXISTS (SELECT 1 FROM ${c}) AS connector_found, EXISTS (SELECT 1 FROM ${v}) AS version_found`;
const missingOf = (row: ScopeRow | undefined): Missing | null =>
  !row?.connector_found ? 'connector_not_found' : !row.version_found ? 'version_not_found' : null;

/** A subscription, and whether this request made it (else the subscriber had one already). */
export interface SubscriptionWrite {
  subscription: Subscription;
  created: boolean;
}

/**
 * Subscribes `subscriber` to the published version `t` names (an alias: the version it names
 * now). Subscribing again answers the subscription there is, unchanged.
 */
export async function createSubscription(
  db: Db,
  t: Target,
  input: { subscriber: string; description?: string | undefined },
): Promise<Outcome<SubscriptionWrite, Missing | 'version_not_published'>> {
  const existing = alias(versionSubscriptions, 'existing');
  const change = statement<ScopeRow & { published: boolean; created: boolean; body: Subscription | null }>(
    writeStatement(
      sql`
    ${scope(t)},
    inserted AS (
      INSERT INTO ${versionSubscriptions} (${bare(versionSubscriptions.versionId, versionSubscriptions.subscriber, versionSubscriptions.description)})
      SELECT ${v.id}, ${input.subscriber}, ${input.description ?? ''} FROM ${v} WHERE ${v.publishedAt} IS NOT NULL
      ON CONFLICT (${bare(versionSubscriptions.versionId, versionSubscriptions.subscriber)}) DO NOTHING
      RETURNING *
    ),
    ${s} AS (
      SELECT * FROM inserted
      UNION ALL
      SELECT ${existing}.* FROM ${versionSubscriptions} ${existing} JOIN ${v} ON ${existing.versionId} = ${v.id}
      WHERE ${existing.subscriber} = ${input.subscriber} AND NOT EXISTS (SELECT 1 FROM inserted)
    )`,
      sql`
    SELECT ${scopeColumns},
           coalesce((SELECT ${v.publishedAt} IS NOT NULL FROM ${v}), false) AS published,
           EXISTS (SELECT 1 FROM inserted) AS created,
           (SELECT ${subscriptionJson} FROM ${s}, ${v}) AS body`,
    ),
  );
  const [, result] = await db.batch([db.execute(lockStatement(t)), execute(db, change)]);
  const row = result.rows[0];
  const missing = missingOf(row);
  if (missing) return refused(missing);
  if (!row?.body) return refused('version_not_published');
  return done({ subscription: row.body, created: row.created });
}

/** A page of a version's subscriptions, newest first (they never change, so by creation time). */
export async function listSubscriptions(
  db: Db,
  input: Target & { page: PageRequest },
): Promise<Outcome<Page<Subscription>, Missing>> {
  const { where, order, other } = keyset({ updatedAt: s.createdAt, id: s.id }, input.page);
  const mine = sql`${s.versionId} = ${v.id}`;
  const result = await db.execute<
    ScopeRow & { total: number; other_side: boolean; page: BudgetedItems<Subscription> | null }
  >(sql`
    WITH ${scope(input)}
    SELECT ${scopeColumns},
      (SELECT count(*)::int FROM ${versionSubscriptions} ${s}, ${v} WHERE ${mine}) AS total,
      EXISTS (SELECT 1 FROM ${versionSubscriptions} ${s}, ${v} WHERE ${mine} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${subscriptionJson} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${versionSubscriptions} ${s}, ${v}
        WHERE ${mine} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page`);
  const row = result.rows[0];
  const missing = missingOf(row);
  if (missing || !row?.page) return refused(missing ?? 'version_not_found');
  const scopeText = subscriptionCursorScope(input.connectorId, input.version);
  const { items, cut } = row.page;
  return done(pageSortedBy(items, input.page, scopeText, row.total, row.other_side, cut, (x) => x.createdAt));
}

/** Subscription cursors are valid only for the list (connector and version selector) they came from. */
export const subscriptionCursorScope = (connectorId: string, version: string) =>
  `subscriptions:${connectorId}:${version}`;

/** Deletes one subscription of the version `t` names (unsubscribes). */
export async function deleteSubscription(
  db: Db,
  t: Target & { subscriptionId: string },
): Promise<Outcome<null, Missing | 'subscription_not_found'>> {
  const result = await execute(
    db,
    statement<ScopeRow & { deleted: boolean }>(sql`
    WITH ${scope(t)},
    deleted AS (
      DELETE FROM ${versionSubscriptions} USING ${v}
      WHERE ${versionSubscriptions.id} = ${t.subscriptionId} AND ${versionSubscriptions.versionId} = ${v.id}
      RETURNING 1
    )
    SELECT ${scopeColumns}, EXISTS (SELECT 1 FROM deleted) AS deleted`),
  );
  const row = result.rows[0];
  const missing = missingOf(row);
  if (missing) return refused(missing);
  return row?.deleted ? done(null) : refused('subscription_not_found');
}
