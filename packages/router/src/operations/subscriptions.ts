import type {
  Subscription,
  SubscriptionCreated,
  SubscriptionCreateInput,
  SubscriptionDeleteInput,
  SubscriptionListInput,
  SubscriptionPage,
} from '@connect/contracts';
import {
  createSubscription as insertSubscription,
  deleteSubscription as removeSubscription,
  listSubscriptions as findSubscriptions,
  subscriptionCursorScope,
} from '@connect/db';
import { ApiError, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { pageRequest } from './paging.js';

const missing = (reason: 'connector_not_found' | 'version_not_found') =>
  notFound(reason === 'connector_not_found' ? 'connector' : 'connector version');

/**
 * Subscribes a product to a published version (an alias: the version it names now). Idempotent
 * per subscriber: again, it answers the subscription there is (`created: false`).
 */
export async function createSubscription(
  ctx: OperationContext,
  input: SubscriptionCreateInput,
): Promise<SubscriptionCreated> {
  const { connectorId, version, subscriber, description } = input;
  const result = await insertSubscription(
    ctx.db,
    { organisationId: ctx.organisationId, connectorId, version },
    { subscriber, description },
  );
  if (result.ok) return result.value;
  if (result.reason === 'version_not_published') {
    throw new ApiError('version_not_published', 'only a published version can be subscribed to');
  }
  throw missing(result.reason);
}

/** A page of a version's subscriptions, newest first. */
export async function listSubscriptions(
  ctx: OperationContext,
  input: SubscriptionListInput,
): Promise<SubscriptionPage> {
  const result = await findSubscriptions(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    version: input.version,
    page: pageRequest(input, subscriptionCursorScope(input.connectorId, input.version)),
  });
  if (!result.ok) throw missing(result.reason);
  return result.value;
}

/** Deletes a subscription of the version (the product unsubscribes). */
export async function deleteSubscription(ctx: OperationContext, input: SubscriptionDeleteInput): Promise<void> {
  const result = await removeSubscription(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (result.ok) return;
  throw result.reason === 'subscription_not_found' ? notFound('subscription') : missing(result.reason);
}

export type { Subscription };
