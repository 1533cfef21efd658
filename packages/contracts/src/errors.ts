import { z } from 'zod';
import { definitionInUse } from './definition.js';
import { subscription } from './subscription.js';
import { versionChange } from './version-change.js';

/**
 * Every failure the API reports, with its HTTP status. Clients branch on `code`; the status is
 * what REST sends, and tRPC errors carry the same `code` in their data.
 */
export const errorStatus = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  already_exists: 409,
  version_published: 409,
  version_is_default: 409,
  version_not_published: 409,
  /** Products subscribe to the version (or a version of the connector): the body's `subscriptions` names them. */
  version_subscribed: 409,
  /**
   * The connector's `compatibilityPolicy` is `backward` and the version breaks callers of the
   * latest: the body's `breakingChanges` lists them (the first 20), `breakingCount` counts them all.
   */
  compatibility_breaking: 409,
  /** Over a quota of the table of limits (`limits.ts`): the body's `limit` names it. */
  quota_exceeded: 409,
  /** A request with the same Idempotency-Key is still running: retry later. */
  idempotency_key_in_use: 409,
  /** Another refresh of the connection's OAuth 2.0 tokens is asking the provider now: read it again shortly. */
  refresh_in_progress: 409,
  failed_precondition: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The Idempotency-Key was used (within its 24 h) for a request with another input. */
  idempotency_key_reused: 422,
  rate_limited: 429,
  internal: 500,
  /**
   * A remote host refused: an OAuth 2.0 provider (an `error` from its redirect or token endpoint; the
   * message names its code), or the host of an import's `schemaURL` (a 4xx/5xx; the message names the status).
   */
  provider_error: 502,
  /** Retry later (`Retry-After`): the database, or an OAuth 2.0 provider, did not answer in time. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorField = z.object({
  /** Path of the offending field, e.g. `name` or `versions[0].name`. */
  field: z.string(),
  message: z.string(),
});
export type ErrorField = z.infer<typeof errorField>;

/** Why a version cannot be published: one message per problem. */
export const validationMessage = z.object({
  text: z.string(),
  severity: z.enum(['info', 'warning', 'error']),
  detail: z.array(z.string()).optional(),
});
export type ValidationMessage = z.infer<typeof validationMessage>;

/** The limit a request went over (`quota_exceeded`, `payload_too_large`): its name in the table and its value here. */
export const exceededLimit = z.object({ name: z.string(), value: z.number().int() });
export type ExceededLimit = z.infer<typeof exceededLimit>;

/** The error body of every REST failure. */
export const errorBody = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  fields: z.array(errorField).optional(),
  details: z.string().optional(),
  /** Present when a version fails the checks made before publishing. */
  messages: z.array(validationMessage).optional(),
  /** Present on a 412 from deleting definitions: the first one still in use, as the reference shapes it. */
  definition: definitionInUse.optional(),
  /** Every definition the delete would have left dangling, with what refers to each. */
  definitions: z.array(definitionInUse).optional(),
  /** Present when a limit was exceeded: which one, and its value in this deployment. */
  limit: exceededLimit.optional(),
  /** Present on a 409 `version_subscribed`: the subscriptions in the way (the first 20). */
  subscriptions: z.array(subscription).optional(),
  /** Present on a 409 `compatibility_breaking`: the breaking changes from latest (the first 20). */
  breakingChanges: z.array(versionChange).optional(),
  /** Present with `breakingChanges`: how many breaking changes there are in all. */
  breakingCount: z.number().int().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** Renders a validation path the way the error body names fields: `a.b[0].c`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Field errors from a zod failure: the first problem of each field. */
export function fieldsOf(error: z.ZodError): ErrorField[] {
  const fields = new Map<string, string>();
  for (const issue of error.issues) {
    const field = fieldPath(issue.path);
    if (!fields.has(field)) fields.set(field, issue.message);
  }
  return [...fields].map(([field, message]) => ({ field, message }));
}
