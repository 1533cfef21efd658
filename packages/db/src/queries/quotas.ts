import type { Limits, OverridableLimitName } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { operationTables } from '../operation-tables.js';
import { connectors } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { organisations } from '../schema/organisations.js';
import { bare, sql } from '../sql-names.js';

// Quotas are checked by the statement that writes, against rows it can see in full. For
// organisations (connectors, API keys) and versions (children) the parent row is locked by the
// statement before it in the same batch (one round trip, one transaction): under READ COMMITTED each
// statement reads with a fresh snapshot, so a write that waited for the lock counts what the request
// before it committed, and two creates at quota − 1 take turns: the second finds the quota full. A
// lock taken inside the writing statement itself would not do: the statement's snapshot predates
// the wait and would miss the other request's row.
//
// Versions of a connector are the exception: a create may copy a whole version, and holding the
// connector's lock for the copy put every create into one connector in one queue. There the write
// comes first, without the lock (its own count refuses a connector already full), and the batch
// ends with `recheckVersionsQuota`: it locks the connector only then and counts again in a fresh
// snapshot, withdrawing the version when racing requests took the last places first. Every
// statement that adds a version goes this way (create, copy, HTTP import, library import): one that
// took the connector's lock before its insert could wait, lock held, for a racing insert of the same
// name while that request waits for the lock.

/** The quotas a write is checked against (the deployment's resolved limits). */
export type Quotas = Pick<
  Limits,
  | 'connectorsPerOrganisation'
  | 'versionsPerConnector'
  | 'childrenPerVersion'
  | 'apiKeysPerOrganisation'
  | 'schemaBytes'
  | 'versionBytes'
>;

/** A quota a write went over: the limit's name and the value it was checked against. */
export interface QuotaExceeded {
  name: OverridableLimitName;
  value: number;
}

/** The limit a statement's `quota` column names (null: within every quota) with its value. */
export function exceededQuota(quotas: Partial<Quotas>, name: string | null | undefined): QuotaExceeded | null {
  if (name === null || name === undefined) return null;
  for (const [known, value] of Object.entries(quotas) as [keyof Quotas, number | undefined][]) {
    if (known === name && value !== undefined) return { name: known, value };
  }
  throw new Error(`the statement named a quota it was not given: ${name}`);
}

/** A quota's value as a bigint parameter, so comparisons with counts and sums need no guessing. */
export const quotaValue = (value: number): SQL => sql`${value}::bigint`;

/**
 * `CASE WHEN over THEN 'name' … END`: the first quota a write would pass, or null. Names are
 * limit names of the table, written as values (never identifiers).
 */
export const firstExceeded = (checks: [over: SQL, name: keyof Quotas][]): SQL =>
  sql`(CASE ${sql.join(
    checks.map(([over, name]) => sql`WHEN ${over} THEN ${name}::text`),
    sql` `,
  )} END)`;

/** How many children (actions, triggers, definitions) the version `versionId` (SQL) has. */
export function versionChildren(versionId: SQL): SQL {
  const d = alias(definitions, 'qd');
  const a = alias(operationTables.action.operations, 'qa');
  const t = alias(operationTables.trigger.operations, 'qt');
  return sql`((SELECT count(*) FROM ${definitions} ${d} WHERE ${d.versionId} = ${versionId})
    + (SELECT count(*) FROM ${operationTables.action.operations} ${a} WHERE ${a.versionId} = ${versionId})
    + (SELECT count(*) FROM ${operationTables.trigger.operations} ${t} WHERE ${t.versionId} = ${versionId}))`;
}

/** The UTF-8 bytes of all schemas of the version `versionId` (SQL). */
export function versionSchemaBytes(versionId: SQL): SQL {
  const d = alias(definitions, 'qd');
  return sql`(SELECT coalesce(sum(octet_length(${d.schemaContent})), 0) FROM ${definitions} ${d} WHERE ${d.versionId} = ${versionId})`;
}

/** The UTF-8 bytes of the largest schema of the version `versionId` (SQL). */
export function largestSchemaBytes(versionId: SQL): SQL {
  const d = alias(definitions, 'qd');
  return sql`(SELECT coalesce(max(octet_length(${d.schemaContent})), 0) FROM ${definitions} ${d} WHERE ${d.versionId} = ${versionId})`;
}

/**
 * Locks the organisation's row, creating it on first use (an organisation known only from an
 * id_token has none yet). `DO UPDATE … WHERE false` writes nothing but locks the existing row;
 * a new row is held by its own uncommitted insert, which a racing insert of it waits for. It
 * returns rows (the new one's id) so that a keyed request can nest it whole (idempotency.ts).
 */
export const lockOrganisation = (organisationId: string): SQL => sql`
  INSERT INTO ${organisations} (${bare(organisations.id, organisations.name)})
  VALUES (${organisationId}, ${organisationId})
  ON CONFLICT (${bare(organisations.id)}) DO UPDATE SET ${bare(organisations.name)} = EXCLUDED.${bare(organisations.name)} WHERE false
  RETURNING ${bare(organisations.id)}`;

/**
 * Holds the caller's connector (none when another organisation's or missing) for the rest of the
 * transaction with `FOR KEY SHARE`, the lock a foreign key's check takes: creates and copies of
 * versions hold it side by side, while a delete of the connector (and the lifecycle changes, which
 * lock it `FOR UPDATE`) waits for them, or they for it. In a statement of its own before the write,
 * so a write that waited for such a change reads what it committed (a connector deleted meanwhile is
 * not found, rather than failing the version's foreign key).
 */
export const holdConnector = (organisationId: string, connectorId: string): SQL => {
  const c = alias(connectors, 'hc');
  return sql`SELECT ${c.id} FROM ${connectors} ${c}
    WHERE ${c.id} = ${connectorId} AND ${c.organisationId} = ${organisationId} FOR KEY SHARE`;
};

/**
 * The last statement of a batch that adds a version to an existing connector, the version's id
 * remembered in `connect.version_id` by the statement that inserted it: `versions_quota_recheck`
 * (migration 0020) locks the connector, counts its versions in a query of its own (so after the
 * lock) and, over `quota`, deletes the version again. Its one column, `over`, is true then: the
 * request answers `quota_exceeded` for versionsPerConnector. Nothing inserted: false, and no lock.
 */
export const recheckVersionsQuota = (quota: number): SQL =>
  sql`SELECT versions_quota_recheck(current_setting('connect.version_id', true), ${quotaValue(quota)}) AS over`;

/** What `recheckVersionsQuota` gives. */
export type VersionsRecheck = { over: boolean };

/** What a refusal for a quota carries beyond its reason: the limit it went over. */
export interface QuotaDetail {
  readonly quota?: QuotaExceeded;
}
