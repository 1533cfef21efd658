import { authSchemeConfig, authSchemeConfigId, connector } from '@connect/contracts';
import { notFound } from '@connect/router';
import { deleteConnectorAuthSchemeConfig, upsertConnectorAuthSchemeConfig } from '@connect/router/operations';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../hono-env.js';
import { ok, type routeRegistrar } from './documented-route.js';
import { connectorIdOf, etagged, ifMatchOf, jsonBody } from './request.js';

type Route = ReturnType<typeof routeRegistrar>;

const connectorPath = '/o/:organisation_id/connectors/:connector_id';

/** The `auth_scheme_config_id` path segment; one that cannot be an id names no config: 404. */
function authSchemeConfigIdOf(c: Context<AppEnv>): string {
  const parsed = authSchemeConfigId.safeParse(c.req.param('auth_scheme_config_id'));
  if (!parsed.success) throw notFound('auth scheme config');
  return parsed.data;
}

const upsertBody = authSchemeConfig;

/** The path's id stands in for a body that leaves `id` out (the path already names the config). */
function withPathId(value: unknown, id: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !('id' in value)
    ? { ...value, id }
    : value;
}

/**
 * The REST routes of connector authentication: auth scheme configs, connections and their
 * credentials, and the OAuth 2.0 flow (docs/connections.md).
 */
export function connectionRoutes(route: Route): void {
  route(`${connectorPath}/auth-scheme-configs/:auth_scheme_config_id`, {
    PUT: {
      doc: {
        operationId: 'UpsertAuthSchemeConfig',
        etag: 'write',
        summary: 'Add or replace an auth scheme config (the id is the client’s)',
        tag: 'connectors',
        body: upsertBody,
        response: ok(connector),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const id = authSchemeConfigIdOf(c);
        const body = await jsonBody(
          c,
          z.preprocess((value) => withPathId(value, id), upsertBody),
        );
        const tagged = await upsertConnectorAuthSchemeConfig(
          c.var.operation,
          {
            connectorId,
            authSchemeConfigId: id,
            authSchemeConfig: body,
          },
          ifMatchOf(c),
        );
        return etagged(c, tagged);
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteAuthSchemeConfig',
        etag: 'write',
        summary: 'Delete an auth scheme config (connections made through it remain)',
        tag: 'connectors',
        response: ok(connector),
      },
      handle: async (c) => {
        const tagged = await deleteConnectorAuthSchemeConfig(
          c.var.operation,
          {
            connectorId: connectorIdOf(c),
            authSchemeConfigId: authSchemeConfigIdOf(c),
          },
          ifMatchOf(c),
        );
        return etagged(c, tagged);
      },
    },
  });
}
