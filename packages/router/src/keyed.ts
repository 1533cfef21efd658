import { sha256Hex } from '@connect/contracts';
import type { IdempotencyClaim } from '@connect/db';
import { invalidArgument } from './api-error.js';
import type { OperationContext } from './context.js';

/** The header that names a retryable request (Stripe's, and the IETF httpapi draft's). */
export const idempotencyKeyHeader = 'Idempotency-Key';

/** 1–255 printable ASCII characters (as Stripe takes them): the key is stored and compared as sent. */
const keyPattern = /^[\x20-\x7e]{1,255}$/;

/** Refuses a key that is not 1–255 printable ASCII characters: 400 naming the header. */
export function checkIdempotencyKey(key: string): void {
  if (!keyPattern.test(key)) {
    throw invalidArgument(idempotencyKeyHeader, 'must be 1 to 255 printable ASCII characters');
  }
}

/**
 * JSON with object keys sorted and undefined members left out: two inputs that validate to the same
 * value hash alike, whatever order their fields came in.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs the operation `route` on `input` (its validated input, path parameters and conditions such
 * as If-Match included) as a keyed request when the caller sent an Idempotency-Key: the first
 * answer is stored with the write, a retry with the same input gets it back (`replayed` is then
 * set on the context's request), the same key with another input is 422, and a retry while the
 * first still runs is 409. Without a key it is simply `run(ctx)`.
 */
export async function keyed<T>(
  ctx: OperationContext,
  route: string,
  input: unknown,
  run: (ctx: OperationContext) => Promise<T>,
): Promise<T> {
  const request = ctx.idempotency;
  if (!request) return run(ctx);
  checkIdempotencyKey(request.key);
  const claim: IdempotencyClaim = {
    organisationId: ctx.organisationId,
    route,
    key: request.key,
    requestHash: await sha256Hex(canonicalJson(input)),
    ttlSeconds: request.ttlSeconds,
    replayed: false,
  };
  try {
    return await run({ ...ctx, db: request.db(claim) });
  } finally {
    // A replayed refusal (a stored 404 or 409) is a replay too.
    if (claim.replayed) request.replayed = true;
  }
}
