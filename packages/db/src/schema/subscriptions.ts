import { index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, ulidId, updatedAt } from './columns.js';
import { connectorVersions } from './connectors.js';

/**
 * A product's statement that it uses a published version. While a version has one it cannot be
 * unpublished, and its connector is deleted only with `force`; deleting the version (forced)
 * removes its subscriptions with it.
 */
export const versionSubscriptions = pgTable(
  'version_subscriptions',
  {
    id: ulidId(),
    versionId: text('version_id')
      .notNull()
      .references(() => connectorVersions.id, { onDelete: 'cascade' }),
    subscriber: text('subscriber').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One subscription per subscriber and version: subscribing again answers the one there is.
    unique('version_subscriptions_subscriber_unique').on(t.versionId, t.subscriber),
    index('version_subscriptions_version_created_idx').on(t.versionId, t.createdAt.desc(), t.id.desc()),
  ],
);
