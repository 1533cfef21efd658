import { oauth2CallbackQuery, oauth2CallbackResult } from '@connect/contracts';
import { createDb } from '@connect/db';
import { ApiError } from '@connect/router';
import { completeOAuth2Authorization } from '@connect/router/operations';
import type { Context } from 'hono';
import type { AppEnv } from '../hono-env.js';
import { deploymentKeyring } from '../keyring.js';
import { requestLimits } from '../rate-limit.js';
import { ok, type OperationDoc } from './documented-route.js';

/** The redirect endpoint as the OpenAPI document shows it: public (`security: []`). */
export const oauth2CallbackDoc: OperationDoc = {
  operationId: 'CompleteOAuth2Connection',
  summary:
    'The OAuth 2.0 redirect: checks the state, exchanges the code and stores the tokens (public; docs/oauth2.md)',
  tag: 'connections',
  query: oauth2CallbackQuery,
  response: ok(oauth2CallbackResult),
  public: true,
};

/** The statement timeout of the deployment (as for every other request), in milliseconds. */
function statementTimeoutMs(env: Env): number {
  const ms = Number(env.STATEMENT_TIMEOUT_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : 3_000;
}

/**
 * GET /oauth2/callback: where the provider sends the user's browser back. No credential of ours
 * comes with it, so it is rate-limited by client address like any unauthenticated request.
 */
export async function oauth2Callback(c: Context<AppEnv>): Promise<Response> {
  await requestLimits(c.env, (name) => c.req.header(name)).admit(null);
  const keyring = deploymentKeyring(c.env);
  if (!keyring) throw new ApiError('internal', 'the service is misconfigured (its credential key); see its log');
  const query = oauth2CallbackQuery.parse(c.req.query());
  const db = createDb(c.env.DATABASE_URL, { statementTimeoutMs: statementTimeoutMs(c.env) });
  return c.json(await completeOAuth2Authorization({ db, keyring: await keyring() }, query));
}
