import { forceQuery, isForced, ulid, versionSelector } from '@connect/contracts';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, keyed, notFound, type OperationContext } from '@connect/router';
import type { AppEnv } from '../hono-env.js';

/** The JSON body, validated by `schema`; a body that is not JSON is a 400 like any bad field. */
export async function jsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_argument', 'the request body must be a JSON document');
  }
  return schema.parse(value);
}

/**
 * The query string, validated by `schema` (repeated keys keep their first value), with `extra`
 * (values from the path) laid over it so a query parameter cannot stand in for a path segment.
 */
export function queryOf<S extends z.ZodType>(c: Context<AppEnv>, schema: S, extra: object = {}): z.infer<S> {
  return schema.parse({ ...c.req.query(), ...extra });
}

/** A child's name segment (action, trigger, definition); names are matched exactly. */
export function nameOf(c: Context<AppEnv>, param: string): string {
  const name = c.req.param(param) ?? '';
  if (name.length === 0 || name.length > 128 || name.includes('\u0000')) throw notFound(param.replace('_name', ''));
  return name;
}

/** The `connector_id` path segment; one that cannot be an id names no connector: 404. */
export function connectorIdOf(c: Context<AppEnv>): string {
  const parsed = ulid.safeParse(c.req.param('connector_id'));
  if (!parsed.success) throw notFound('connector');
  return parsed.data;
}

/** The connector and the `{version}` segment (a name, `latest` or `default`) of the path. */
export function versionOf(c: Context<AppEnv>): { connectorId: string; version: string } {
  const connectorId = connectorIdOf(c);
  const version = versionSelector.safeParse(c.req.param('version'));
  if (!version.success) throw notFound('connector version');
  return { connectorId, version: version.data };
}

/** The `force` query parameter of deletes: `true` or `false` (absent is false). */
export function forceOf(c: Context<AppEnv>): boolean {
  return isForced(forceQuery.parse({ force: c.req.query('force') }).force);
}

/** An entity tag as the `ETag` header carries it (strong, quoted). */
export const etagHeader = (etag: string) => `"${etag}"`;

/**
 * The strong entity tags of an `If-Match` header, unquoted and comma-separated, as the queries
 * compare them; undefined without the header or for `*` (any current representation: the write's 404
 * covers a missing one). Weak tags never match (strong comparison, RFC 9110 §13.1.1): a header of
 * only weak or malformed tags gives a tag nothing has, so the write is refused with 412.
 */
export function ifMatchOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const tags = header
    .split(',')
    .map((tag) => /^\s*"([0-9a-f]{32})"\s*$/.exec(tag)?.[1])
    .filter((tag): tag is string => tag !== undefined);
  return tags.length > 0 ? tags.join(',') : 'none';
}

/** A changed resource's new representation as a 200 with its `ETag`. */
export function etagged(c: Context<AppEnv>, tagged: { body: unknown; etag: string }): Response {
  c.header('ETag', etagHeader(tagged.etag));
  return c.json(tagged.body);
}

/**
 * A tagged representation as a 200 with its `ETag`, or a body-less 304 when `If-None-Match` names
 * it (weak comparison, RFC 9110 §13.1.2; `*` matches any).
 */
export function taggedJson(c: Context<AppEnv>, tagged: { body: unknown; etag: string }): Response {
  const etag = etagHeader(tagged.etag);
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (tags.includes('*') || tags.includes(etag)) return c.body(null, 304, { ETag: etag });
  }
  c.header('ETag', etag);
  return c.json(tagged.body);
}

/** The header that says an answer is the stored first answer to a request sent before. */
export const replayedHeader = 'Idempotent-Replayed';

/**
 * A POST's operation as a keyed request when it came with an Idempotency-Key (see `keyed`): `route`
 * names the operation, `input` is everything the answer depends on (validated body, path
 * parameters, If-Match). A replayed answer, success or refusal, says so in `Idempotent-Replayed`.
 */
export async function replayable<T>(
  c: Context<AppEnv>,
  route: string,
  input: unknown,
  run: (operation: OperationContext) => Promise<T>,
): Promise<T> {
  try {
    return await keyed(c.var.operation, route, input, run);
  } finally {
    if (c.var.operation.idempotency?.replayed) c.header(replayedHeader, 'true');
  }
}
