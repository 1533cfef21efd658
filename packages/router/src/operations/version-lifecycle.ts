import type {
  ConnectorVersion,
  ConnectorVersionChanged,
  ConnectorVersionDeleteInput,
  ConnectorVersionGetInput,
  ConnectorVersionUpdateInput,
} from '@connect/contracts';
import { deleteVersion, publishVersion, unpublishVersion, updateVersion, type Tagged } from '@connect/db';
import { compatibilityOf, diffVersions } from '@connect/version-diff';
import { ApiError, invalidArgument, notFound, subscribed } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { purgeExports } from '../export-cache.js';
import { changedSince } from './connectors.js';
import { breakingMessage, readPublishCheck } from './publish-check.js';

/** How often a publish under the `backward` policy checks again when the latest moved meanwhile. */
const compatibilityAttempts = 3;

const missing = (reason: 'connector_not_found' | 'version_not_found' | 'etag_mismatch') =>
  reason === 'etag_mismatch'
    ? changedSince('connector version')
    : notFound(reason === 'connector_not_found' ? 'connector' : 'connector version');

const published = () =>
  new ApiError('version_published', 'the version is published, and published versions cannot change');

export async function publishConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<ConnectorVersionChanged> {
  return (await publishTaggedVersion(ctx, input)).body;
}

/** Publishes; `ifMatch` (entity tags, comma-separated) makes it conditional. The version's new tag with it. */
export async function publishTaggedVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
  ifMatch?: string,
): Promise<Tagged<ConnectorVersionChanged>> {
  const target = { organisationId: ctx.organisationId, ...input, ifMatch };
  // Under `backward` the first attempt is refused as unchecked; then the diff from latest is read
  // and judged here, and the publish retried on the condition that the latest and the version are
  // still the ones judged (a publish meanwhile is judged again). With `none`: one round trip.
  let result = await publishVersion(ctx.db, target);
  for (let attempt = 0; !result.ok && result.reason === 'compatibility_unchecked'; attempt += 1) {
    if (attempt === compatibilityAttempts) {
      throw new ApiError('unavailable', 'the connector kept changing while the publish was checked; retry');
    }
    const check = await readPublishCheck(ctx, input);
    const diff = check.pair ? diffVersions(check.pair.from, check.pair.to) : null;
    const verdict = compatibilityOf(check.policy, diff);
    if (!verdict.compatible) {
      const error = new ApiError('compatibility_breaking', breakingMessage(verdict.breakingCount, check.latest ?? ''));
      error.breaking = { changes: verdict.breakingChanges, count: verdict.breakingCount };
      throw error;
    }
    result = await publishVersion(ctx.db, target, check.checked ?? undefined);
  }
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return { body: { version: result.value.body }, etag: result.value.etag };
  }
  switch (result.reason) {
    case 'version_published':
      throw new ApiError('version_published', 'the version is already published');
    case 'invalid': {
      const error = new ApiError('invalid_argument', 'the version cannot be published as it is');
      error.messages = (result.messages ?? []).map((text) => ({ text, severity: 'error' as const }));
      throw error;
    }
    case 'compatibility_unchecked':
      throw new ApiError('internal', 'the publish was not checked');
    default:
      throw missing(result.reason);
  }
}

export async function unpublishConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<ConnectorVersionChanged> {
  return (await unpublishTaggedVersion(ctx, input)).body;
}

/** Unpublishes; `ifMatch` (entity tags, comma-separated) makes it conditional. The version's new tag with it. */
export async function unpublishTaggedVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
  ifMatch?: string,
): Promise<Tagged<ConnectorVersionChanged>> {
  const result = await unpublishVersion(ctx.db, { organisationId: ctx.organisationId, ...input, ifMatch });
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return { body: { version: result.value.body }, etag: result.value.etag };
  }
  switch (result.reason) {
    case 'version_is_default':
      throw new ApiError('version_is_default', 'the version is the connector’s default; choose another default first');
    case 'version_not_published':
      throw new ApiError('version_not_published', 'the version is not published');
    case 'version_subscribed':
      throw subscribed(
        'the version has subscriptions; they must unsubscribe before it can be unpublished',
        result.subscriptions ?? [],
      );
    default:
      throw missing(result.reason);
  }
}

export async function updateConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionUpdateInput,
): Promise<ConnectorVersion> {
  return (await updateTaggedVersion(ctx, input)).body;
}

/** Updates a version; `ifMatch` (entity tags, comma-separated) makes it conditional. The new tag with it. */
export async function updateTaggedVersion(
  ctx: OperationContext,
  input: ConnectorVersionUpdateInput,
  ifMatch?: string,
): Promise<Tagged<ConnectorVersion>> {
  const { connectorId, version, ...changes } = input;
  const target = { organisationId: ctx.organisationId, connectorId, version, ifMatch };
  const result = await updateVersion(ctx.db, target, changes);
  if (result.ok) {
    await purgeExports(ctx, connectorId);
    return result.value;
  }
  switch (result.reason) {
    case 'read_only':
      throw new ApiError(
        'invalid_argument',
        'read-only fields cannot change',
        (result.fields ?? []).map((field) => ({ field, message: 'is read-only and differs from the version' })),
      );
    case 'version_published':
      throw published();
    case 'default_not_published':
      throw invalidArgument('isDefault', 'only a published version can be the default');
    case 'default_is_latest':
      throw invalidArgument(
        'isDefault',
        'this version is the default as the latest; make another version the default instead',
      );
    case 'deprecation_not_published':
      throw invalidArgument('deprecatedAt', 'only a published version can be deprecated');
    case 'sunset_without_deprecation':
      throw invalidArgument('sunsetAt', 'a sunset needs a deprecation (deprecatedAt)');
    case 'message_without_deprecation':
      throw invalidArgument('deprecationMessage', 'a deprecation message needs a deprecation (deprecatedAt)');
    case 'sunset_before_deprecation':
      throw invalidArgument('sunsetAt', 'must not be before deprecatedAt');
    case 'deprecated_default':
      throw invalidArgument('isDefault', 'a deprecated version cannot be the default');
    case 'default_deprecated':
      throw new ApiError(
        'version_is_default',
        'the version is the connector’s default; choose another default before deprecating it',
      );
    default:
      throw missing(result.reason);
  }
}

export async function deleteConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionDeleteInput,
  ifMatch?: string,
): Promise<void> {
  const result = await deleteVersion(ctx.db, {
    organisationId: ctx.organisationId,
    connectorId: input.connectorId,
    version: input.version,
    force: input.force ?? false,
    ifMatch,
  });
  if (result.ok) {
    await purgeExports(ctx, input.connectorId);
    return;
  }
  if (result.reason === 'version_published') {
    throw new ApiError('version_published', 'the version is published; delete it with force=true');
  }
  throw missing(result.reason);
}
