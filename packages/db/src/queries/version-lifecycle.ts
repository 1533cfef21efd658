import type { ConnectorVersion, Subscription } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { done, refused, type Outcome, type Tagged } from '../outcome.js';
import { connectors, connectorVersions } from '../schema/connectors.js';
import {
  etagMatches,
  joinLatest,
  latest,
  scopeConnector as c,
  scopeVersion as v,
  versionIdFor,
  versionJson,
} from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { bare, execute, statement, type Statement, sql } from '../sql-names.js';
import type { Missing } from './version-children.js';
import { publishProblems } from './publish-problems.js';
import { refusalNamesAtMost, subscriptionsOf } from './subscription-json.js';

// Publish, unpublish, update and delete of a version. Each is one round trip: a batch in one
// transaction — the change, then a read of the version as it now is (a fresh snapshot, so
// isLatest/isDefault are right); publish locks the rows it checks first, and delete is one statement. Every change first locks the connector row, so the
// lifecycle requests of one connector take turns; the database's triggers hold the default rules.

export interface Target {
  organisationId: string;
  connectorId: string;
  /** A version name, `latest` or `default`. */
  version: string;
  /** Entity tags (unquoted, comma-separated) of which the version must still have one: else nothing changes. */
  ifMatch?: string | undefined;
}

/**
 * The connector row, locked, then the version the selector names with its derived flags
 * (`is_latest`, `is_default`, `is_explicit_default`: computed, so named in the SQL alone).
 */
const lockedTarget = (t: Target): SQL => sql`
  ${c} AS (
    SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${t.connectorId} AND ${c.organisationId} = ${t.organisationId}
    FOR UPDATE
  ),
  target AS (
    SELECT ${v}.*, coalesce(${v.id} = ${latest.id}, false) AS is_latest,
           coalesce(${v.id} = coalesce(${c.defaultVersionId}, ${latest.id}), false) AS is_default,
           coalesce(${c.defaultVersionId} = ${v.id}, false) AS is_explicit_default,
           md5((${versionJson(v, c)})::text) AS etag
    FROM ${c} ${joinLatest(c)}
    JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, t.version)}
  ),
  -- The version, only when it still has a tag of If-Match: every change below reads it, so a stale
  -- tag changes nothing.
  ${v} AS (SELECT * FROM target WHERE ${etagMatches(sql`target.etag`, t.ifMatch)}),
  remembered AS (SELECT set_config('connect.version_id', coalesce((SELECT ${v.id} FROM ${v}), ''), true) AS id)`;

/** What every change reports of its target (see `Found`), after `lockedTarget`. */
const foundColumns = sql`EXISTS (SELECT 1 FROM ${c}) AS connector_found, EXISTS (SELECT 1 FROM target) AS version_found,
           EXISTS (SELECT 1 FROM ${v}) AS matched, (SELECT id FROM remembered) AS remembered`;

/** The version the first statement remembered, as the API shows it. */
const readBack = statement<{ version: ConnectorVersion; etag: string }>(sql`
  SELECT s.version, md5(s.version::text) AS etag FROM (
    SELECT ${versionJson(v, c)} AS version
    FROM ${connectorVersions} ${v} JOIN ${connectors} ${c} ON ${c.id} = ${v.connectorId}
    ${joinLatest(c)}
    WHERE ${v.id} = current_setting('connect.version_id', true)
  ) s`);

type Found = {
  connector_found: boolean;
  version_found: boolean;
  matched: boolean;
  remembered: string;
};

/**
 * Locks the connector, then the version, in the order every lifecycle change takes them: a
 * statement after it in the batch starts after any change to them has committed and sees it (a
 * statement's own `FOR UPDATE` would see the locked row new but the rest of its snapshot old).
 */
export const lockStatement = (t: Target) => sql`
    WITH ${c} AS (SELECT ${c}.* FROM ${connectors} ${c} WHERE ${c.id} = ${t.connectorId} AND ${c.organisationId} = ${t.organisationId}
               FOR UPDATE),
    ${v} AS (SELECT ${v.id} FROM ${c} ${joinLatest(c)}
          JOIN ${connectorVersions} ${v} ON ${v.id} = ${versionIdFor(c, t.version)} FOR UPDATE OF ${v})
    SELECT count(*) AS locked FROM ${v}`;

