import type {
  Connector,
  ConnectorDeleteInput,
  ConnectorGetInput,
  ConnectorListQuery,
  ConnectorPage,
  ConnectorUpdateInput,
  HttpConnectorCreate,
} from '@connect/contracts';
import {
  createConnector,
  deleteConnector,
  getConnector,
  listConnectors,
  updateConnector,
  type Tagged,
} from '@connect/db';
import { ApiError, invalidArgument, notFound, quotaExceeded, subscribed } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { purgeExports } from '../export-cache.js';
import { fingerprint, pageRequest } from './paging.js';

// One function per operation, shared by the REST route and the tRPC procedure.

export async function createHttpConnector(ctx: OperationContext, input: HttpConnectorCreate): Promise<Connector> {
  const created = await createConnector(ctx.db, { organisationId: ctx.organisationId, ...input, quotas: ctx.limits });
  if (created.ok) return created.value;
  if (created.quota) throw quotaExceeded(created.quota);
  throw new ApiError('internal', 'the connector was not stored');
}

export async function getConnectorById(ctx: OperationContext, input: ConnectorGetInput): Promise<Connector> {
  return (await getTaggedConnector(ctx, input)).body;
}

/** The connector with its entity tag (REST's `ETag`). */
export async function getTaggedConnector(ctx: OperationContext, input: ConnectorGetInput): Promise<Tagged<Connector>> {
  const found = await getConnector(ctx.db, { organisationId: ctx.organisationId, connectorId: input.connectorId });
  if (!found.ok) throw notFound('connector');
  return found.value;
}

/** The 412 of a conditional write whose `If-Match` no longer names the resource's entity tag. */
export const changedSince = (resource: string) =>
  new ApiError('failed_precondition', `the ${resource} has changed since the given entity tag (If-Match)`);

export async function listOrganisationConnectors(
  ctx: OperationContext,
  input: ConnectorListQuery,
): Promise<ConnectorPage> {
  const { first, after, before, ...filters } = input;
  // A cursor holds the filters it was issued under (a hash of them): with others it is a 400.
  const filterText = JSON.stringify(filters);
  const scope = `connectors:${ctx.organisationId}${filterText === '{}' ? '' : `:${fingerprint(filterText)}`}`;
  const page = await listConnectors(ctx.db, {
    organisationId: ctx.organisationId,
    page: pageRequest({ first, after, before }, scope),
    filters,
    scope,
  });
  const { items, ...info } = page;
  return { ...info, connectors: items };
}

export async function updateHttpConnector(ctx: OperationContext, input: ConnectorUpdateInput): Promise<Connector> {
  return (await updateTaggedConnector(ctx, input)).body;
}

/** Updates a connector; `ifMatch` (entity tags, comma-separated) makes it conditional (412 when stale). */
export async function updateTaggedConnector(
  ctx: OperationContext,
  input: ConnectorUpdateInput,
  ifMatch?: string,
): Promise<Tagged<Connector>> {
  // A connector read and sent back carries its id and organisation: accepted as they are, a 400
  // when they differ (they name the connector; the path already does).
  const { id, organisationId, ...changes } = input;
  const differing = [
    ...(id !== undefined && id !== input.connectorId ? ['id'] : []),
    ...(organisationId !== undefined && organisationId !== ctx.organisationId ? ['organisationId'] : []),
  ];
  if (differing.length > 0) {
    throw new ApiError(
      'invalid_argument',
      'read-only fields cannot change',
      differing.map((field) => ({ field, message: 'is read-only and differs from the connector' })),
    );
  }
  if (changes.authSchemeConfigs !== undefined && changes.authSchemeConfigIds !== undefined) {
    throw invalidArgument(
      'authSchemeConfigIds',
      'send either authSchemeConfigs (to replace them) or their ids (to reorder)',
    );
  }
  const updated = await updateConnector(ctx.db, { ...changes, organisationId: ctx.organisationId, ifMatch });
  if (!updated.ok) {
    if (updated.reason === 'auth_scheme_config_ids_differ') {
      throw invalidArgument('authSchemeConfigIds', "must name each of the connector's auth scheme configs once");
    }
    throw updated.reason === 'etag_mismatch' ? changedSince('connector') : notFound('connector');
  }
  await purgeExports(ctx, input.connectorId);
  return updated.value;
}

export async function deleteConnectorById(
  ctx: OperationContext,
  input: ConnectorDeleteInput,
  ifMatch?: string,
): Promise<void> {
  const result = await deleteConnector(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    force: input.force ?? false,
    ifMatch,
  });
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return;
  }
  if (result.reason === 'connector_not_found') throw notFound('connector');
  if (result.reason === 'etag_mismatch') throw changedSince('connector');
  throw subscribed(
    'versions of the connector have subscriptions; unsubscribe them or delete it with force=true',
    result.subscriptions ?? [],
  );
}
