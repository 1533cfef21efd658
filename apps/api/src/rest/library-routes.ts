import { connector, connectorListQuery, connectorPage } from '@connect/contracts';
import { importPublicConnectorVersion, listPublicConnectors } from '@connect/router/operations';
import { ok, type routeRegistrar } from './documented-route.js';
import { queryOf, replayable, versionOf } from './request.js';

/**
 * The public library: connectors their organisations marked `public`, listed to every caller with
 * their published versions only, and a published version copied into the caller's organisation.
 */
export function libraryRoutes(route: ReturnType<typeof routeRegistrar>): void {
  route('/connectors', {
    GET: {
      doc: {
        operationId: 'ListPublicConnectors',
        summary: 'List public connectors (every organisation; published versions only)',
        tag: 'connectors',
        query: connectorListQuery,
        response: ok(connectorPage),
      },
      handle: async (c) =>
        c.json(
          await listPublicConnectors(
            c.var.operation,
            queryOf(c, connectorListQuery, { categories: c.req.queries('categories') }),
          ),
        ),
    },
  });

  route('/o/:organisation_id/connectors/:connector_id/versions/:version/library/import', {
    POST: {
      doc: {
        operationId: 'ImportPublicConnectorVersion',
        summary: "Copy a public connector's published version into your organisation as a draft",
        tag: 'connector-version',
        response: ok(connector),
      },
      handle: async (c) => {
        const input = versionOf(c);
        return c.json(
          await replayable(c, 'ImportPublicConnectorVersion', input, (op) => importPublicConnectorVersion(op, input)),
          200,
        );
      },
    },
  });
}
