import type { ApiKey } from '@connect/contracts';
import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { done, refused, type Outcome } from '../outcome.js';
import { apiKeys } from '../schema/organisations.js';
import { isoTime, organisationOnFirstUse } from '../sql-fragments.js';
import { writeStatement } from '../idempotency.js';
import { bare, execute, statement, sql } from '../sql-names.js';
import { exceededQuota, firstExceeded, lockOrganisation, quotaValue, type QuotaDetail, type Quotas } from './quotas.js';
import {
  budgetedItems,
  keyset,
  limitOf,
  pageSortedBy,
  type BudgetedItems,
  type Page,
  type PageRequest,
} from './page.js';

/** A live key (not revoked, not expired) as authentication needs it. */
export interface VerifiedKey {
  id: string;
  organisationId: string;
  /** Epoch milliseconds, or null for a key that never expires. */
  expiresAt: number | null;
}

/** The live key with this SHA-256. */
export async function findLiveKey(db: Db, keyHash: string): Promise<Outcome<VerifiedKey, 'key_not_found'>> {
  // One table, so its columns go unqualified: the bench tells key lookups and the background
  // touch below from a request's own round trip by their text (`WHERE key_hash`, `SET last_used_at`).
  const result = await db.execute<{ id: string; organisation_id: string; expires_ms: string | null }>(sql`
    SELECT ${bare(apiKeys.id, apiKeys.organisationId)},
           (extract(epoch FROM ${bare(apiKeys.expiresAt)}) * 1000)::bigint::text AS expires_ms
    FROM ${apiKeys}
    WHERE ${bare(apiKeys.keyHash)} = ${keyHash} AND ${bare(apiKeys.revokedAt)} IS NULL
      AND (${bare(apiKeys.expiresAt)} IS NULL OR ${bare(apiKeys.expiresAt)} > now())
  `);
  const row = result.rows[0];
  return row
    ? done({
        id: row.id,
        organisationId: row.organisation_id,
        expiresAt: row.expires_ms === null ? null : Number(row.expires_ms),
      })
    : refused('key_not_found');
}

/** Records that a key was used (called off the request path). */
export async function touchKey(db: Db, keyId: string): Promise<void> {
  await db.execute(sql`UPDATE ${apiKeys} SET ${bare(apiKeys.lastUsedAt)} = now() WHERE ${bare(apiKeys.id)} = ${keyId}`);
}

/** A key as the API lists it, built by the database. */
export type ApiKeyRow = ApiKey;

/** The key row (table alias or CTE) every statement below reads. */
const k = alias(apiKeys, 'k');

const keyJson = sql`json_build_object(
  'id', ${k.id}, 'name', ${k.name}, 'prefix', ${k.prefix},
  'createdAt', ${isoTime(k.createdAt)}, 'expiresAt', ${isoTime(k.expiresAt)},
  'lastUsedAt', ${isoTime(k.lastUsedAt)}, 'revokedAt', ${isoTime(k.revokedAt)})`;

/** A statement whose rows are keys as the API lists them. */
const keyBodies = (query: SQL) => statement<{ body: ApiKeyRow }>(query);

