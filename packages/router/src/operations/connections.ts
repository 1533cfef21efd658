import {
  type Connection,
  type ConnectionCreateInput,
  type ConnectionCredentialCreate,
  type ConnectionGetInput,
  type ConnectionListInput,
  type ConnectionPage,
  type ConnectionUpdateInput,
  secretFields,
} from '@connect/contracts';
import {
  connectionCursorScope,
  createConnection,
  type CredentialKeyring,
  deleteConnection,
  getConnection,
  listConnections,
  newUlid,
  sealSecret,
  type StoredCredential,
  type Tagged,
  updateConnection,
} from '@connect/db';
import { ApiError, invalidArgument, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { changedSince } from './connectors.js';
import { pageRequest } from './paging.js';

/** The deployment's credential keys; a deployment without `CREDENTIALS_KEY` cannot store secrets. */
export async function keyringOf(ctx: OperationContext): Promise<CredentialKeyring> {
  if (!ctx.credentialKeyring) {
    throw new ApiError('internal', 'the service is misconfigured (its credential key); see its log');
  }
  return ctx.credentialKeyring();
}

/**
 * A credential to store: its secret fields sealed together (bound to the organisation and a new
 * credential id), the rest kept to show, with `""` where each secret was.
 */
export async function sealCredential(
  keyring: CredentialKeyring,
  organisationId: string,
  entry: ConnectionCredentialCreate,
  usage: 'action' | 'trigger',
  position: number,
): Promise<StoredCredential> {
  const credentialId = newUlid();
  const { type, data, name } = entry.credential;
  const shown: Record<string, unknown> = { ...data };
  const secrets: Record<string, unknown> = {};
  for (const field of secretFields[type]) {
    const value = (data as Record<string, unknown>)[field];
    if (value === undefined) continue;
    secrets[field] = value;
    shown[field] = '';
  }
  const secret =
    Object.keys(secrets).length === 0
      ? null
      : await sealSecret(keyring, { organisationId, credentialId }, JSON.stringify(secrets));
  return {
    credentialId,
    usage,
    position,
    authSchemeConfig: entry.authSchemeConfig,
    name,
    type,
    data: shown,
    secret,
    expiresAt: null,
  };
}

/** CreateConnectorConnection: the connection and its credentials, secrets sealed, in one statement. */
export async function createConnectorConnection(
  ctx: OperationContext,
  input: ConnectionCreateInput,
): Promise<Connection> {
  const keyring = await keyringOf(ctx);
  const credentials = await Promise.all([
    ...input.credentials.action.map((entry, i) => sealCredential(keyring, ctx.organisationId, entry, 'action', i)),
    ...input.credentials.trigger.map((entry, i) => sealCredential(keyring, ctx.organisationId, entry, 'trigger', i)),
  ]);
  const created = await createConnection(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    name: input.name,
    variables: input.variables,
    credentials,
  });
  if (!created.ok) throw notFound('connector');
  return created.value;
}

export async function getConnectorConnection(ctx: OperationContext, input: ConnectionGetInput): Promise<Connection> {
  return (await getTaggedConnection(ctx, input)).body;
}

/** The connection with its entity tag (REST's `ETag`). */
export async function getTaggedConnection(
  ctx: OperationContext,
  input: ConnectionGetInput,
): Promise<Tagged<Connection>> {
  const found = await getConnection(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!found.ok) throw notFound(found.reason === 'connector_not_found' ? 'connector' : 'connection');
  return found.value;
}

export async function listConnectorConnections(
  ctx: OperationContext,
  input: ConnectionListInput,
): Promise<ConnectionPage> {
  const { connectorId, ...query } = input;
  const page = await listConnections(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId,
    page: pageRequest(query, connectionCursorScope(ctx.organisationId, connectorId)),
  });
  if (!page.ok) throw notFound('connector');
  return page.value;
}

/** UpdateConnection: name, variables, and the order and configs of the credentials (not their secrets). */
export async function updateConnectorConnection(
  ctx: OperationContext,
  input: ConnectionUpdateInput,
  ifMatch?: string,
): Promise<Tagged<Connection>> {
  if (input.id !== undefined && input.id.toUpperCase() !== input.connectionId) {
    throw invalidArgument('id', 'is read-only and differs from the connection');
  }
  const credentials =
    input.credentials === undefined
      ? undefined
      : [
          ...input.credentials.action.map((c, position) => ({ ...c, usage: 'action' as const, position })),
          ...input.credentials.trigger.map((c, position) => ({ ...c, usage: 'trigger' as const, position })),
        ];
  const updated = await updateConnection(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    connectionId: input.connectionId,
    name: input.name,
    variables: input.variables,
    credentials,
    ifMatch,
  });
  if (updated.ok) return updated.value;
  if (updated.reason === 'connector_not_found') throw notFound('connector');
  if (updated.reason === 'connection_not_found') throw notFound('connection');
  if (updated.reason === 'etag_mismatch') throw changedSince('connection');
  throw invalidArgument(
    'credentials',
    "must name each of the connection's credentials once, in its own list (action or trigger), keeping its scheme type",
  );
}

export async function deleteConnectorConnection(
  ctx: OperationContext,
  input: ConnectionGetInput,
  ifMatch?: string,
): Promise<void> {
  const deleted = await deleteConnection(ctx.db, { organisationId: ctx.organisationId, ...input, ifMatch });
  if (deleted.ok) return;
  if (deleted.reason === 'etag_mismatch') throw changedSince('connection');
  throw notFound(deleted.reason === 'connector_not_found' ? 'connector' : 'connection');
}
