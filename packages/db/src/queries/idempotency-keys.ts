import type { Db } from '../client.js';
import { idempotencyKeys } from '../schema/idempotency.js';
import { execute, statement, sql } from '../sql-names.js';

/**
 * Deletes up to `limit` expired answers of keyed requests (the scheduled purge), and says how many.
 * Out of the requests' way: a keyed request only ever deletes an expired answer of its own key.
 * Answers a request holds (its claim is deleting its own expired one) are skipped, not waited for.
 */
export async function purgeIdempotencyKeys(db: Db, limit: number): Promise<number> {
  const k = idempotencyKeys;
  const result = await execute(
    db,
    statement<{ purged: number }>(sql`
    WITH gone AS (
      DELETE FROM ${k} WHERE (${k.organisationId}, ${k.route}, ${k.key}) IN (
        SELECT ${k.organisationId}, ${k.route}, ${k.key} FROM ${k}
        WHERE ${k.expiresAt} <= now()
        LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING 1)
    SELECT count(*)::int AS purged FROM gone`),
  );
  return result.rows[0]?.purged ?? 0;
}
