import {
  authSchemeConfig,
  authSchemeConfigId,
  connection,
  connectionCreate,
  connectionPage,
  connectionUpdate,
  connector,
  oauth2Initialise,
  oauth2InitialiseResponse,
  pageQuery,
  ulid,
} from '@connect/contracts';
import { notFound } from '@connect/router';
import {
  createConnectorConnection,
  deleteConnectorAuthSchemeConfig,
  deleteConnectorConnection,
  getTaggedConnection,
  initialiseOAuth2Connection,
  listConnectorConnections,
  refreshOAuth2Connection,
  updateConnectorConnection,
  upsertConnectorAuthSchemeConfig,
} from '@connect/router/operations';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../hono-env.js';
import { noContent, ok, type routeRegistrar } from './documented-route.js';
import {
  connectorIdOf,
  etagged,
  ifMatchOf,
  jsonBody,
  queryOf,
  replayable,
  replayedHeader,
  taggedJson,
} from './request.js';

type Route = ReturnType<typeof routeRegistrar>;

const connectorPath = '/o/:organisation_id/connectors/:connector_id';

/** The `auth_scheme_config_id` path segment; one that cannot be an id names no config: 404. */
function authSchemeConfigIdOf(c: Context<AppEnv>): string {
  const parsed = authSchemeConfigId.safeParse(c.req.param('auth_scheme_config_id'));
  if (!parsed.success) throw notFound('auth scheme config');
  return parsed.data;
}

const upsertBody = authSchemeConfig;

/** The connector and `connection_id` of the path; an id that cannot be one names no connection: 404. */
function connectionOf(c: Context<AppEnv>): { connectorId: string; connectionId: string } {
  const connectorId = connectorIdOf(c);
  const parsed = ulid.safeParse(c.req.param('connection_id'));
  if (!parsed.success) throw notFound('connection');
  return { connectorId, connectionId: parsed.data };
}

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

  route(`${connectorPath}/connections`, {
    GET: {
      doc: {
        operationId: 'ListConnectorConnections',
        summary: 'List a connector’s connections',
        tag: 'connections',
        query: pageQuery,
        response: ok(connectionPage),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        return c.json(await listConnectorConnections(c.var.operation, { connectorId, ...queryOf(c, pageQuery) }));
      },
    },
    POST: {
      doc: {
        operationId: 'CreateConnectorConnection',
        summary: 'Create a connection with its credentials (secrets are write-only)',
        tag: 'connections',
        body: connectionCreate,
        response: ok(connection),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, connectionCreate);
        const input = { ...body, connectorId };
        // The reference answers a created connection with 200.
        return c.json(
          await replayable(c, 'CreateConnectorConnection', input, (op) => createConnectorConnection(op, input)),
          200,
        );
      },
    },
  });

  route(`${connectorPath}/connections/:connection_id`, {
    GET: {
      doc: {
        operationId: 'GetConnection',
        etag: 'read',
        summary: 'Get a connection (secrets left out)',
        tag: 'connections',
        response: ok(connection),
      },
      handle: async (c) => taggedJson(c, await getTaggedConnection(c.var.operation, connectionOf(c))),
    },
    PUT: {
      doc: {
        operationId: 'UpdateConnection',
        etag: 'write',
        summary: 'Rename a connection, replace its variables, reorder its credentials or edit their configs',
        tag: 'connections',
        body: connectionUpdate,
        response: ok(connection),
      },
      handle: async (c) => {
        const target = connectionOf(c);
        const body = await jsonBody(c, connectionUpdate);
        return etagged(c, await updateConnectorConnection(c.var.operation, { ...body, ...target }, ifMatchOf(c)));
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteConnection',
        etag: 'write',
        summary: 'Delete a connection and its credentials',
        tag: 'connections',
        response: noContent,
      },
      handle: async (c) => {
        await deleteConnectorConnection(c.var.operation, connectionOf(c), ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  route(`${connectorPath}/oauth2/initialise`, {
    POST: {
      doc: {
        operationId: 'InitialiseOAuth2Connection',
        summary: 'Start an OAuth 2.0 authorization-code flow: the provider’s authorize URL (docs/oauth2.md)',
        tag: 'connections',
        body: oauth2Initialise,
        response: ok(oauth2InitialiseResponse),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, oauth2Initialise);
        const input = { ...body, connectorId };
        return c.json(
          await replayable(c, 'InitialiseOAuth2Connection', input, (op) => initialiseOAuth2Connection(op, input)),
        );
      },
    },
  });

  route(`${connectorPath}/connections/:connection_id/oauth2/refresh`, {
    POST: {
      doc: {
        operationId: 'RefreshOAuth2Connection',
        summary: 'Renew a connection’s OAuth 2.0 tokens now (refresh token, or a new client-credentials grant)',
        tag: 'connections',
        response: ok(connection),
      },
      handle: async (c) => {
        const target = connectionOf(c);
        try {
          return c.json(await refreshOAuth2Connection(c.var.operation, 'RefreshOAuth2Connection', target));
        } finally {
          if (c.var.operation.idempotency?.replayed) c.header(replayedHeader, 'true');
        }
      },
    },
  });
}
