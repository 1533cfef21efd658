import { UsageError } from './errors';
import type { PagingOptions } from './target';

/** The paging fields every list answers with. */
export interface PageInfo {
  totalCount: number;
  next?: string | undefined;
  prev?: string | undefined;
}

export interface PageQuery {
  first?: number;
  after?: string;
  before?: string;
}

/** The largest page the API serves: fewest round trips when reading everything. */
const largestPage = 100;

/**
 * Every item of a list, following `next` until there is none. The page type is the API's, so
 * `key` can only name the list it holds.
 */
export async function readAllPages<K extends string, P extends PageInfo & Record<K, unknown[]>>(
  key: K,
  readPage: (query: PageQuery) => Promise<P>,
): Promise<P[K]> {
  const items: unknown[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await readPage({ first: largestPage, ...(after === undefined ? {} : { after }) });
    items.push(...page[key]);
    if (page.next === undefined || page[key].length === 0) return items as P[K];
    after = page.next;
  }
}

/**
 * One page as asked, or — with `--all` — every page folded into one, shaped like a page so that
 * `--json` output has the same form either way (`totalCount` and the list, without cursors).
 */
export async function readList<K extends string, P extends PageInfo & Record<K, unknown[]>>(
  key: K,
  options: PagingOptions,
  readPage: (query: PageQuery) => Promise<P>,
): Promise<{ page: PageInfo & Record<K, P[K]>; all: boolean }> {
  if (options.all === true) {
    if (options.after !== undefined || options.before !== undefined) {
      throw new UsageError('--all reads every page: drop --after and --before');
    }
    const items = await readAllPages(key, readPage);
    const folded: Record<string, unknown> = { totalCount: items.length, [key]: items };
    return { page: folded as PageInfo & Record<K, P[K]>, all: true };
  }
  if (options.after !== undefined && options.before !== undefined)
    throw new UsageError('give either --after or --before, not both');
  const query: PageQuery = {
    ...(options.first === undefined ? {} : { first: options.first }),
    ...(options.after === undefined ? {} : { after: options.after }),
    ...(options.before === undefined ? {} : { before: options.before }),
  };
  return { page: await readPage(query), all: false };
}
