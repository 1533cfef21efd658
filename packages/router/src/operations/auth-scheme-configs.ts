import {
  type AuthSchemeConfigDeleteInput,
  type AuthSchemeConfigUpsertInput,
  type Connector,
  limitTable,
} from '@connect/contracts';
import { deleteAuthSchemeConfig, upsertAuthSchemeConfig, type Tagged } from '@connect/db';
import { ApiError, invalidArgument, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { purgeExports } from '../export-cache.js';
import { changedSince } from './connectors.js';

/** UpsertAuthSchemeConfig: adds the config, or replaces the one with its id; answers the connector. */
export async function upsertConnectorAuthSchemeConfig(
  ctx: OperationContext,
  input: AuthSchemeConfigUpsertInput,
  ifMatch?: string,
): Promise<Tagged<Connector>> {
  // The path names the config: a body naming another would be ambiguous.
  if (input.authSchemeConfig.id !== input.authSchemeConfigId) {
    throw invalidArgument('id', 'must be the auth scheme config id of the path');
  }
  const max = limitTable.authSchemeConfigsPerConnector.default;
  const result = await upsertAuthSchemeConfig(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    config: input.authSchemeConfig,
    max,
    ifMatch,
  });
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return result.value;
  }
  if (result.reason === 'connector_not_found') throw notFound('connector');
  if (result.reason === 'etag_mismatch') throw changedSince('connector');
  throw new ApiError('invalid_argument', `a connector has at most ${String(max)} auth scheme configs`, [
    { field: 'id', message: `the connector already has ${String(max)} auth scheme configs` },
  ]);
}

/** DeleteAuthSchemeConfig: answers the connector without it; connections made through it remain. */
export async function deleteConnectorAuthSchemeConfig(
  ctx: OperationContext,
  input: AuthSchemeConfigDeleteInput,
  ifMatch?: string,
): Promise<Tagged<Connector>> {
  const result = await deleteAuthSchemeConfig(ctx.db, { organisationId: ctx.organisationId, ...input, ifMatch });
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return result.value;
  }
  if (result.reason === 'etag_mismatch') throw changedSince('connector');
  throw notFound(result.reason === 'connector_not_found' ? 'connector' : 'auth scheme config');
}
