import { z } from 'zod';
import { categoryNames, category } from './category.js';
import { connectorGetInput, tags } from './connector.js';

/**
 * Body of UpdateConnectorCategories: the connector's whole set, replacing the one it had. The same
 * category twice is kept once; the stored set is in the reference's order.
 */
export const connectorCategoriesUpdate = z.object({
  categories: z
    .array(category)
    .max(categoryNames.length, `must have at most ${String(categoryNames.length)} categories`)
    .optional(),
});
export type ConnectorCategoriesUpdate = z.infer<typeof connectorCategoriesUpdate>;

/** Body of UpdateConnectorTags: the connector's whole tags, replacing the ones it had (absent: none). */
export const connectorTagsUpdate = z.object({ tags: tags.optional() });
export type ConnectorTagsUpdate = z.infer<typeof connectorTagsUpdate>;

/** Inputs of the tRPC procedures: the connector the path would name, and the body. */
export const connectorTagsUpdateInput = connectorGetInput.extend(connectorTagsUpdate.shape);
export const connectorCategoriesUpdateInput = connectorGetInput.extend(connectorCategoriesUpdate.shape);
