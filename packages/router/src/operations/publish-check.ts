import type { ConnectorVersionGetInput, PublishCheck, ValidationMessage } from '@connect/contracts';
import { checkPublish, type PublishCheckRow } from '@connect/db';
import { compatibilityOf, diffVersions } from '@connect/version-diff';
import { notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';

/**
 * A dry run of publish: the messages a publish would refuse with, the diff from the current latest,
 * what the connector's compatibility policy says of it and the subscriptions of that latest. Reads
 * only (one round trip); changes nothing.
 */
export async function checkPublishVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<PublishCheck> {
  return publishCheckOf(input, await readPublishCheck(ctx, input));
}

/** What `checkPublish` reads for version `input`; 404 when the connector or version is missing. */
export async function readPublishCheck(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<PublishCheckRow> {
  const result = await checkPublish(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!result.ok) throw notFound(result.reason === 'connector_not_found' ? 'connector' : 'connector version');
  return result.value;
}

/** The dry run's answer from what was read: the policy's refusal counts as a reason not to publish. */
export function publishCheckOf(input: ConnectorVersionGetInput, check: PublishCheckRow): PublishCheck {
  const diff = check.pair ? diffVersions(check.pair.from, check.pair.to) : null;
  const compatibility = compatibilityOf(check.policy, diff);
  const messages: ValidationMessage[] = [
    ...(check.published ? ['the version is already published'] : []),
    ...check.problems,
    ...(compatibility.compatible ? [] : [breakingMessage(compatibility.breakingCount, check.latest ?? '')]),
  ].map((text) => ({ text, severity: 'error' as const }));
  return {
    version: check.pair?.to.name ?? input.version,
    publishable: messages.length === 0,
    messages,
    latest: check.latest,
    diff,
    subscriptions: check.subscriptions,
    subscriptionCount: check.subscriptionCount,
    compatibility,
  };
}

/** Why the `backward` policy refuses a publish, in a sentence. */
export const breakingMessage = (count: number, latest: string) =>
  `the connector's compatibility policy is backward, and the version has ${String(count)} breaking change${count === 1 ? '' : 's'} from the latest version "${latest}"`;