export async function insertApiKey(
  db: Db,
  input: {
    organisationId: string;
    name: string;
    prefix: string;
    keyHash: string;
    expiresAt?: string | undefined;
    quotas: Pick<Quotas, 'apiKeysPerOrganisation'>;
  },
): Promise<Outcome<ApiKeyRow, 'key_not_stored' | 'quota_exceeded', QuotaDetail>> {
  const counted = alias(apiKeys, 'counted');
  // Only active keys count: revoking or letting a key expire frees its place.
  const active = sql`(SELECT count(*) FROM ${apiKeys} ${counted}
    WHERE ${counted.organisationId} = ${input.organisationId} AND ${counted.revokedAt} IS NULL
      AND (${counted.expiresAt} IS NULL OR ${counted.expiresAt} > now()))`;
  // The organisation's row is locked first (and created on first use: it may be known only from a
  // verified token), so racing creates count each other's keys (see quotas.ts).
  const [, result] = await db.batch([
    db.execute(lockOrganisation(input.organisationId)),
    execute(
      db,
      statement<{ body: ApiKeyRow | null; quota: string | null }>(
        writeStatement(
          sql`
    o AS (${organisationOnFirstUse(input.organisationId)}),
    over AS MATERIALIZED (
      SELECT ${firstExceeded([[sql`${active} >= ${quotaValue(input.quotas.apiKeysPerOrganisation)}`, 'apiKeysPerOrganisation']])} AS quota
    ),
    ${k} AS (
      INSERT INTO ${apiKeys} (${bare(apiKeys.organisationId, apiKeys.name, apiKeys.prefix, apiKeys.keyHash, apiKeys.expiresAt)})
      SELECT ${input.organisationId}, ${input.name}, ${input.prefix}, ${input.keyHash}, ${input.expiresAt ?? null}::timestamptz
      FROM over WHERE over.quota IS NULL
      RETURNING *
    )`,
          sql`SELECT (SELECT ${keyJson} FROM ${k}) AS body, over.quota FROM over`,
        ),
      ),
    ),
  ]);
  const row = result.rows[0];
  const exceeded = exceededQuota(input.quotas, row?.quota);
  if (exceeded) return { ok: false, reason: 'quota_exceeded', quota: exceeded };
  return row?.body ? done(row.body) : refused('key_not_stored');
}

/**
 * A page of the organisation's keys, newest first, revoked ones included (they say when):
 * `first` of them, or fewer when they pass `pageBudgetBytes` of JSON. An organisation may hold
 * any number of keys; unpaged, 45,000 of them were more than the database driver can answer.
 */
export async function listApiKeys(
  db: Db,
  input: { organisationId: string; page: PageRequest },
): Promise<Page<ApiKeyRow>> {
  // Keys never change but for revocation and use, so they page by creation time.
  const { where, order, other } = keyset({ updatedAt: k.createdAt, id: k.id }, input.page);
  const mine = sql`${k.organisationId} = ${input.organisationId}`;
  const result = await db.execute<{ total: number; other_side: boolean; page: BudgetedItems<ApiKeyRow> }>(sql`
    SELECT
      (SELECT count(*)::int FROM ${apiKeys} ${k} WHERE ${mine}) AS total,
      EXISTS (SELECT 1 FROM ${apiKeys} ${k} WHERE ${mine} AND ${other}) AS other_side,
      ${budgetedItems(sql`
        SELECT ${keyJson} AS body, row_number() OVER (ORDER BY ${order}) AS ord
        FROM ${apiKeys} ${k}
        WHERE ${mine} AND ${where}
        ORDER BY ${order}
        LIMIT ${limitOf(input.page)}`)} AS page
  `);
  const row = result.rows[0];
  if (!row) throw new Error('aggregate query returned no row');
  const { items, cut } = row.page;
  const scope = apiKeyCursorScope(input.organisationId);
  return pageSortedBy(items, input.page, scope, row.total, row.other_side, cut, (key) => key.createdAt);
}

/** Key cursors are valid only for the organisation they were issued for. */
export const apiKeyCursorScope = (organisationId: string) => `api-keys:${organisationId}`;

/** Revokes a key of the organisation; revoking twice keeps the first time. */
export async function revokeApiKey(
  db: Db,
  organisationId: string,
  keyId: string,
): Promise<Outcome<ApiKeyRow, 'key_not_found'>> {
  const result = await execute(
    db,
    keyBodies(sql`
    WITH ${k} AS (
      UPDATE ${apiKeys} SET ${bare(apiKeys.revokedAt)} = coalesce(${apiKeys.revokedAt}, now())
      WHERE ${apiKeys.id} = ${keyId} AND ${apiKeys.organisationId} = ${organisationId}
      RETURNING *
    )
    SELECT ${keyJson} AS body FROM ${k}
  `),
  );
  const row = result.rows[0];
  return row ? done(row.body) : refused('key_not_found');
}
