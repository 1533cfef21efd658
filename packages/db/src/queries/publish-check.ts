import type { CompatibilityPolicy, Subscription, VersionSnapshot } from '@connect/contracts';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import { versionSubscriptions } from '../schema/subscriptions.js';
import { joinLatest, latest, scopeConnector as c, scopeVersion as v, versionIdFor } from '../sql-fragments.js';
import { sql } from '../sql-names.js';
import { publishProblems } from './publish-problems.js';
import { refusalNamesAtMost, subscriptionsOf } from './subscription-json.js';
import type { CompatibilityChecked, Target } from './version-lifecycle.js';
import type { Missing } from './version-children.js';
import { pairOf, readPendingSchemas, versionPairStatement } from './version-snapshots.js';

// What publishing a version would do, without doing it: one batch (one round trip) of two reads —
// the checks publish makes and the current latest with its subscriptions, then both versions'
// children for the diff from latest.

export interface PublishCheckRow {
  published: boolean;
  problems: string[];
  /** The current latest version's name, or null when nothing is published. */
  latest: string | null;
  /** The connector's compatibility policy. */
  policy: CompatibilityPolicy;
  /** What a publish under the policy must still find (`publishVersion`'s `checked`); null with no latest. */
  checked: CompatibilityChecked | null;
  subscriptions: Subscription[];
  subscriptionCount: number;
  /** The latest version and the target, when there is a latest. */
  pair: { from: VersionSnapshot; to: VersionSnapshot } | null;
}

/** Reads what a publish of version `t` would check and change; changes nothing. */
export async function checkPublish(db: Db, t: Target): Promise<Outcome<PublishCheckRow, Missing>> {
  const named = alias(connectorVersions, 'named');
  const [checks, children] = await db.batch([
    db.execute<{
      connector_found: boolean;
      version_found: boolean;
      published: boolean;
      problems: string[];
      latest: string | null;
      subscriptions: Subscription[];
      subscription_count: number;
      policy: CompatibilityPolicy;
      latest_id: string | null;
      version_updated_at: string | null;
    }>(sql`
    WITH ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${t.connectorId} AND ${c.organisationId} = ${t.organisationId}),
    current AS (SELECT ${latest.id} AS id FROM ${c} ${joinLatest(c)}),
    ${v} AS (SELECT ${v}.* FROM ${c} ${joinLatest(c)} JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, t.version)}),
    -- The same checks as publish.
    problems AS (${publishProblems(sql`(SELECT ${v.id} FROM ${v})`)}
    )
    SELECT EXISTS (SELECT 1 FROM ${c}) AS connector_found, EXISTS (SELECT 1 FROM ${v}) AS version_found,
      (SELECT ${c.compatibilityPolicy} FROM ${c}) AS policy, (SELECT id FROM current) AS latest_id,
      (SELECT ${v.updatedAt}::text FROM ${v}) AS version_updated_at,
      coalesce((SELECT ${v.publishedAt} IS NOT NULL FROM ${v}), false) AS published,
      (SELECT coalesce(json_agg(text ORDER BY text), '[]'::json) FROM problems) AS problems,
      (SELECT ${named.name} FROM ${connectorVersions} ${named} WHERE ${named.id} = (SELECT id FROM current)) AS latest,
      ${subscriptionsOf(sql`SELECT id FROM current`, refusalNamesAtMost)} AS subscriptions,
      (SELECT count(*)::int FROM ${versionSubscriptions} WHERE ${versionSubscriptions.versionId} = (SELECT id FROM current)) AS subscription_count`),
    db.execute<{ from: VersionSnapshot | null; to: VersionSnapshot | null }>(
      versionPairStatement({ ...t, from: 'latest', to: t.version }),
    ),
  ]);
  const row = checks.rows[0];
  if (!row?.connector_found) return refused('connector_not_found');
  if (!row.version_found) return refused('version_not_found');
  const pair = pairOf(children.rows[0]);
  if (pair.ok) await readPendingSchemas(db, pair.value);
  return done({
    published: row.published,
    problems: row.problems,
    latest: row.latest,
    policy: row.policy,
    checked:
      row.latest_id !== null && row.version_updated_at !== null
        ? { latestId: row.latest_id, versionUpdatedAt: row.version_updated_at }
        : null,
    subscriptions: row.subscriptions,
    subscriptionCount: row.subscription_count,
    pair: pair.ok ? pair.value : null,
  });
}
