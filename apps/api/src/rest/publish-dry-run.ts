import { isForced, publishQuery } from '@connect/contracts';
import { checkPublishVersion } from '@connect/router/operations';
import type { Context } from 'hono';
import type { AppEnv } from '../hono-env.js';
import { queryOf, versionOf } from './request.js';

/**
 * `POST …/publish?dryRun=true`: what publishing would do (the messages it would refuse with, the
 * diff from the current latest, the latest's subscriptions), changing nothing. Null when the
 * request is a real publish.
 */
export async function publishDryRun(c: Context<AppEnv>): Promise<Response | null> {
  const { dryRun } = queryOf(c, publishQuery);
  if (!isForced(dryRun)) return null;
  return c.json(await checkPublishVersion(c.var.operation, versionOf(c)));
}
