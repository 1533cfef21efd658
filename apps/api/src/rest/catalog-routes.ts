import {
  authSchemePage,
  category,
  connectorCategoriesUpdate,
  connectorTagsUpdate,
  pageQuery,
  protocolPage,
  signedUrl,
  uploadUrlQuery,
} from '@connect/contracts';
import {
  getProtocolUploadUrl,
  listAuthSchemes,
  listCategories,
  listProtocols,
  updateConnectorCategories,
  updateConnectorTags,
} from '@connect/router/operations';
import { z } from 'zod';
import { noContent, ok, type routeRegistrar } from './documented-route.js';
import { connectorIdOf, etagHeader, ifMatchOf, jsonBody, queryOf } from './request.js';

/**
 * How connectors are labelled and what they can be made of: tags and categories (each replaced
 * whole, 204 with the connector's new `ETag`), the category list, protocols and their auth schemes.
 */
export function catalogRoutes(route: ReturnType<typeof routeRegistrar>): void {
  route('/o/:organisation_id/connectors/:connector_id/tags', {
    PUT: {
      doc: {
        operationId: 'UpdateConnectorTags',
        etag: 'write',
        summary: "Replace a connector's tags",
        tag: 'connectors',
        body: connectorTagsUpdate,
        response: noContent,
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, connectorTagsUpdate);
        const { etag } = await updateConnectorTags(c.var.operation, { ...body, connectorId }, ifMatchOf(c));
        return c.body(null, 204, { ETag: etagHeader(etag) });
      },
    },
  });

  route('/o/:organisation_id/connectors/:connector_id/categories', {
    PUT: {
      doc: {
        operationId: 'UpdateConnectorCategories',
        etag: 'write',
        summary: "Replace a connector's categories",
        tag: 'connectors',
        body: connectorCategoriesUpdate,
        response: noContent,
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, connectorCategoriesUpdate);
        const { etag } = await updateConnectorCategories(c.var.operation, { ...body, connectorId }, ifMatchOf(c));
        return c.body(null, 204, { ETag: etagHeader(etag) });
      },
    },
  });

  route('/categories', {
    GET: {
      doc: {
        operationId: 'ListCategories',
        summary: 'List the connector categories',
        tag: 'misc',
        response: ok(z.array(category)),
      },
      handle: async (c) => Promise.resolve(c.json(listCategories())),
    },
  });

  route('/o/:organisation_id/protocols', {
    GET: {
      doc: {
        operationId: 'ListProtocols',
        summary: 'List the protocols connectors can use',
        tag: 'protocols',
        query: pageQuery,
        response: ok(protocolPage),
      },
      handle: async (c) => Promise.resolve(c.json(listProtocols(c.var.operation, queryOf(c, pageQuery)))),
    },
  });

  route('/o/:organisation_id/protocols/:protocol_slug/auth-schemes', {
    GET: {
      doc: {
        operationId: 'ListAuthSchemes',
        summary: "List a protocol's auth schemes",
        tag: 'protocols',
        query: pageQuery,
        response: ok(authSchemePage),
      },
      handle: async (c) =>
        Promise.resolve(
          c.json(
            listAuthSchemes(c.var.operation, {
              ...queryOf(c, pageQuery),
              protocolSlug: c.req.param('protocol_slug') ?? '',
            }),
          ),
        ),
    },
  });
  route('/o/:organisation_id/protocols/:protocol_slug/upload-url', {
    GET: {
      doc: {
        operationId: 'GetProtocolUploadURL',
        summary:
          'A signed URL to PUT one document to import (five minutes, once), and the URL an import names as schemaURL (docs/import.md)',
        tag: 'protocols',
        query: uploadUrlQuery,
        response: ok(signedUrl),
      },
      handle: async (c) => {
        const query = queryOf(c, uploadUrlQuery);
        return c.json(
          await getProtocolUploadUrl(c.var.operation, {
            protocolSlug: c.req.param('protocol_slug') ?? '',
            contentType: query.content_type,
            contentLength: Number(query.content_length),
          }),
        );
      },
    },
  });
}
