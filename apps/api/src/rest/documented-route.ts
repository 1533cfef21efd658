import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { ApiError } from '@connect/router';
import type { AppEnv } from '../hono-env.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Handler = (c: Context<AppEnv>) => Promise<Response>;

/** What the OpenAPI document says of one operation; the same zod schemas the handler validates with. */
export interface OperationDoc {
  operationId: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  /** The `metadata` part of a `multipart/form-data` body whose `file` part is a document (imports). */
  multipart?: z.ZodType;
  query?: z.ZodType;
  response: { status: 200 | 201; schema: z.ZodType; mediaType?: string } | { status: 204 };
  /**
   * Entity tags (docs/credentials.md, Concurrency control): `read`, a GET with `ETag` and `If-None-Match` (304);
   * `write`, a change taking `If-Match` (412) and answering with the new `ETag`; `condition`, a
   * change taking `If-Match` whose answer has no `ETag`; `source`, a copy whose `If-Match` names its source.
   */
  etag?: 'read' | 'write' | 'condition' | 'source';
  /** Served without a credential (`security: []`): the OAuth 2.0 redirect. */
  public?: true;
}

export interface Endpoint {
  doc: OperationDoc;
  handle: Handler;
}

/** A route as served: its Hono path (`/o/:organisation_id/…`), method and document entry. */
export interface DocumentedRoute {
  method: Method;
  path: string;
  doc: OperationDoc;
}

/**
 * Registers a path's methods on `app` and records each for the OpenAPI document, so the document
 * lists exactly the routes served. Any other method on the path is a 405 naming the allowed ones.
 */
export function routeRegistrar(app: Hono<AppEnv>, documented: DocumentedRoute[]) {
  return (path: string, endpoints: Partial<Record<Method, Endpoint>>) => {
    const allowed = Object.keys(endpoints).join(', ');
    for (const [method, endpoint] of Object.entries(endpoints) as [Method, Endpoint][]) {
      app.on(method, path, endpoint.handle);
      documented.push({ method, path, doc: endpoint.doc });
    }
    app.all(path, () => {
      throw new ApiError('method_not_allowed', `method not allowed; use ${allowed}`);
    });
  };
}

export const ok = (schema: z.ZodType) => ({ status: 200 as const, schema });
export const created = (schema: z.ZodType) => ({ status: 201 as const, schema });
export const noContent = { status: 204 as const };
