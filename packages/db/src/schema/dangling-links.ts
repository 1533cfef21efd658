import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text } from 'drizzle-orm/pg-core';
import { ulidId } from './columns.js';
import { connectorVersions } from './connectors.js';
import { definitions } from './definitions.js';
import { actions, triggers } from './operations.js';

/**
 * A link that a forced delete of definitions cut: the referrer (an action's or trigger's body, or a
 * definition's schema) named a definition that is gone. Reads show each as an entry of the
 * referrer's `errors`, and publishing is refused while any is left. Writing the referrer again
 * (PUT, with the links it should have) removes its entries; deleting it removes them by cascade.
 */
export const danglingLinks = pgTable(
  'dangling_links',
  {
    id: ulidId(),
    versionId: text('version_id')
      .notNull()
      .references(() => connectorVersions.id, { onDelete: 'cascade' }),
    /** Exactly one of the three names the referrer. */
    actionId: text('action_id'),
    triggerId: text('trigger_id'),
    definitionId: text('definition_id'),
    /** Where in the referrer the link was (`responses[0].definitions`, `schema.content`). */
    field: text('field').notNull(),
    /** The deleted definition's name. */
    targetName: text('target_name').notNull(),
  },
  (t) => [
    foreignKey({
      name: 'dangling_links_action_fk',
      columns: [t.versionId, t.actionId],
      foreignColumns: [actions.versionId, actions.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'dangling_links_trigger_fk',
      columns: [t.versionId, t.triggerId],
      foreignColumns: [triggers.versionId, triggers.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'dangling_links_definition_fk',
      columns: [t.versionId, t.definitionId],
      foreignColumns: [definitions.versionId, definitions.id],
    }).onDelete('cascade'),
    check('dangling_links_one_referrer', sql`num_nonnulls(${t.actionId}, ${t.triggerId}, ${t.definitionId}) = 1`),
    index('dangling_links_version_idx').on(t.versionId),
    index('dangling_links_action_idx').on(t.actionId),
    index('dangling_links_trigger_idx').on(t.triggerId),
    index('dangling_links_definition_idx').on(t.definitionId),
  ],
);
