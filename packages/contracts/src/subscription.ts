import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText, ulid, versionSelector } from './names.js';
import { oneDirection, pageInfo, pageQueryFields } from './page.js';

/** C0 controls and DEL: never part of a name a person reads. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Who subscribes: a product or system naming itself (`switchboard`, `board:01H…`), 1–256
 * printable characters without leading or trailing spaces.
 */
export const subscriber = storableText(
  z
    .string({ error: 'subscriber is required and must be a string' })
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters')
    .refine((text) => !hasControl(text), 'must not contain control characters')
    .refine((text) => text.trim() === text, 'must not start or end with spaces'),
);

/** A product's subscription to a published version, as every response shows it. */
export const subscription = z.object({
  id: z.string(),
  subscriber: z.string(),
  description: z.string(),
  /** The name of the version subscribed to (an alias resolves when subscribing). */
  version: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Subscription = z.infer<typeof subscription>;

/** Body of CreateSubscription. */
export const subscriptionCreate = z.object({
  subscriber,
  description: storableText(
    z
      .string()
      .max(
        limitTable.descriptionLength.default,
        `must be at most ${String(limitTable.descriptionLength.default)} characters`,
      ),
  ).optional(),
});
export type SubscriptionCreate = z.infer<typeof subscriptionCreate>;

export const subscriptionPage = pageInfo.extend({ items: z.array(subscription) });
export type SubscriptionPage = z.infer<typeof subscriptionPage>;

/** Inputs of the subscription procedures: the version (and subscription) the path would name. */
export const subscriptionCreateInput = subscriptionCreate.extend({ connectorId: ulid, version: versionSelector });
export const subscriptionListInput = oneDirection(
  pageQueryFields.extend({ connectorId: ulid, version: versionSelector }),
);
export const subscriptionDeleteInput = z.object({ connectorId: ulid, version: versionSelector, subscriptionId: ulid });
export type SubscriptionCreateInput = z.infer<typeof subscriptionCreateInput>;
export type SubscriptionListInput = z.infer<typeof subscriptionListInput>;
export type SubscriptionDeleteInput = z.infer<typeof subscriptionDeleteInput>;

/** A create's answer: the subscription, and whether this request made it (201) or found it (200). */
export interface SubscriptionCreated {
  subscription: Subscription;
  created: boolean;
}
