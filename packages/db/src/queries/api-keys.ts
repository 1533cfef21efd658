import { sql } from 'drizzle-orm';
import type { Db } from '../client';

/** The organisation of a live key (not revoked, not expired) with this SHA-256, or null. */
export async function findKeyOrganisation(db: Db, keyHash: string): Promise<string | null> {
  const result = await db.execute<{ organisation_id: string }>(sql`
    SELECT organisation_id FROM api_keys
    WHERE key_hash = ${keyHash} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
  `);
  return result.rows[0]?.organisation_id ?? null;
}
