import type { AuthSchemeConfig } from '@connect/contracts';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { createdAt, ulidId, updatedAt } from './columns.js';
import { organisations } from './organisations.js';

export const connectors = pgTable(
  'connectors',
  {
    id: ulidId(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    protocol: text('protocol').notNull().default('http'),
    baseUrl: text('base_url').notNull(),
    public: boolean('public').notNull().default(false),
    documentationUrl: text('documentation_url'),
    imageUrl: text('image_url'),
    tags: jsonb('tags').$type<Record<string, string[]>>().notNull().default({}),
    connectionVariables: jsonb('connection_variables').$type<{ name: string; value: string }[]>().notNull().default([]),
    /** The reference's categories (a fixed list, checked by contracts), in the reference's order. */
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    /** The ordered auth scheme configs: small, read whole with the connector, never joined on. */
    authSchemeConfigs: jsonb('auth_scheme_configs').$type<AuthSchemeConfig[]>().notNull().default([]),
    /**
     * The version the user chose as default. A single column, so "at most one default per
     * connector" cannot be broken by any interleaving; null means default falls back to latest.
     */
    defaultVersionId: text('default_version_id'),
    /**
     * `backward`: a publish that breaks callers of the latest version within its SemVer major is
     * refused (docs/version-intelligence.md); `none`: any version publishes.
     */
    compatibilityPolicy: text('compatibility_policy').notNull().default('none'),
    /**
     * The public connector this one was imported from (ImportPublicConnectorVersion): later imports
     * of that connector's versions by the same organisation add versions here. Null when the
     * connector was made here, or its source has since been deleted.
     */
    librarySourceId: text('library_source_id').references((): AnyPgColumn => connectors.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('connectors_organisation_updated_idx').on(t.organisationId, t.updatedAt.desc(), t.id.desc()),
    // The public library (ListPublicConnectors) pages public connectors across organisations.
    index('connectors_public_updated_idx').on(t.updatedAt.desc(), t.id.desc()).where(sql`${t.public}`),
    // One connector per organisation and public source: racing imports meet here.
    unique('connectors_library_source_unique').on(t.organisationId, t.librarySourceId),
    check('connectors_protocol_known', sql`${t.protocol} IN ('http')`),
    check('connectors_compatibility_policy_known', sql`${t.compatibilityPolicy} IN ('none', 'backward')`),
    // The default must be a published version of this same connector (checked by the composite key).
    foreignKey({
      name: 'connectors_default_version_fk',
      columns: [t.id, t.defaultVersionId],
      foreignColumns: [connectorVersions.connectorId, connectorVersions.id],
    }),
  ],
);

export const connectorVersions = pgTable(
  'connector_versions',
  {
    id: ulidId(),
    connectorId: text('connector_id')
      .notNull()
      .references((): AnyPgColumn => connectors.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Null while the version is a draft. "latest" is derived from it on read. */
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    /** Set on a published version whose callers should move on (RFC 9745); may lie in the future. */
    deprecatedAt: timestamp('deprecated_at', { withTimezone: true, precision: 3 }),
    /** When the deprecated version stops being served (RFC 8594); only with `deprecatedAt`. */
    sunsetAt: timestamp('sunset_at', { withTimezone: true, precision: 3 }),
    deprecationMessage: text('deprecation_message'),
  },
  (t) => [
    unique('connector_versions_name_unique').on(t.connectorId, t.name),
    unique('connector_versions_connector_id_unique').on(t.connectorId, t.id),
    index('connector_versions_updated_idx').on(t.connectorId, t.updatedAt.desc(), t.id.desc()),
    index('connector_versions_published_idx')
      .on(t.connectorId, t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.publishedAt} IS NOT NULL`),
    // Any text (see `versionName` in contracts): 1–128 characters, no control characters, no white
    // space at either end.
    check(
      'connector_versions_name_text',
      sql`char_length(${t.name}) BETWEEN 1 AND 128 AND ${t.name} !~ '[\\u0001-\\u001f\\u007f-\\u009f]' AND ${t.name} !~ '^\\s|\\s$'`,
    ),
    check('connector_versions_name_not_reserved', sql`lower(${t.name}) NOT IN ('latest', 'default')`),
    check('connector_versions_description_length', sql`char_length(${t.description}) <= 2000`),
    // Only a published version is deprecated (unpublish clears it); a sunset and a message only
    // come with a deprecation, and a sunset does not come before it.
    check('connector_versions_deprecation_published', sql`${t.deprecatedAt} IS NULL OR ${t.publishedAt} IS NOT NULL`),
    check(
      'connector_versions_deprecation_complete',
      sql`${t.deprecatedAt} IS NOT NULL OR (${t.sunsetAt} IS NULL AND ${t.deprecationMessage} IS NULL)`,
    ),
    check(
      'connector_versions_sunset_after_deprecation',
      sql`${t.sunsetAt} IS NULL OR ${t.sunsetAt} >= ${t.deprecatedAt}`,
    ),
    check(
      'connector_versions_deprecation_message_length',
      sql`${t.deprecationMessage} IS NULL OR char_length(${t.deprecationMessage}) <= 2000`,
    ),
  ],
);