/**
 * The change, then the read-back; with `If-Match`, the lock first, so the tag the change compares
 * is the version's current one even when another change committed while this one waited.
 */
async function run<T extends Found>(
  db: Db,
  t: Target,
  change: Statement<T>,
  lockFirst = t.ifMatch !== undefined,
): Promise<{ row: T; version: Tagged<ConnectorVersion> | null }> {
  if (!lockFirst) {
    const [changed, read] = await db.batch([execute(db, change), execute(db, readBack)]);
    return firstRow(changed.rows, read.rows);
  }
  const [, changed, read] = await db.batch([db.execute(lockStatement(t)), execute(db, change), execute(db, readBack)]);
  return firstRow(changed.rows, read.rows);
}

function firstRow<T>(
  changed: T[],
  read: { version: ConnectorVersion; etag: string }[],
): { row: T; version: Tagged<ConnectorVersion> | null } {
  const row = changed[0];
  if (!row) throw new Error('the change returned no row');
  const first = read[0];
  return { row, version: first ? { body: first.version, etag: first.etag } : null };
}

/** A lifecycle change: the version as it now is, or why not (`Extra` says more, where a refusal has it). */
export type LifecycleResult<Failure extends string, Extra extends object = object> = Outcome<
  Tagged<ConnectorVersion>,
  Missing | Failure | 'etag_mismatch',
  Extra
>;

/** Why the change did not find its target, or found it with another entity tag than If-Match's. */
const notFound = (row: Found): Missing | 'etag_mismatch' | null =>
  !row.connector_found
    ? 'connector_not_found'
    : !row.version_found
      ? 'version_not_found'
      : !row.matched
        ? 'etag_mismatch'
        : null;

/**
 * Publishes a draft that passes the checks: every action has at least one response (a trigger
 * needs none: the platform answers a webhook with its default when none is configured), and no link
 * was cut by a forced delete of definitions (`dangling_links`). `published_at` is the time of the
 * change, taken after the connector lock, so publishes of one connector are ordered in time.
 */
export async function publishVersion(
  db: Db,
  t: Target,
  /**
   * Under the `backward` compatibility policy, the latest version and the version's `updatedAt` the
   * caller checked the publish against (see `checkPublish`): the publish happens only while both are
   * still so. Without it, such a publish is refused as `compatibility_unchecked`.
   */
  checked?: CompatibilityChecked,
): Promise<LifecycleResult<'version_published' | 'invalid' | 'compatibility_unchecked', { messages?: string[] }>> {
  // Locks first, in the order every lifecycle change takes them (connector, then version), so the
  // checks below start after any change to the version's children has committed and see it.
  const lock = lockStatement(t);
  const change = statement<Found & { problems: string[]; changed: boolean; unchecked: boolean }>(
    writeStatement(
      sql`
    ${lockedTarget(t)},
    -- Under 'backward', only the pair that was checked may publish: the same latest (the lock above
    -- keeps it from moving until this commits) and the version unchanged since.
    policy AS (
      SELECT ${c.compatibilityPolicy} <> 'backward' OR ${latest.id} IS NULL
             OR coalesce(${latest.id} = ${checked?.latestId ?? null}::text
                 AND ${v.updatedAt} = ${checked?.versionUpdatedAt ?? null}::timestamptz, false) AS ok
      FROM ${c} ${joinLatest(c)}, ${v}
    ),
    problems AS (${publishProblems(sql`(SELECT ${v.id} FROM ${v})`)}
    ),
    changed AS (
      UPDATE ${connectorVersions}
      SET ${bare(connectorVersions.publishedAt)} = clock_timestamp(), ${bare(connectorVersions.updatedAt)} = clock_timestamp()
      FROM ${v}
      WHERE ${connectorVersions.id} = ${v.id} AND ${connectorVersions.publishedAt} IS NULL
        AND NOT EXISTS (SELECT 1 FROM problems) AND (SELECT ok FROM policy)
      RETURNING 1
    )`,
      sql`
    SELECT ${foundColumns},
           (SELECT coalesce(json_agg(text ORDER BY text), '[]'::json) FROM problems) AS problems,
           EXISTS (SELECT 1 FROM changed) AS changed,
           coalesce((SELECT NOT ok FROM policy), false) AS unchecked`,
    ),
  );
  const [, changed, read] = await db.batch([db.execute(lock), execute(db, change), execute(db, readBack)]);
  const { row, version } = firstRow(changed.rows, read.rows);
  const missing = notFound(row);
  if (missing) return refused(missing);
  if (row.changed && version) return done(version);
  if (version?.body.publishedAt) return refused('version_published');
  if (row.problems.length > 0) return { ...refused('invalid'), messages: row.problems };
  if (row.unchecked) return refused('compatibility_unchecked');
  return { ...refused('invalid'), messages: row.problems };
}

