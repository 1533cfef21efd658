import {
  categoryNames,
  orderedCategories,
  type Category,
  type ConnectorCategoriesUpdate,
  type ConnectorGetInput,
} from '@connect/contracts';
import { updateConnectorLabels, type ConnectorLabels } from '@connect/db';
import { notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { changedSince } from './connectors.js';

/** The reference's categories, in its order (ListCategories). */
export const listCategories = (): Category[] => [...categoryNames];

async function updateLabels(
  ctx: OperationContext,
  connectorId: string,
  labels: ConnectorLabels,
  ifMatch: string | undefined,
): Promise<{ etag: string }> {
  const updated = await updateConnectorLabels(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId,
    labels,
    ifMatch,
  });
  if (!updated.ok) throw updated.reason === 'etag_mismatch' ? changedSince('connector') : notFound('connector');
  return updated.value;
}

/** UpdateConnectorTags: the connector's tags replaced; answers the connector's new entity tag. */
export const updateConnectorTags = (
  ctx: OperationContext,
  input: ConnectorGetInput & { tags?: Record<string, string[]> | undefined },
  ifMatch?: string,
) => updateLabels(ctx, input.connectorId, { tags: input.tags ?? {} }, ifMatch);

/** UpdateConnectorCategories: the connector's categories replaced (each once, in the reference's order). */
export const updateConnectorCategories = (
  ctx: OperationContext,
  input: ConnectorGetInput & ConnectorCategoriesUpdate,
  ifMatch?: string,
) => updateLabels(ctx, input.connectorId, { categories: orderedCategories(input.categories ?? []) }, ifMatch);
