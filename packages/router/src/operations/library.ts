import type { Connector, ConnectorListQuery, ConnectorPage, LibraryImportInput } from '@connect/contracts';
import { importLibraryVersion, listPublicConnectors as findPublicConnectors } from '@connect/db';
import { ApiError, notFound, quotaExceeded } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { fingerprint, pageRequest } from './paging.js';

// The public library: every caller reads it; an import copies into the caller's organisation.

/** ListPublicConnectors: public connectors of every organisation, with their published versions only. */
export async function listPublicConnectors(ctx: OperationContext, input: ConnectorListQuery): Promise<ConnectorPage> {
  const { first, after, before, ...filters } = input;
  const filterText = JSON.stringify(filters);
  const scope = `library${filterText === '{}' ? '' : `:${fingerprint(filterText)}`}`;
  const page = await findPublicConnectors(ctx.db, {
    page: pageRequest({ first, after, before }, scope),
    filters,
    scope,
  });
  const { items, ...info } = page;
  return { ...info, connectors: items };
}

/**
 * ImportPublicConnectorVersion: the caller's connector from that public connector (made on the
 * first import), with the version added as a draft holding copies of all its children.
 */
export async function importPublicConnectorVersion(
  ctx: OperationContext,
  input: LibraryImportInput,
): Promise<Connector> {
  const result = await importLibraryVersion(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    version: input.version,
    quotas: ctx.limits,
  });
  if (result.ok) return result.value;
  switch (result.reason) {
    case 'connector_not_found':
      throw notFound('connector');
    case 'version_not_found':
      throw notFound('connector version');
    case 'quota_exceeded':
      if (!result.quota) throw new ApiError('internal', 'a quota refusal without its quota');
      throw quotaExceeded(result.quota);
    case 'name_taken':
      throw new ApiError(
        'already_exists',
        `version "${input.version}" of this public connector was already imported into your organisation`,
        [{ field: 'version', message: 'already exists in your copy of this connector' }],
      );
  }
}
