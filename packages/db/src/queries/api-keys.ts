import type { ApiKey } from '@connect/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { isoTime } from '../sql-fragments.js';

/** A live key (not revoked, not expired) as authentication needs it. */
export interface VerifiedKey {
  id: string;
  organisationId: string;
  /** Epoch milliseconds, or null for a key that never expires. */
  expiresAt: number | null;
}

/** The live key with this SHA-256, or null. */
export async function findLiveKey(db: Db, keyHash: string): Promise<VerifiedKey | null> {
  const result = await db.execute<{ id: string; organisation_id: string; expires_ms: string | null }>(sql`
    SELECT id, organisation_id, (extract(epoch FROM expires_at) * 1000)::bigint::text AS expires_ms
    FROM api_keys
    WHERE key_hash = ${keyHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
  `);
  const row = result.rows[0];
  return row
    ? {
        id: row.id,
        organisationId: row.organisation_id,
        expiresAt: row.expires_ms === null ? null : Number(row.expires_ms),
      }
    : null;
}

/** Records that a key was used (called off the request path). */
export async function touchKey(db: Db, keyId: string): Promise<void> {
  await db.execute(sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${keyId}`);
}

/** A key as the API lists it, built by the database. */
export type ApiKeyRow = ApiKey;

const keyJson = sql.raw(`json_build_object(
  'id', k.id, 'name', k.name, 'prefix', k.prefix,
  'createdAt', ${isoTime('k.created_at')}, 'expiresAt', ${isoTime('k.expires_at')},
  'lastUsedAt', ${isoTime('k.last_used_at')}, 'revokedAt', ${isoTime('k.revoked_at')})`);

export async function insertApiKey(
  db: Db,
  input: { organisationId: string; name: string; prefix: string; keyHash: string; expiresAt?: string | undefined },
): Promise<ApiKeyRow | null> {
  // The organisation comes from a verified token and may have no row yet: it is created on first use.
  const result = await db.execute<{ body: ApiKeyRow }>(sql`
    WITH o AS (
      INSERT INTO organisations (id, name) VALUES (${input.organisationId}, ${input.organisationId})
      ON CONFLICT (id) DO NOTHING
    ),
    k AS (
      INSERT INTO api_keys (organisation_id, name, prefix, key_hash, expires_at)
      VALUES (${input.organisationId}, ${input.name}, ${input.prefix}, ${input.keyHash}, ${input.expiresAt ?? null}::timestamptz)
      RETURNING *
    )
    SELECT ${keyJson} AS body FROM k
  `);
  return result.rows[0]?.body ?? null;
}

/** The organisation's keys, newest first, revoked ones included (they say when). */
export async function listApiKeys(db: Db, organisationId: string): Promise<ApiKeyRow[]> {
  const result = await db.execute<{ body: ApiKeyRow }>(sql`
    SELECT ${keyJson} AS body FROM api_keys k WHERE k.organisation_id = ${organisationId}
    ORDER BY k.created_at DESC, k.id DESC
  `);
  return result.rows.map((r) => r.body);
}

/** Revokes a key of the organisation; revoking twice keeps the first time. Null when no such key. */
export async function revokeApiKey(db: Db, organisationId: string, keyId: string): Promise<ApiKeyRow | null> {
  const result = await db.execute<{ body: ApiKeyRow }>(sql`
    WITH k AS (
      UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
      WHERE id = ${keyId} AND organisation_id = ${organisationId}
      RETURNING *
    )
    SELECT ${keyJson} AS body FROM k
  `);
  return result.rows[0]?.body ?? null;
}
