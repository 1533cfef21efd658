import { versionDiff, versionDiffQuery, versionSelector } from '@connect/contracts';
import { notFound } from '@connect/router';
import { breakingOnlyOf, diffConnectorVersions } from '@connect/router/operations';
import { ok, type routeRegistrar } from './documented-route.js';
import { queryOf, versionOf } from './request.js';

/**
 * `GET …/versions/{version}/diff/{other}`: every change from `version` to `other` (names or
 * aliases), each judged breaking or not, with a suggested SemVer bump; `?breaking=true` keeps only
 * the breaking changes.
 */
export function versionDiffRoutes(route: ReturnType<typeof routeRegistrar>): void {
  route('/o/:organisation_id/connectors/:connector_id/versions/:version/diff/:other', {
    GET: {
      doc: {
        operationId: 'DiffConnectorVersions',
        summary: 'Compare two versions: every change, whether it breaks callers, and the SemVer bump it calls for',
        tag: 'connector-version',
        query: versionDiffQuery,
        response: ok(versionDiff),
      },
      handle: async (c) => {
        const { connectorId, version } = versionOf(c);
        const other = versionSelector.safeParse(c.req.param('other'));
        if (!other.success) throw notFound('connector version');
        const { breaking } = queryOf(c, versionDiffQuery);
        return c.json(
          await diffConnectorVersions(c.var.operation, {
            connectorId,
            from: version,
            to: other.data,
            breakingOnly: breakingOnlyOf(breaking),
          }),
        );
      },
    },
  });
}
