import {
  protocolCatalog,
  type AuthScheme,
  type AuthSchemePage,
  type PageQuery,
  type Protocol,
  type ProtocolPage,
} from '@connect/contracts';
import { encodeCursor, type Page } from '@connect/db';
import { invalidArgument, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { pageRequest } from './paging.js';

/**
 * A page of a fixed list, in its order. Cursors take the shape of every other list's (a time and
 * an id); a fixed item has no update time, so one constant stands in and the position decides.
 */
function fixedPage<T extends { id: string }>(items: readonly T[], query: PageQuery, scope: string): Page<T> {
  const page = pageRequest(query, scope);
  const indexOf = (id: string) => items.findIndex((item) => item.id === id);
  for (const field of ['after', 'before'] as const) {
    const cursor = page[field];
    if (cursor && indexOf(cursor.id) === -1) throw invalidArgument(field, 'is not a cursor of this list');
  }
  const start = page.after ? indexOf(page.after.id) + 1 : 0;
  const end = page.before ? indexOf(page.before.id) : items.length;
  const chosen = page.before ? items.slice(Math.max(0, end - page.first), end) : items.slice(start, start + page.first);
  const first = chosen[0];
  const last = chosen[chosen.length - 1];
  const cursorOf = (item: T) => encodeCursor({ scope, updatedAt: fixedTime, id: item.id });
  return {
    totalCount: items.length,
    ...(last && indexOf(last.id) < items.length - 1 ? { next: cursorOf(last) } : {}),
    ...(first && indexOf(first.id) > 0 ? { prev: cursorOf(first) } : {}),
    items: chosen,
  };
}

const fixedTime = '2026-01-01T00:00:00.000Z';

/** ListProtocols: the protocols connectors can be made for (the same in every organisation). */
export function listProtocols(ctx: OperationContext, query: PageQuery): ProtocolPage {
  const protocols: Protocol[] = protocolCatalog.map(({ id, slug, name, description, icon }) => ({
    id,
    slug,
    name,
    description,
    iconURL: new URL(`/icons/protocols/${icon}`, ctx.restBase).href,
  }));
  const { items, ...info } = fixedPage(protocols, query, 'protocols');
  return { ...info, protocols: items };
}

/** ListAuthSchemes: the auth schemes a protocol's connectors may use; an unknown protocol is a 404. */
export function listAuthSchemes(_ctx: OperationContext, input: PageQuery & { protocolSlug: string }): AuthSchemePage {
  const found = protocolCatalog.find((p) => p.slug === input.protocolSlug);
  if (!found) throw notFound('protocol');
  const schemes: AuthScheme[] = [...found.authSchemes];
  const { items, ...info } = fixedPage(schemes, input, `auth-schemes:${found.slug}`);
  return { ...info, authSchemes: items };
}
