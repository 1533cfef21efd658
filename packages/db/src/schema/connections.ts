import type { AuthSchemeConfig } from '@connect/contracts';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, ulidId, updatedAt } from './columns.js';
import { connectors } from './connectors.js';
import { organisations } from './organisations.js';

/** A connection: a named set of credentials and variables with which a connector reaches its API. */
export const connections = pgTable(
  'connections',
  {
    id: ulidId(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    variables: jsonb('variables').$type<{ name: string; value: string }[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('connections_name_unique').on(t.connectorId, t.name),
    // The list pages most recently updated first, per connector.
    index('connections_connector_updated_idx').on(t.connectorId, t.updatedAt.desc(), t.id.desc()),
  ],
);

/**
 * A connection's credentials, each with the auth scheme config it is used with (a copy: the
 * connector's config may change or go, the connection keeps working). Secret fields are only in
 * `secret`, an AES-256-GCM envelope naming its key (credential-cipher.ts) and bound to the
 * organisation and `credential_id`; `data` holds the rest, as reads show it.
 */
export const connectionCredentials = pgTable(
  'connection_credentials',
  {
    id: ulidId(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /** Whether the credential authenticates the connector's actions or its triggers. */
    usage: text('usage').notNull(),
    position: integer('position').notNull(),
    authSchemeConfig: jsonb('auth_scheme_config').$type<AuthSchemeConfig>().notNull(),
    /** Chosen by the Worker before encrypting, since the ciphertext is bound to it. */
    credentialId: text('credential_id').notNull().unique(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    secret: text('secret'),
    /** When an OAuth 2.0 access token expires (null: unknown or never). */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    /**
     * On an `oauth2-client` credential: a refresh of its token holds it until then (a lease), so two
     * refreshes (the scheduled one and an explicit one, or two overlapping runs) never both spend
     * a rotating refresh token at the provider. Cleared when the refresh stores or fails.
     */
    refreshingUntil: timestamp('refreshing_until', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Reads order by position; no unique key on it, as a reorder swaps positions row by row.
    index('connection_credentials_connection_idx').on(t.connectionId, t.usage, t.position),
    check('connection_credentials_usage_known', sql`${t.usage} IN ('action', 'trigger')`),
    // Every envelope names its format and key: `v1.<key id>.<iv>.<ciphertext>`.
    check(
      'connection_credentials_secret_envelope',
      sql`${t.secret} IS NULL OR ${t.secret} ~ '^v1\\.[A-Za-z0-9_-]+\\.'`,
    ),
    // The scheduled refresh finds the tokens about to expire by this index.
    index('connection_credentials_token_expiry_idx').on(t.expiresAt).where(sql`${t.type} = 'oauth2-token'`),
    // Re-encryption finds the rows of an old key by this index.
    index('connection_credentials_key_idx').on(sql`split_part(${t.secret}, '.', 2)`),
  ],
);
