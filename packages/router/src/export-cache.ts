import type { OperationContext } from './context.js';

/**
 * Where the Worker keeps the OpenAPI exports of published versions (the Workers Cache API). A
 * change that could alter any export of a connector's versions forgets all of them at once.
 */
export interface ExportCache {
  /** Forgets every kept export of the connector's versions. */
  purge(connectorId: string): Promise<void>;
}

/**
 * After a write that changes what an export of the connector shows (publish, unpublish, a version's
 * deprecation or default, a forced delete, the connector's name, base URL or auth scheme configs).
 * Awaited, so the answer of the write is sent only once no stale export can be served.
 */
export async function purgeExports(ctx: OperationContext, connectorId: string): Promise<void> {
  await ctx.exportCache?.purge(connectorId);
}
