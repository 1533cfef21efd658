import type { ConnectorVersionGetInput, PublishCheck } from '@connect/contracts';
import { checkPublish } from '@connect/db';
import { diffVersions } from '@connect/version-diff';
import { notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';

/**
 * A dry run of publish: the messages a publish would refuse with, the diff from the current latest
 * and the subscriptions of that latest. Reads only (one round trip); changes nothing.
 */
export async function checkPublishVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<PublishCheck> {
  const result = await checkPublish(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!result.ok) throw notFound(result.reason === 'connector_not_found' ? 'connector' : 'connector version');
  const check = result.value;
  const messages = [...(check.published ? ['the version is already published'] : []), ...check.problems].map(
    (text) => ({ text, severity: 'error' as const }),
  );
  return {
    version: check.pair?.to.name ?? input.version,
    publishable: messages.length === 0,
    messages,
    latest: check.latest,
    diff: check.pair ? diffVersions(check.pair.from, check.pair.to) : null,
    subscriptions: check.subscriptions,
    subscriptionCount: check.subscriptionCount,
  };
}