/** What a publish under the `backward` policy was checked against (see `publishVersion`). */
export interface CompatibilityChecked {
  latestId: string;
  /** The version's `updatedAt` as `checkPublish` read it (text, exact to the microsecond). */
  versionUpdatedAt: string;
}

/**
 * Makes a published version a draft again; refused for the connector's chosen default, and for a
 * version products subscribe to (the refusal names them). The locks come first, in a statement of
 * their own, so a subscribe that committed while this waited is seen.
 */
export async function unpublishVersion(
  db: Db,
  t: Target,
): Promise<
  LifecycleResult<
    'version_not_published' | 'version_is_default' | 'version_subscribed',
    { subscriptions?: Subscription[] }
  >
> {
  const change = statement<Found & { is_default: boolean; subscriptions: Subscription[]; changed: boolean }>(
    writeStatement(
      sql`
    ${lockedTarget(t)},
    subscribed AS (SELECT ${subscriptionsOf(sql`SELECT ${v.id} FROM ${v}`, refusalNamesAtMost)} AS list),
    changed AS (
      UPDATE ${connectorVersions} SET ${bare(connectorVersions.publishedAt)} = NULL, ${bare(connectorVersions.updatedAt)} = clock_timestamp(),
        -- A draft is not deprecated: publishing it again starts afresh.
        ${bare(connectorVersions.deprecatedAt)} = NULL, ${bare(connectorVersions.sunsetAt)} = NULL,
        ${bare(connectorVersions.deprecationMessage)} = NULL
      FROM ${v}, ${c}, subscribed
      WHERE ${connectorVersions.id} = ${v.id} AND ${connectorVersions.publishedAt} IS NOT NULL
        AND ${c.defaultVersionId} IS DISTINCT FROM ${v.id} AND json_array_length(subscribed.list) = 0
      RETURNING 1
    )`,
      sql`
    SELECT ${foundColumns},
           coalesce((SELECT ${v}.is_explicit_default FROM ${v}), false) AS is_default,
           (SELECT list FROM subscribed) AS subscriptions,
           EXISTS (SELECT 1 FROM changed) AS changed`,
    ),
  );
  const [, changed, read] = await db.batch([db.execute(lockStatement(t)), execute(db, change), execute(db, readBack)]);
  const { row, version } = firstRow(changed.rows, read.rows);
  const missing = notFound(row);
  if (missing) return refused(missing);
  if (row.changed && version) return done(version);
  if (row.is_default) return refused('version_is_default');
  if (version?.body.publishedAt && row.subscriptions.length > 0) {
    return { ...refused('version_subscribed'), subscriptions: row.subscriptions };
  }
  return refused('version_not_published');
}

export interface VersionChanges {
  /** Read-only fields as the caller sent them: each must match the version. */
  id?: string | undefined;
  name?: string | undefined;
  createdAt?: string | undefined;
  publishedAt?: string | null | undefined;
  isLatest?: boolean | undefined;
  description?: string | undefined;
  isDefault?: boolean | undefined;
  /** A time deprecates, null undeprecates (and clears the sunset and message); undefined: unchanged. */
  deprecatedAt?: string | null | undefined;
  sunsetAt?: string | null | undefined;
  deprecationMessage?: string | null | undefined;
}

export type UpdateFailure =
  | 'read_only'
  | 'version_published'
  | 'default_not_published'
  | 'default_is_latest'
  | 'deprecation_not_published'
  | 'sunset_without_deprecation'
  | 'message_without_deprecation'
  | 'sunset_before_deprecation'
  | 'default_deprecated'
  | 'deprecated_default';

