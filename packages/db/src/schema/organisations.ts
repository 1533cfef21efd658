import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, ulidId } from './columns.js';

export const organisations = pgTable('organisations', {
  id: ulidId(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** API keys: only the SHA-256 of the secret is stored; the organisation comes from the key. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: ulidId(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the secret, so a person can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // The key list pages newest first: a page is read from this index, not sorted from all keys.
    index('api_keys_organisation_created_idx').on(t.organisationId, t.createdAt.desc(), t.id.desc()),
    check('api_keys_hash_is_sha256', sql`${t.keyHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
