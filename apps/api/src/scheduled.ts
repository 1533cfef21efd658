import { createDb, purgeIdempotencyKeys } from '@connect/db';
import { refreshExpiringOAuth2Tokens } from '@connect/router/operations';
import { purgeUploads } from './import/upload-store.js';
import { deploymentKeyring } from './keyring.js';

/** Expired Idempotency-Key answers deleted per scheduled run at most. */
const idempotencyPurgeLimit = 10_000;

/**
 * The Cron Trigger's work (wrangler.jsonc `triggers.crons`): deletes uploaded import documents past
 * their hour and expired Idempotency-Key answers, renews OAuth 2.0 tokens about to expire and purges
 * finished authorization flows. Logs counts only, never a token or a provider's answer.
 */
export async function scheduledWork(env: Env): Promise<{ refreshed: number; failed: number; purged: number }> {
  const uploads = await purgeUploads(env.UPLOADS);
  if (uploads > 0) console.log(`scheduled: ${String(uploads)} uploaded documents past their hour deleted`);
  // A longer statement timeout than a request's: nobody is waiting on this.
  const db = createDb(env.DATABASE_URL, { statementTimeoutMs: 10_000 });
  // Here rather than in each keyed request, which then writes no more than its own answer. A run
  // every two minutes deleting up to this many keeps up with far more keyed requests than that.
  const keys = await purgeIdempotencyKeys(db, idempotencyPurgeLimit);
  if (keys > 0) console.log(`scheduled: ${String(keys)} expired idempotency keys purged`);
  const keyring = deploymentKeyring(env);
  if (!keyring) return { refreshed: 0, failed: 0, purged: 0 };
  const outcome = await refreshExpiringOAuth2Tokens({ db, keyring: await keyring() });
  if (outcome.refreshed + outcome.failed + outcome.purged > 0) {
    console.log(
      `scheduled: ${String(outcome.refreshed)} OAuth 2.0 tokens refreshed, ${String(outcome.failed)} failed, ${String(outcome.purged)} flows purged`,
    );
  }
  return outcome;
}