/**
 * Updates a version: its description (drafts only), whether it is the connector's chosen default
 * and its deprecation (published versions only; clearing the default lets it fall back to latest).
 * The chosen default is never deprecated: the two are decided under the connector lock, which the
 * batch takes first (see `lockStatement`), so racing changes of them take turns.
 */
export async function updateVersion(
  db: Db,
  t: Target,
  changes: VersionChanges,
): Promise<LifecycleResult<UpdateFailure, { fields?: string[] }>> {
  const depSent = changes.deprecatedAt !== undefined;
  const { row, version } = await run(
    db,
    t,
    statement<Found & { read_only: string[]; outcome: string; changed: boolean }>(sql`
    WITH ${lockedTarget(t)},
    deprecation AS (
      SELECT d.*, d.dep IS DISTINCT FROM ${v.deprecatedAt} OR d.sun IS DISTINCT FROM ${v.sunsetAt}
               OR d.msg IS DISTINCT FROM ${v.deprecationMessage} AS new_deprecation
      FROM ${v}, LATERAL (
        SELECT
          CASE WHEN ${depSent} THEN ${changes.deprecatedAt ?? null}::timestamptz ELSE ${v.deprecatedAt} END AS dep,
          CASE WHEN ${changes.sunsetAt !== undefined} THEN ${changes.sunsetAt ?? null}::timestamptz
               WHEN ${depSent} AND ${changes.deprecatedAt ?? null}::timestamptz IS NULL THEN NULL
               ELSE ${v.sunsetAt} END AS sun,
          CASE WHEN ${changes.deprecationMessage !== undefined} THEN ${changes.deprecationMessage ?? null}::text
               WHEN ${depSent} AND ${changes.deprecatedAt ?? null}::timestamptz IS NULL THEN NULL
               ELSE ${v.deprecationMessage} END AS msg
      ) d
    ),
    decision AS (
      SELECT ${v.id},
        array_remove(ARRAY[
          CASE WHEN ${changes.id ?? null}::text IS NOT NULL AND ${changes.id ?? null}::text <> ${v.id} THEN 'id' END,
          CASE WHEN ${changes.name ?? null}::text IS NOT NULL AND ${changes.name ?? null}::text <> ${v.name} THEN 'name' END,
          CASE WHEN ${changes.createdAt ?? null}::timestamptz IS NOT NULL
                AND ${changes.createdAt ?? null}::timestamptz <> ${v.createdAt} THEN 'createdAt' END,
          CASE WHEN ${changes.publishedAt !== undefined}
                AND ${changes.publishedAt ?? null}::timestamptz IS DISTINCT FROM ${v.publishedAt} THEN 'publishedAt' END,
          CASE WHEN ${changes.isLatest ?? null}::boolean IS NOT NULL AND ${changes.isLatest ?? null}::boolean <> ${v}.is_latest
               THEN 'isLatest' END
        ], NULL) AS read_only,
        ${changes.description ?? null}::text IS NOT NULL AND ${changes.description ?? null}::text <> ${v.description} AS new_description,
        -- Compared with the explicit choice: true on the version that is default only as latest pins it.
        ${changes.isDefault ?? null}::boolean IS NOT NULL AND ${changes.isDefault ?? null}::boolean <> ${v}.is_explicit_default AS new_default,
        ${v}.is_default,
        ${v.publishedAt} IS NOT NULL AS published, ${v}.is_explicit_default,
        deprecation.dep, deprecation.sun, deprecation.msg, deprecation.new_deprecation,
        coalesce(${changes.isDefault ?? null}::boolean, ${v}.is_explicit_default) AS will_be_default
      FROM ${v}, deprecation
    ),
    verdict AS (
      SELECT d.*, CASE
        WHEN cardinality(d.read_only) > 0 THEN 'read_only'
        WHEN d.new_description AND d.published THEN 'version_published'
        WHEN d.new_default AND ${changes.isDefault ?? null}::boolean AND NOT d.published THEN 'default_not_published'
        WHEN NOT ${changes.isDefault ?? null}::boolean AND d.is_default AND NOT d.is_explicit_default THEN 'default_is_latest'
        WHEN d.new_deprecation AND NOT d.published THEN 'deprecation_not_published'
        WHEN d.dep IS NULL AND d.sun IS NOT NULL THEN 'sunset_without_deprecation'
        WHEN d.dep IS NULL AND d.msg IS NOT NULL THEN 'message_without_deprecation'
        WHEN d.sun < d.dep THEN 'sunset_before_deprecation'
        WHEN d.dep IS NOT NULL AND d.will_be_default AND d.new_default THEN 'deprecated_default'
        WHEN d.dep IS NOT NULL AND d.will_be_default AND d.new_deprecation THEN 'default_deprecated'
        ELSE 'ok' END AS outcome
      FROM decision d
    ),
    described AS (
      UPDATE ${connectorVersions}
      SET ${bare(connectorVersions.description)} = CASE WHEN verdict.new_description THEN ${changes.description ?? null}::text
                                                         ELSE ${connectorVersions.description} END,
          ${bare(connectorVersions.deprecatedAt)} = verdict.dep, ${bare(connectorVersions.sunsetAt)} = verdict.sun,
          ${bare(connectorVersions.deprecationMessage)} = verdict.msg,
          ${bare(connectorVersions.updatedAt)} = clock_timestamp()
      FROM verdict WHERE ${connectorVersions.id} = verdict.id AND verdict.outcome = 'ok'
        AND (verdict.new_description OR verdict.new_deprecation)
      RETURNING 1
    ),
    defaulted AS (
      UPDATE ${connectors} SET ${bare(connectors.defaultVersionId)} = CASE WHEN ${changes.isDefault ?? null}::boolean THEN verdict.id END,
                            ${bare(connectors.updatedAt)} = clock_timestamp()
      FROM verdict, ${c} WHERE ${connectors.id} = ${c.id} AND verdict.outcome = 'ok' AND verdict.new_default
      RETURNING 1
    )
    SELECT ${foundColumns},
           coalesce((SELECT to_json(read_only) FROM verdict), '[]'::json) AS read_only,
           coalesce((SELECT outcome FROM verdict), 'ok') AS outcome,
           EXISTS (SELECT 1 FROM described) OR EXISTS (SELECT 1 FROM defaulted) AS changed
  `),
    // Always locked first: a deprecation and a choice of default must see each other committed.
    true,
  );
  const missing = notFound(row);
  if (missing) return refused(missing);
  if (row.outcome !== 'ok') return { ...refused(row.outcome as UpdateFailure), fields: row.read_only };
  if (!version) return refused('version_not_found');
  return done(version);
}

