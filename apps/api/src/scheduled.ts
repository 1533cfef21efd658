import { createDb } from '@connect/db';
import { refreshExpiringOAuth2Tokens } from '@connect/router/operations';
import { purgeUploads } from './import/upload-store.js';
import { deploymentKeyring } from './keyring.js';

/**
 * The Cron Trigger's work (wrangler.jsonc `triggers.crons`): deletes uploaded import documents past
 * their hour, renews OAuth 2.0 tokens about to expire and purges finished authorization flows.
 * Logs counts only, never a token or a provider's answer.
 */
export async function scheduledWork(env: Env): Promise<{ refreshed: number; failed: number; purged: number }> {
  const uploads = await purgeUploads(env.UPLOADS);
  if (uploads > 0) console.log(`scheduled: ${String(uploads)} uploaded documents past their hour deleted`);
  const keyring = deploymentKeyring(env);
  if (!keyring) return { refreshed: 0, failed: 0, purged: 0 };
  // A longer statement timeout than a request's: nobody is waiting on this.
  const db = createDb(env.DATABASE_URL, { statementTimeoutMs: 10_000 });
  const outcome = await refreshExpiringOAuth2Tokens({ db, keyring: await keyring() });
  if (outcome.refreshed + outcome.failed + outcome.purged > 0) {
    console.log(
      `scheduled: ${String(outcome.refreshed)} OAuth 2.0 tokens refreshed, ${String(outcome.failed)} failed, ${String(outcome.purged)} flows purged`,
    );
  }
  return outcome;
}
