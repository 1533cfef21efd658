import {
  actionCreate,
  actionUpdate,
  apiKeyCreate,
  connectorVersionCreate,
  connectorVersionUpdate,
  definitionsCreate,
  definitionsDelete,
  definitionUpdate,
  httpConnectorCreate,
  httpConnectorUpdate,
  operationListInput,
  pageQuery,
  triggerCreate,
  triggerUpdate,
  ulid,
} from '@connect/contracts';
import { Hono, type Context } from 'hono';
import { ApiError, notFound } from '../api-error';
import type { AppEnv } from '../hono-env';
import { createApiKey, listOrganisationApiKeys, revokeApiKey } from '../operations/api-keys';
import {
  createHttpConnector,
  deleteConnectorById,
  getConnectorById,
  listOrganisationConnectors,
  updateHttpConnector,
} from '../operations/connectors';
import { createConnectorVersion, getConnectorVersion, listConnectorVersions } from '../operations/connector-versions';
import {
  deleteConnectorVersion,
  publishConnectorVersion,
  unpublishConnectorVersion,
  updateConnectorVersion,
} from '../operations/version-lifecycle';
import {
  createVersionDefinitions,
  deleteVersionDefinition,
  deleteVersionDefinitions,
  getRawSchema,
  getVersionDefinition,
  listVersionDefinitions,
  updateVersionDefinition,
} from '../operations/definitions';
import {
  createAction,
  createTrigger,
  deleteAction,
  deleteTrigger,
  getAction,
  getTrigger,
  listActions,
  listTriggers,
  updateAction,
  updateTrigger,
} from '../operations/http-operations';
import { connectorIdOf, forceOf, jsonBody, nameOf, noForce, queryOf, versionOf } from './request';

type Handler = (c: Context<AppEnv>) => Promise<Response>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Registers a path's methods; any other method on it is a 405 naming the allowed ones. */
function route(app: Hono<AppEnv>, path: string, handlers: Partial<Record<Method, Handler>>) {
  const allowed = Object.keys(handlers).join(', ');
  for (const [method, handler] of Object.entries(handlers)) app.on(method, path, handler);
  app.all(path, () => {
    throw new ApiError('method_not_allowed', `method not allowed; use ${allowed}`);
  });
}

/**
 * The REST surface, wire-compatible with Connect API v1. Each route only translates HTTP to an
 * operation call; the organisation in the path must be the caller's own, else nothing exists.
 */
