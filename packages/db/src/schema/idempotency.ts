import { index, json, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The first answer to a request sent with an `Idempotency-Key`, kept so that a retry gets it back.
 * A request's answer is the rows of each statement of its one database transaction: `answer` holds
 * one JSON array per statement, in order (`json`, not `jsonb`, so the objects inside keep their key
 * order and a replay renders the same bytes). Written by the request's last statement (see
 * `src/idempotency.ts`), claimed by `idempotency_claim` (migration `idempotency_one_answer`). No
 * foreign key to organisations: an organisation known only from an id_token gets its row in the
 * same statement that stores the answer, and rows only ever expire.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    organisationId: text('organisation_id').notNull(),
    /** The operation the key was used for (`CreateConnectorVersion`, `trpc:connectors.create`, …). */
    route: text('route').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the canonical validated input (path parameters included). */
    requestHash: text('request_hash').notNull(),
    answer: json('answer').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.route, t.key] }),
    // The scheduled handler purges expired answers. Rows are appended in about the order they
    // expire (one TTL for all), so a BRIN index finds them while costing a keyed write next to
    // nothing, unlike a B-tree entry per row.
    index('idempotency_keys_expires_idx').using('brin', t.expiresAt),
  ],
);
