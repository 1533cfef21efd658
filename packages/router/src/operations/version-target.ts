import type { ConnectorVersionGetInput } from '@connect/contracts';
import type { Missing, VersionTarget } from '@connect/db';
import { ApiError, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';

/** The version a child operation works on, and where its definitions' raw schemas are served. */
export function versionTarget(ctx: OperationContext, input: ConnectorVersionGetInput): VersionTarget {
  return {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    version: input.version,
    schemaBase: `${ctx.restBase}/o/${ctx.organisationId}/schemas/${input.connectorId}/`,
    notice: ctx.versionNotice,
  };
}

/** The failure for a version that cannot be found or changed. */
export function versionRefusal(reason: Missing | 'version_published' | 'etag_mismatch'): ApiError {
  switch (reason) {
    case 'etag_mismatch':
      return new ApiError('failed_precondition', 'the resource has changed since the given entity tag (If-Match)');
    case 'connector_not_found':
      return notFound('connector');
    case 'version_not_found':
      return notFound('connector version');
    case 'version_published':
      return new ApiError(
        'version_published',
        'the version is published, and its children cannot change; create a new version from it',
      );
  }
}
