import type {
  Connector,
  ConnectorDeleteInput,
  ConnectorGetInput,
  ConnectorPage,
  ConnectorUpdateInput,
  HttpConnectorCreate,
  PageQuery,
} from '@connect/contracts';
import {
  connectorCursorScope,
  createConnector,
  deleteConnector,
  getConnector,
  listConnectors,
  updateConnector,
} from '@connect/db';
import { ApiError, notFound } from '../api-error';
import type { OperationContext } from '../context';
import { pageRequest } from './paging';

// One function per operation, shared by the REST route and the tRPC procedure.

export function createHttpConnector(ctx: OperationContext, input: HttpConnectorCreate): Promise<Connector> {
  return createConnector(ctx.db, { organisationId: ctx.organisationId, ...input });
}

export async function getConnectorById(ctx: OperationContext, input: ConnectorGetInput): Promise<Connector> {
  const connector = await getConnector(ctx.db, { organisationId: ctx.organisationId, connectorId: input.connectorId });
  if (!connector) throw notFound('connector');
  return connector;
}

export async function listOrganisationConnectors(ctx: OperationContext, input: PageQuery): Promise<ConnectorPage> {
  const page = await listConnectors(ctx.db, {
    organisationId: ctx.organisationId,
    page: pageRequest(input, connectorCursorScope(ctx.organisationId)),
  });
  const { items, ...info } = page;
  return { ...info, connectors: items };
}

export async function updateHttpConnector(ctx: OperationContext, input: ConnectorUpdateInput): Promise<Connector> {
  const connector = await updateConnector(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!connector) throw notFound('connector');
  return connector;
}

export async function deleteConnectorById(ctx: OperationContext, input: ConnectorDeleteInput): Promise<void> {
  const outcome = await deleteConnector(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    force: input.force ?? false,
  });
  if (outcome === 'not_found') throw notFound('connector');
  if (outcome === 'has_published_versions') {
    throw new ApiError('version_published', 'the connector has published versions; delete it with force=true');
  }
}
