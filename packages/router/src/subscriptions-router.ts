import { subscriptionCreateInput, subscriptionDeleteInput, subscriptionListInput } from '@connect/contracts';
import { keyed } from './keyed.js';
import { createSubscription, deleteSubscription, listSubscriptions } from './operations/subscriptions.js';
import { protectedProcedure, router } from './trpc.js';

/** Subscriptions of products to published versions: the same operations as REST's. */
export const subscriptionsRouter = router({
  /** Idempotent per subscriber: `created` says whether this call made the subscription. */
  create: protectedProcedure
    .input(subscriptionCreateInput)
    .mutation(({ ctx, input }) =>
      keyed(ctx, 'trpc:subscriptions.create', input, (op) => createSubscription(op, input)),
    ),
  list: protectedProcedure.input(subscriptionListInput).query(({ ctx, input }) => listSubscriptions(ctx, input)),
  delete: protectedProcedure
    .input(subscriptionDeleteInput)
    .mutation(({ ctx, input }) => deleteSubscription(ctx, input)),
});
