import type { Limits, OverridableLimitName } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { operationTables } from '../operation-tables.js';
import { connectors } from '../schema/connectors.js';
import { definitions } from '../schema/definitions.js';
import { organisations } from '../schema/organisations.js';
import { bare, sql } from '../sql-names.js';

// Quotas are checked by the statement that writes, against rows it can see in full: the parent row
// (organisation, connector or version) is locked by the statement before it in the same batch (one
// round trip, one transaction). Under READ COMMITTED each statement reads with a fresh snapshot, so
// a write that waited for the lock counts what the request before it committed: two creates at
// quota − 1 take turns and the second finds the quota full. A lock taken inside the writing
// statement itself would not do: the statement's snapshot predates the wait and would miss the
// other request's row.

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
 * Locks the caller's connector (none when another organisation's or missing). `NO KEY UPDATE`:
 * creates of versions take turns, while foreign-key checks of other writes (key share) pass.
 */
export const lockConnector = (organisationId: string, connectorId: string): SQL => {
  const c = alias(connectors, 'lc');
  return sql`SELECT ${c.id} FROM ${connectors} ${c}
    WHERE ${c.id} = ${connectorId} AND ${c.organisationId} = ${organisationId} FOR NO KEY UPDATE`;
};

/** What a refusal for a quota carries beyond its reason: the limit it went over. */
export interface QuotaDetail {
  readonly quota?: QuotaExceeded;
}
