import { type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { connectorVersions } from '../schema/connectors.js';
import { versionSubscriptions } from '../schema/subscriptions.js';
import { isoTime } from '../sql-fragments.js';
import { sql } from '../sql-names.js';

/** The subscription row (table alias or CTE) the statements below read. */
export const s = alias(versionSubscriptions, 's');

/** Subscription row `s` of the version row `of` as the API shows it. */
export const subscriptionJsonOf = (of: { name: PgColumn }): SQL => sql`json_build_object(
  'id', ${s.id}, 'subscriber', ${s.subscriber}, 'description', ${s.description}, 'version', ${of.name},
  'createdAt', ${isoTime(s.createdAt)}, 'updatedAt', ${isoTime(s.updatedAt)})`;
/** How many subscriptions a refusal names at most (the rest are in the version's subscription list). */
export const refusalNamesAtMost = 20;

/**
 * Up to `limit` subscriptions of the versions whose ids `versionIds` (a subquery) gives, oldest
 * first, as the API shows them in a JSON array: what a refusal names.
 */
export const subscriptionsOf = (versionIds: SQL, limit: number): SQL => {
  const vn = alias(connectorVersions, 'subscribed');
  return sql`(SELECT coalesce(json_agg(x.body ORDER BY x.created, x.id), '[]'::json) FROM (
    SELECT ${subscriptionJsonOf(vn)} AS body, ${s.createdAt} AS created, ${s.id} AS id
    FROM ${versionSubscriptions} ${s} JOIN ${connectorVersions} ${vn} ON ${vn.id} = ${s.versionId}
    WHERE ${s.versionId} IN (${versionIds})
    ORDER BY ${s.createdAt}, ${s.id} LIMIT ${sql.raw(String(limit))}) x)`;
};
