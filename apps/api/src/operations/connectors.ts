import type { Connector, ConnectorGetInput, ConnectorPage, HttpConnectorCreate, PageQuery } from '@connect/contracts';
import { connectorCursorScope, createConnector, getConnector, listConnectors } from '@connect/db';
import { notFound } from '../api-error';
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