/**
 * Deletes a version with its children. A published version only with `force`, which also clears
 * it as the connector's chosen default.
 */
export async function deleteVersion(
  db: Db,
  t: Target & { force: boolean },
): Promise<Outcome<null, Missing | 'version_published' | 'etag_mismatch'>> {
  const remove = statement<Found & { deleted: boolean }>(sql`
    WITH ${lockedTarget(t)},
    undefaulted AS (
      UPDATE ${connectors} SET ${bare(connectors.defaultVersionId)} = NULL
      FROM ${v}, ${c} WHERE ${connectors.id} = ${c.id} AND ${c.defaultVersionId} = ${v.id} AND ${t.force}
      RETURNING 1
    ),
    deleted AS (
      DELETE FROM ${connectorVersions} USING ${v}
      WHERE ${connectorVersions.id} = ${v.id} AND (${connectorVersions.publishedAt} IS NULL OR ${t.force})
      RETURNING 1
    )
    SELECT ${foundColumns}, EXISTS (SELECT 1 FROM deleted) AS deleted
  `);
  // With If-Match, the lock first (see `run`): the tag compared is the version's current one.
  const rows =
    t.ifMatch === undefined
      ? (await execute(db, remove)).rows
      : (await db.batch([db.execute(lockStatement(t)), execute(db, remove)]))[1].rows;
  const row = rows[0];
  if (!row) throw new Error('the delete returned no row');
  const missing = notFound(row);
  if (missing) return refused(missing);
  return row.deleted ? done(null) : refused('version_published');
}
