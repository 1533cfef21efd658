import { z } from 'zod';

/** The reference's fixed list of connector categories (`Category`), in its order. */
export const categoryNames = [
  'Development & IT',
  'ERP',
  'Supply Chain & Logistics',
  'Communication',
  'Accounting',
  'Hospitality',
  'Productivity',
  'HR',
  'CRM',
  'AI/LLMs',
  'eCommerce',
  'Business Operations',
] as const;

export const category = z.enum(categoryNames, { error: `must be one of: ${categoryNames.join(', ')}` });
export type Category = z.infer<typeof category>;

/** A set of categories in the reference's order, each once. */
export const orderedCategories = (categories: readonly Category[]): Category[] =>
  categoryNames.filter((name) => categories.includes(name));
