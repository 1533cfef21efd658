import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, ulidId, updatedAt } from './columns.js';
import { connectorVersions } from './connectors.js';

export const definitions = pgTable(
  'definitions',
  {
    id: ulidId(),
    versionId: text('version_id')
      .notNull()
      .references(() => connectorVersions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Media types of the data this definition describes (the reference's `accept`). */
    accept: text('accept').array().notNull().default(sql`'{}'::text[]`),
    schemaContentType: text('schema_content_type').notNull(),
    schemaContent: text('schema_content').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('definitions_name_unique').on(t.versionId, t.name),
    // Target of the composite keys below: a link can only point inside its own version.
    unique('definitions_version_id_unique').on(t.versionId, t.id),
    check('definitions_name_format', sql`${t.name} ~ '^[a-zA-Z0-9_-]+$'`),
  ],
);

/**
 * A definition's `$ref` to another definition of the same version. Cycles are allowed.
 * Deleting a referenced definition on its own is refused while the link exists. The check is
 * deferred to commit (set in the migration; drizzle cannot express it) because deleting a whole
 * version removes definitions and links through cascades whose order Postgres does not fix.
 */
export const definitionLinks = pgTable(
  'definition_links',
  {
    versionId: text('version_id').notNull(),
    definitionId: text('definition_id').notNull(),
    targetId: text('target_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.definitionId, t.targetId] }),
    index('definition_links_version_target_idx').on(t.versionId, t.targetId),
    foreignKey({
      name: 'definition_links_definition_fk',
      columns: [t.versionId, t.definitionId],
      foreignColumns: [definitions.versionId, definitions.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'definition_links_target_fk',
      columns: [t.versionId, t.targetId],
      foreignColumns: [definitions.versionId, definitions.id],
    }),
  ],
);
