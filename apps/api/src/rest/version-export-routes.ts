import { isReservedVersionName } from '@connect/contracts';
import { exportConnectorVersion } from '@connect/router/operations';
import type { Context } from 'hono';
import { stringify } from 'yaml';
import { z } from 'zod';
import { WorkerExportCache, type ExportFormat, type KeptExport } from '../export-cache.js';
import type { AppEnv } from '../hono-env.js';
import { type routeRegistrar } from './documented-route.js';
import { etagHeader, versionOf } from './request.js';

const mediaTypes: Record<ExportFormat, string> = { json: 'application/json', yaml: 'application/yaml' };

/** The document as a 200 with its `ETag`, or a body-less 304 when `If-None-Match` names it. */
function answer(c: Context<AppEnv>, kept: KeptExport, format: ExportFormat, cached: boolean): Response {
  const etag = etagHeader(kept.etag);
  const headers = { ETag: etag, 'x-content-type-options': 'nosniff', 'x-export-cache': cached ? 'hit' : 'miss' };
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (tags.includes('*') || tags.includes(etag)) return c.body(null, 304, headers);
  }
  return c.body(kept.body, 200, { ...headers, 'content-type': `${mediaTypes[format]}; charset=utf-8` });
}

/**
 * `GET …/versions/{version}/openapi.json` and `.yaml`: the version as an OpenAPI 3.1 document.
 * A published version's export is kept in the Workers Cache API under its name and served from
 * there with no database round trip until a write purges it; `latest`, `default` and drafts are
 * built from the database every time (docs/export.md).
 */
export function versionExportRoutes(route: ReturnType<typeof routeRegistrar>): void {
  for (const format of ['json', 'yaml'] as const) {
    route(`/o/:organisation_id/connectors/:connector_id/versions/:version/openapi.${format}`, {
      GET: {
        doc: {
          operationId: format === 'json' ? 'ExportConnectorVersionJSON' : 'ExportConnectorVersionYAML',
          etag: 'read',
          summary: `Export a version as an OpenAPI 3.1 document (${format.toUpperCase()})`,
          tag: 'connector-version',
          response: {
            status: 200,
            schema: format === 'json' ? z.record(z.string(), z.unknown()) : z.string(),
            mediaType: mediaTypes[format],
          },
        },
        handle: async (c) => {
          const target = versionOf(c);
          const operation = c.var.operation;
          // An alias moves with every publish: only a version's own name is kept.
          const cache = isReservedVersionName(target.version)
            ? undefined
            : await WorkerExportCache.of(c.env.DATABASE_URL, operation.organisationId);
          const hit = await cache?.lookup(target.connectorId, target.version, format);
          if (hit) return answer(c, hit, format, true);
          const generation = await cache?.currentGeneration(target.connectorId);
          const exported = await exportConnectorVersion(operation, target);
          const kept: KeptExport =
            format === 'json'
              ? { body: exported.json, etag: exported.etag }
              : { body: stringify(exported.document, { aliasDuplicateObjects: false }), etag: `${exported.etag}-yaml` };
          // A deprecated version's headers name its successor, which a later publish changes: not kept.
          if (cache && generation !== undefined && exported.published && operation.versionNotice?.deprecation == null) {
            operation.waitUntil(cache.keep(target.connectorId, generation, target.version, format, kept));
          }
          return answer(c, kept, format, false);
        },
      },
    });
  }
}
