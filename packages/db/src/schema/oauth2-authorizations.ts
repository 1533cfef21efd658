import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, ulidId } from './columns.js';
import { connections } from './connections.js';
import { connectors } from './connectors.js';
import { organisations } from './organisations.js';

/**
 * An OAuth 2.0 authorization-code flow in progress, from InitialiseOAuth2Connection to the redirect:
 * what the signed `state` names. It binds the flow to its organisation, connector, connection,
 * client credential and client id, holds the PKCE verifier sealed (credential-cipher.ts, bound to
 * the organisation and this row's id), and is consumed once, by one conditional update.
 */
export const oauth2Authorizations = pgTable(
  'oauth2_authorizations',
  {
    id: ulidId(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    connectorId: text('connector_id')
      .notNull()
      .references(() => connectors.id, { onDelete: 'cascade' }),
    connectionId: text('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    /**
     * The connection's `oauth2-client` credential, whose secret the code is exchanged with. No
     * foreign key of its own: a credential goes only with its connection, which takes this row along.
     */
    clientCredentialId: text('client_credential_id').notNull(),
    /** The client id the authorize URL was made for: the redirect fails if the credential's differs. */
    clientId: text('client_id').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    /** The scopes requested: kept on the token credential when the provider does not name them. */
    scopes: jsonb('scopes').$type<string[]>().notNull().default([]),
    /** The PKCE code verifier, sealed; null when the scheme has PKCE off. */
    verifier: text('verifier'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  // The scheduled purge finds expired flows by this index.
  (t) => [index('oauth2_authorizations_expires_idx').on(t.expiresAt)],
);
