import type {
  ConnectorVersion,
  ConnectorVersionCreateInput,
  ConnectorVersionGetInput,
  ConnectorVersionListInput,
  ConnectorVersionPage,
} from '@connect/contracts';
import {
  createConnectorVersion as insertVersion,
  getConnectorVersion as findVersion,
  listConnectorVersions as findVersions,
  versionCursorScope,
  type Tagged,
} from '@connect/db';
import { ApiError, invalidArgument, notFound, quotaExceeded } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { changedSince } from './connectors.js';
import { pageRequest } from './paging.js';

/** CreateConnectorVersion: a draft, optionally a copy of `fromVersion` with all its children. */
export async function createConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionCreateInput,
  /** Entity tags of which `fromVersion` must still have one (REST's `If-Match`): else 412. */
  sourceIfMatch?: string,
): Promise<ConnectorVersion> {
  const result = await insertVersion(ctx.db, {
    organisationId: ctx.organisationId,
    ...input,
    sourceIfMatch,
    quotas: ctx.limits,
  });
  if (result.ok) return result.value;
  switch (result.reason) {
    case 'connector_not_found':
      throw notFound('connector');
    case 'source_not_found':
      throw invalidArgument('fromVersion', `no version "${input.fromVersion ?? ''}" in this connector`);
    case 'source_etag_mismatch':
      throw changedSince('source version');
    case 'quota_exceeded':
      if (!result.quota) throw new ApiError('internal', 'a quota refusal without its quota');
      throw quotaExceeded(result.quota);
    case 'name_taken':
      throw new ApiError('already_exists', `version "${input.name}" already exists in this connector`, [
        { field: 'name', message: 'is already used by another version of this connector' },
      ]);
  }
}

export async function getConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<ConnectorVersion> {
  return (await getTaggedConnectorVersion(ctx, input)).body;
}

/** The version with its entity tag (REST's `ETag`). */
export async function getTaggedConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<Tagged<ConnectorVersion>> {
  const result = await findVersion(ctx.db, { organisationId: ctx.organisationId, ...input, notice: ctx.versionNotice });
  if (!result.ok) throw notFound(result.reason === 'connector_not_found' ? 'connector' : 'connector version');
  return result.value;
}

export async function listConnectorVersions(
  ctx: OperationContext,
  input: ConnectorVersionListInput,
): Promise<ConnectorVersionPage> {
  const page = await findVersions(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    page: pageRequest(input, versionCursorScope(input.connectorId, input.deprecated)),
    deprecated: input.deprecated,
  });
  if (!page.ok) throw notFound('connector');
  return page.value;
}
