import { versionPathSegment } from '@connect/contracts';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../hono-env.js';

/**
 * The headers of a read of a deprecated version, or of one of its children through it: when it was
 * deprecated (`Deprecation`, RFC 9745: `@` and Unix seconds), when it goes (`Sunset`, RFC 8594: an
 * HTTP-date) and the version to move to (`Link` with `rel="successor-version"`, RFC 5829). The read
 * learnt them in the statement that built its answer (`versionNotice`), so they cost no round trip.
 */
export const deprecationHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const deprecation = c.var.operation.versionNotice?.deprecation;
  if (!deprecation || c.req.method !== 'GET' || (c.res.status !== 200 && c.res.status !== 304)) return;
  c.header('Deprecation', `@${String(Math.floor(Date.parse(deprecation.deprecatedAt) / 1000))}`);
  if (deprecation.sunsetAt !== null) c.header('Sunset', new Date(deprecation.sunsetAt).toUTCString());
  if (deprecation.successor !== null) {
    const connectorId = c.req.param('connector_id') ?? '';
    const base = `${c.var.operation.restBase}/o/${c.var.operation.organisationId}/connectors/${connectorId}/versions/`;
    c.header('Link', `<${base}${versionPathSegment(deprecation.successor)}>; rel="successor-version"`);
  }
};
