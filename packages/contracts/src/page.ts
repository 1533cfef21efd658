import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText } from './names.js';

/** Cursor paging parameters shared by every list: `first` items `after` or `before` a cursor. */
export const pageQueryFields = z.object({
  first: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    // The reference sets no maximum, so a larger ask is served the largest page rather than refused.
    .transform((first) => Math.min(first, limitTable.pageSizeMax.default))
    .default(20),
  after: z.string().min(1).max(512).optional(),
  before: z.string().min(1).max(512).optional(),
});

/** A page is read in one direction: `after` and `before` together are refused. */
export function oneDirection<S extends z.ZodType<{ after?: string | undefined; before?: string | undefined }>>(
  schema: S,
) {
  return schema.refine((q) => q.after === undefined || q.before === undefined, {
    message: 'give either after or before, not both',
    path: ['before'],
  });
}

export const pageQuery = oneDirection(pageQueryFields);
export type PageQuery = z.infer<typeof pageQuery>;

/** The paging fields of every page: total items, and cursors to the neighbouring pages. */
export const pageInfo = z.object({
  totalCount: z.number().int(),
  next: z.string().optional(),
  prev: z.string().optional(),
});

/** The query of a version's child lists: a page, and a case-insensitive part of the name. */
export const childListQuery = pageQueryFields.extend({
  name: storableText(z.string().max(128, 'must be at most 128 characters')).optional(),
});

/**
 * The `force` query parameter of deletes: `true` or `false` in any case, or `1` / `0` (absent is
 * false), as query strings from different HTTP libraries spell booleans (Python sends `True`).
 */
export const forceQuery = z.object({
  force: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .optional(),
});

/** Whether a `force` value (checked by `forceQuery`) asks to force. */
export const isForced = (force: string | undefined): boolean => force !== undefined && /^(true|1)$/i.test(force);
