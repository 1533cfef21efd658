import {
  type DefinitionInUse,
  errorStatus,
  fieldsOf,
  type ErrorBody,
  type ErrorCode,
  type ErrorField,
  type ExceededLimit,
  limitTable,
  type LimitName,
  type Subscription,
  type ValidationMessage,
  type VersionChange,
} from '@connect/contracts';
import { IdempotencyConflict } from '@connect/db';
import { ZodError } from 'zod';

/** A failure with a code from the contracts' table; thrown where it happens, rendered in one place. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: ErrorField[] | undefined;
  /** Why a version cannot be published, when that is the failure. */
  messages: ValidationMessage[] | undefined;
  /** Definitions a delete would leave dangling, when that is the failure (412). */
  inUse: DefinitionInUse[] | undefined;
  /** The limit the request went over, when that is the failure. */
  limit: ExceededLimit | undefined;
  /** Subscriptions in the way of an unpublish or delete, when that is the failure. */
  subscriptions: Subscription[] | undefined;
  /** The breaking changes a compatibility policy refused (the first ones), and how many there are. */
  breaking: { changes: VersionChange[]; count: number } | undefined;

  constructor(code: ErrorCode, message: string, fields?: ErrorField[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }

  get status(): (typeof errorStatus)[ErrorCode] {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.messages ? { messages: this.messages } : {}),
      ...(this.inUse?.[0] ? { definition: this.inUse[0], definitions: this.inUse } : {}),
      ...(this.limit ? { limit: this.limit } : {}),
      ...(this.subscriptions ? { subscriptions: this.subscriptions } : {}),
      ...(this.breaking ? { breakingChanges: this.breaking.changes, breakingCount: this.breaking.count } : {}),
    };
  }
}

export const invalidArgument = (field: string, message: string) =>
  new ApiError('invalid_argument', `invalid ${field}: ${message}`, [{ field, message }]);

/**
 * A request over a limit of the table: 409 `quota_exceeded` for what an organisation keeps, 413
 * `payload_too_large` for the size of one request. The body names the limit and its value.
 */
export function limitExceeded(
  code: 'quota_exceeded' | 'payload_too_large',
  name: LimitName,
  value: number,
  what: string,
): ApiError {
  const error = new ApiError(code, `${what}: the limit ${name} is ${String(value)}`);
  error.limit = { name, value };
  return error;
}

/** A write refused by the database for a quota (`@connect/db`'s QuotaExceeded): nothing was written. */
export const quotaExceeded = (quota: { name: LimitName; value: number }) =>
  limitExceeded('quota_exceeded', quota.name, quota.value, `over the quota of ${limitTable[quota.name].bounds}`);

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);

/** A 409 naming the subscriptions that stand in the way of `what`. */
export function subscribed(what: string, subscriptions: Subscription[]): ApiError {
  const names = [...new Set(subscriptions.map((s) => `${s.subscriber} (version ${s.version})`))].join(', ');
  const error = new ApiError('version_subscribed', `${what}: subscribed by ${names}`);
  error.subscriptions = subscriptions;
  return error;
}

/** The SQLSTATE and constraint of a database error, looking through drizzle's wrappers. */
function databaseError(error: unknown): { code?: string; constraint?: string } {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, ...(typeof constraint === 'string' ? { constraint } : {}) };
    }
  }
  return {};
}

/**
 * SQLSTATEs that say the database could not finish the request, not that the request was wrong:
 * cancelled by the statement timeout (57014) or a lock timeout (55P03), the connection terminated
 * or the server shutting down or starting (57P01–57P03), the connection lost (class 08, but not
 * 08P01, a protocol violation: that is a fault of ours), too many connections (53300).
 */
const unavailableStates = new Set([
  '57014',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

/**
 * Whether the database could not be reached, as the Neon HTTP driver reports it: its fetch failed
 * (refused, reset, aborted; the driver keeps the failure as `sourceError`), or the SQL service
 * answered 500, 502, 503 or 504 (the driver puts the status only in the message). Other statuses
 * (a 507 for an answer over 10 MiB, a 4xx for a bad connection string) stay faults of ours.
 */
function databaseUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name !== 'NeonDbError') continue;
    if ((e as { sourceError?: unknown }).sourceError !== undefined) return true;
    const status = /^Server error \(HTTP status (\d{3})\)/.exec(e.message)?.[1];
    return status === '500' || status === '502' || status === '503' || status === '504';
  }
  return false;
}

/** Lifecycle rules the database holds (migration 0003): a race lost to another request. */
const lifecycleRules: Record<string, () => ApiError> = {
  connectors_default_is_published: () =>
    new ApiError(
      'version_not_published',
      'the version was unpublished meanwhile; only a published version can be the default',
    ),
  connector_versions_default_stays_published: () =>
    new ApiError('version_is_default', 'the version became the default meanwhile; choose another default first'),
};

/**
 * Any thrown value as an ApiError. Validation failures name their fields; database constraint
 * violations that input checks did not catch first still map to the right 4xx, never a 500.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    return new ApiError('invalid_argument', 'the request is not valid', fieldsOf(error));
  }
  // Raised by the database handle of a keyed request; drizzle may wrap it (a query's failure).
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof IdempotencyConflict) {
      return e.reason === 'in_use'
        ? new ApiError('idempotency_key_in_use', `${e.message}; retry once it has been answered`)
        : new ApiError('idempotency_key_reused', `${e.message}; send a new key with a new request`);
    }
  }
  const { code, constraint } = databaseError(error);
  const rule = constraint === undefined ? undefined : lifecycleRules[constraint];
  if (rule) return rule();
  switch (code) {
    case '23505':
      return new ApiError('already_exists', 'a resource with this name already exists');
    case '23503':
      return new ApiError('not_found', 'a resource this request refers to does not exist');
    case '23514':
    case '22001':
    case '22P02':
    case '22P05':
    case '22021':
    case '22007':
    case '22008':
      return new ApiError('invalid_argument', 'a value in the request is not valid');
    case '40001':
    case '40P01':
      return new ApiError('unavailable', 'the request conflicted with another; retry it');
    default:
      if ((code !== undefined && unavailableStates.has(code)) || databaseUnreachable(error)) {
        return new ApiError('unavailable', 'the database is unavailable or did not answer in time; retry later');
      }
      return new ApiError('internal', 'internal error');
  }
}

/** A failure described without its message or values (which may hold user data or secrets). */
export function describeFailure(error: unknown): string {
  const { code, constraint } = databaseError(error);
  const name = error instanceof Error ? error.name : typeof error;
  return [name, code && `sqlstate ${code}`, constraint && `constraint ${constraint}`].filter(Boolean).join(', ');
}
