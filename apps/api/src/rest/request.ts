import { forceQuery, isForced, ulid, versionSelector } from '@connect/contracts';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, invalidArgument, notFound } from '@connect/router';
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

/**
 * Definitions are never force-deleted: the reference offers `force=true` to leave `$ref`s dangling,
 * but links here are kept whole, so what refers to a definition must change first (412 says what).
 */
export function noForce(c: Context<AppEnv>): void {
  if (forceOf(c))
    throw invalidArgument('force', 'is not supported for definitions; change or delete what refers to them first');
}

/** The `force` query parameter of deletes: `true` or `false` (absent is false). */
export function forceOf(c: Context<AppEnv>): boolean {
  return isForced(forceQuery.parse({ force: c.req.query('force') }).force);
}
