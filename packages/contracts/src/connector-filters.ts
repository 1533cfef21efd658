import { z } from 'zod';
import { category } from './category.js';
import { limitTable, tagLimits } from './limits.js';
import { storableText } from './names.js';
import { oneDirection, pageQueryFields } from './page.js';

/** One term of a `tags` filter: a key the connector's tags must have, and optionally one of its values. */
export interface TagTerm {
  key: string;
  value?: string;
}

const maxTagTerms = 20;

/**
 * The `tags` filter as the reference writes it: `key:value` or `key` terms separated by commas
 * (`category:e-commerce,business`). A connector matches when it has every term: the key, and the
 * value among that key's values when one is given. Only the first `:` separates, so a value may hold more.
 */
export const tagsFilter = storableText(z.string().max(2048, 'must be at most 2048 characters')).transform(
  (text, ctx): TagTerm[] => {
    const terms = text.split(',').map((term) => {
      const at = term.indexOf(':');
      const key = at === -1 ? term : term.slice(0, at);
      const value = at === -1 ? '' : term.slice(at + 1);
      return value === '' ? { key } : { key, value };
    });
    if (terms.length > maxTagTerms) {
      ctx.addIssue({ code: 'custom', message: `must have at most ${String(maxTagTerms)} terms` });
      return z.NEVER;
    }
    for (const term of terms) {
      if (term.key.length === 0 || term.key.length > tagLimits.keyLength) {
        ctx.addIssue({
          code: 'custom',
          message: `each term needs a key of 1 to ${String(tagLimits.keyLength)} characters (key or key:value, separated by commas)`,
        });
        return z.NEVER;
      }
    }
    return terms;
  },
);

/**
 * The query of ListConnectors: a page, and filters that all must match — `name` and `protocol`
 * (case-insensitive parts), `tags` (see `tagsFilter`) and `categories` (the connector has each).
 */
export const connectorListFields = pageQueryFields.extend({
  name: storableText(
    z
      .string()
      .max(
        limitTable.connectorNameLength.default,
        `must be at most ${String(limitTable.connectorNameLength.default)} characters`,
      ),
  ).optional(),
  protocol: storableText(z.string().max(64, 'must be at most 64 characters')).optional(),
  tags: tagsFilter.optional(),
  categories: z.array(category).max(20, 'must have at most 20 categories').optional(),
});
export const connectorListQuery = oneDirection(connectorListFields);
export type ConnectorListQuery = z.infer<typeof connectorListQuery>;

/** What a connector list is filtered by, as the database query takes it (absent: no filter). */
export type ConnectorFilters = Pick<ConnectorListQuery, 'name' | 'protocol' | 'tags' | 'categories'>;
export const connectorListInput = connectorListQuery;
