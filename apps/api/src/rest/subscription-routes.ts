import { pageQuery, subscription, subscriptionCreate, subscriptionPage, ulid } from '@connect/contracts';
import { notFound } from '@connect/router';
import { createSubscription, deleteSubscription, listSubscriptions } from '@connect/router/operations';
import { created, noContent, ok, type routeRegistrar } from './documented-route.js';
import { jsonBody, queryOf, replayable, versionOf } from './request.js';

const subscriptions = '/o/:organisation_id/connectors/:connector_id/versions/:version/subscriptions';

/**
 * Subscriptions of products to published versions (the reference names subscribers but gives no
 * routes; these follow its style). Subscribing is idempotent per subscriber: 201 the first time,
 * then 200 with the same subscription.
 */
export function subscriptionRoutes(route: ReturnType<typeof routeRegistrar>): void {
  route(subscriptions, {
    POST: {
      doc: {
        operationId: 'CreateSubscription',
        summary: 'Subscribe to a published version (idempotent per subscriber)',
        tag: 'subscriptions',
        body: subscriptionCreate,
        response: created(subscription),
      },
      handle: async (c) => {
        const input = { ...versionOf(c), ...(await jsonBody(c, subscriptionCreate)) };
        const answer = await replayable(c, 'CreateSubscription', input, (op) => createSubscription(op, input));
        return c.json(answer.subscription, answer.created ? 201 : 200);
      },
    },
    GET: {
      doc: {
        operationId: 'ListSubscriptions',
        summary: 'List the subscriptions of a version',
        tag: 'subscriptions',
        query: pageQuery,
        response: ok(subscriptionPage),
      },
      handle: async (c) =>
        c.json(await listSubscriptions(c.var.operation, { ...versionOf(c), ...queryOf(c, pageQuery) })),
    },
  });

  route(`${subscriptions}/:subscription_id`, {
    DELETE: {
      doc: {
        operationId: 'DeleteSubscription',
        summary: 'Delete a subscription (unsubscribe)',
        tag: 'subscriptions',
        response: noContent,
      },
      handle: async (c) => {
        const id = ulid.safeParse(c.req.param('subscription_id'));
        if (!id.success) throw notFound('subscription');
        await deleteSubscription(c.var.operation, { ...versionOf(c), subscriptionId: id.data });
        return c.body(null, 204);
      },
    },
  });
}