export function restRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('/o/:organisation_id/*', async (c, next) => {
    if (c.req.param('organisation_id').toUpperCase() !== c.var.operation.organisationId) {
      throw notFound(
        /\/(connectors|schemas)\//.test(c.req.path) ? 'connector' : c.req.path.includes('/api-keys/') ? 'API key' : 'organisation',
      );
    }
    await next();
  });

  route(app, '/o/:organisation_id/protocols/http/connectors', {
    POST: async (c) => c.json(await createHttpConnector(c.var.operation, await jsonBody(c, httpConnectorCreate)), 201),
  });

  route(app, '/o/:organisation_id/connectors', {
    GET: async (c) => c.json(await listOrganisationConnectors(c.var.operation, queryOf(c, pageQuery))),
  });

  route(app, '/o/:organisation_id/connectors/:connector_id', {
    GET: async (c) => c.json(await getConnectorById(c.var.operation, { connectorId: connectorIdOf(c) })),
    PUT: async (c) => {
      const connectorId = connectorIdOf(c);
      const body = await jsonBody(c, httpConnectorUpdate);
      return c.json(await updateHttpConnector(c.var.operation, { ...body, connectorId }));
    },
    DELETE: async (c) => {
      await deleteConnectorById(c.var.operation, { connectorId: connectorIdOf(c), force: forceOf(c) });
      return c.body(null, 204);
    },
  });

  route(app, '/o/:organisation_id/connectors/:connector_id/versions', {
    POST: async (c) => {
      const connectorId = connectorIdOf(c);
      const body = await jsonBody(c, connectorVersionCreate);
      return c.json(await createConnectorVersion(c.var.operation, { connectorId, ...body }), 201);
    },
    GET: async (c) => {
      const connectorId = connectorIdOf(c);
      return c.json(await listConnectorVersions(c.var.operation, { connectorId, ...queryOf(c, pageQuery) }));
    },
  });

  route(app, '/o/:organisation_id/connectors/:connector_id/versions/:version', {
    GET: async (c) => c.json(await getConnectorVersion(c.var.operation, versionOf(c))),
    PUT: async (c) => {
      const target = versionOf(c);
      const body = await jsonBody(c, connectorVersionUpdate);
      return c.json(await updateConnectorVersion(c.var.operation, { ...body, ...target }));
    },
    DELETE: async (c) => {
      await deleteConnectorVersion(c.var.operation, { ...versionOf(c), force: forceOf(c) });
      return c.body(null, 204);
    },
  });

  route(app, '/o/:organisation_id/connectors/:connector_id/versions/:version/publish', {
    POST: async (c) => c.json(await publishConnectorVersion(c.var.operation, versionOf(c))),
  });

  route(app, '/o/:organisation_id/connectors/:connector_id/versions/:version/unpublish', {
    POST: async (c) => c.json(await unpublishConnectorVersion(c.var.operation, versionOf(c))),
  });

  const version = '/o/:organisation_id/connectors/:connector_id/versions/:version';

  route(app, `${version}/actions`, {
    GET: async (c) => c.json(await listActions(c.var.operation, queryOf(c, operationListInput, versionOf(c)))),
    POST: async (c) => {
      const target = versionOf(c);
      return c.json(await createAction(c.var.operation, { ...(await jsonBody(c, actionCreate)), ...target }), 201);
    },
  });

  route(app, `${version}/actions/:action_name`, {
    GET: async (c) => c.json(await getAction(c.var.operation, { ...versionOf(c), actionName: nameOf(c, 'action_name') })),
    PUT: async (c) => {
      const target = { ...versionOf(c), actionName: nameOf(c, 'action_name') };
      return c.json(await updateAction(c.var.operation, { ...(await jsonBody(c, actionUpdate)), ...target }));
    },
    DELETE: async (c) => {
      await deleteAction(c.var.operation, { ...versionOf(c), actionName: nameOf(c, 'action_name') });
      return c.body(null, 204);
    },
  });

  route(app, `${version}/triggers`, {
    GET: async (c) => c.json(await listTriggers(c.var.operation, queryOf(c, operationListInput, versionOf(c)))),
    POST: async (c) => {
      const target = versionOf(c);
      return c.json(await createTrigger(c.var.operation, { ...(await jsonBody(c, triggerCreate)), ...target }), 201);
    },
  });

  route(app, `${version}/triggers/:trigger_name`, {
    GET: async (c) => c.json(await getTrigger(c.var.operation, { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') })),
    PUT: async (c) => {
      const target = { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') };
      return c.json(await updateTrigger(c.var.operation, { ...(await jsonBody(c, triggerUpdate)), ...target }));
    },
    DELETE: async (c) => {
      await deleteTrigger(c.var.operation, { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') });
      return c.body(null, 204);
    },
  });

  route(app, `${version}/definitions`, {
    GET: async (c) => c.json(await listVersionDefinitions(c.var.operation, queryOf(c, operationListInput, versionOf(c)))),
    POST: async (c) => {
      const target = versionOf(c);
      return c.json(await createVersionDefinitions(c.var.operation, { ...(await jsonBody(c, definitionsCreate)), ...target }), 201);
    },
    DELETE: async (c) => {
      const target = versionOf(c);
      noForce(c);
      await deleteVersionDefinitions(c.var.operation, { ...(await jsonBody(c, definitionsDelete)), ...target });
      return c.body(null, 204);
    },
  });

  route(app, `${version}/definitions/:definition_name`, {
    GET: async (c) =>
      c.json(await getVersionDefinition(c.var.operation, { ...versionOf(c), definitionName: nameOf(c, 'definition_name') })),
    PUT: async (c) => {
      const target = { ...versionOf(c), definitionName: nameOf(c, 'definition_name') };
      return c.json(await updateVersionDefinition(c.var.operation, { ...(await jsonBody(c, definitionUpdate)), ...target }));
    },
    DELETE: async (c) => {
      const target = { ...versionOf(c), definitionName: nameOf(c, 'definition_name') };
      noForce(c);
      await deleteVersionDefinition(c.var.operation, target);
      return c.body(null, 204);
    },
  });

  // A definition's `url`: its schema as stored, with its own content type.
  route(app, '/o/:organisation_id/schemas/:connector_id/:version/:schema_filename', {
    GET: async (c) => {
      const id = ulid.safeParse((c.req.param('schema_filename') ?? '').replace(/\.[a-z]+$/, ''));
      if (!id.success) throw notFound('schema');
      const schema = await getRawSchema(c.var.operation, { ...versionOf(c), definitionId: id.data });
      return c.body(schema.content, 200, { 'content-type': schema.contentType });
    },
  });

  // Key management is ours (the reference has none): for users signed in with an id_token.
  route(app, '/o/:organisation_id/api-keys', {
    POST: async (c) => c.json(await createApiKey(c.var.operation, await jsonBody(c, apiKeyCreate)), 201),
    GET: async (c) => c.json(await listOrganisationApiKeys(c.var.operation)),
  });

  route(app, '/o/:organisation_id/api-keys/:key_id', {
    DELETE: async (c) => {
      const id = ulid.safeParse(c.req.param('key_id'));
      if (!id.success) throw notFound('API key');
      await revokeApiKey(c.var.operation, { id: id.data });
      return c.body(null, 204);
    },
  });

  return app;
}
