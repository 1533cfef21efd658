import { sql } from 'drizzle-orm';
import { check, pgTable, text, unique } from 'drizzle-orm/pg-core';
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
    /**
     * The names of the definitions of the same version whose schemas `$ref` this one, each once (in
     * no order anything relies on): the links between definitions, kept on their target. Names,
     * because a definition's name never changes and a copy keeps every name, so a copy takes the
     * list as it is (a table of one row per link made a copy of 171,300 links take seconds). On the target, because what a
     * read shows of every definition is what refers to it (`referencedBy`), read from its own row;
     * what a schema refers to is found by looking for its name in these lists. The statements that
     * write definitions keep the lists true, under the version's lock (see version-children.ts).
     */
    referrerNames: text('referrer_names').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('definitions_name_unique').on(t.versionId, t.name),
    // Target of the composite keys of operation bodies: a body can only link inside its own version.
    unique('definitions_version_id_unique').on(t.versionId, t.id),
    check('definitions_name_format', sql`${t.name} ~ '^[a-zA-Z0-9_-]+$'`),
  ],
);
