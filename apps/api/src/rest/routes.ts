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
  actionPage,
  action,
  apiKeyCreated,
  apiKeyList,
  childListQuery,
  connector,
  connectorListQuery,
  connectorPage,
  connectorVersion,
  connectorVersionChanged,
  connectorVersionPage,
  publishCheck,
  publishQuery,
  versionListQuery,
  definition,
  definitionPage,
  definitions,
  forceQuery,
  childListInput,
  pageQuery,
  trigger,
  triggerPage,
  triggerCreate,
  triggerUpdate,
  ulid,
} from '@connect/contracts';
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '@connect/router';
import type { AppEnv } from '../hono-env.js';
import {
  createAction,
  createApiKey,
  createConnectorVersion,
  createHttpConnector,
  createTrigger,
  createVersionDefinitions,
  deleteAction,
  deleteConnectorById,
  deleteConnectorVersion,
  deleteTrigger,
  deleteVersionDefinition,
  deleteVersionDefinitions,
  getTaggedAction,
  getTaggedConnector,
  getTaggedConnectorVersion,
  getRawSchema,
  getTaggedTrigger,
  getTaggedDefinition,
  listActions,
  listConnectorVersions,
  listOrganisationApiKeys,
  listOrganisationConnectors,
  listTriggers,
  listVersionDefinitions,
  publishTaggedVersion,
  revokeApiKey,
  unpublishTaggedVersion,
  updateTaggedAction,
  updateTaggedVersion,
  updateTaggedConnector,
  updateTaggedDefinition,
  updateTaggedTrigger,
} from '@connect/router/operations';
import { catalogRoutes } from './catalog-routes.js';
import { connectionRoutes } from './connection-routes.js';
import { libraryRoutes } from './library-routes.js';
import { created, noContent, ok, routeRegistrar, type DocumentedRoute } from './documented-route.js';
import { deprecationHeaders } from './deprecation-headers.js';
import { publishDryRun } from './publish-dry-run.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { versionDiffRoutes } from './version-diff-routes.js';
import { versionExportRoutes } from './version-export-routes.js';
import { importRoutes } from './import-routes.js';
import {
  connectorIdOf,
  etagged,
  forceOf,
  ifMatchOf,
  jsonBody,
  nameOf,
  queryOf,
  replayable,
  taggedJson,
  versionOf,
} from './request.js';

const version = '/o/:organisation_id/connectors/:connector_id/versions/:version';

/**
 * The REST surface, wire-compatible with Connect API v1. Each route only translates HTTP to an
 * operation call; the organisation in the path must be the caller's own, else nothing exists.
 * Every route is registered with its document entry, from which the OpenAPI document is built.
 */
export function restRoutes(): { app: Hono<AppEnv>; documented: DocumentedRoute[] } {
  const app = new Hono<AppEnv>();
  const documented: DocumentedRoute[] = [];
  const route = routeRegistrar(app, documented);

  app.use('/o/:organisation_id/*', async (c, next) => {
    if (c.req.param('organisation_id').toUpperCase() !== c.var.operation.organisationId) {
      throw notFound(
        // `/connector/` (singular): the reference's path of ImportHTTPConnectorVersion.
        /\/(connectors?|schemas)\//.test(c.req.path)
          ? 'connector'
          : c.req.path.includes('/api-keys/')
            ? 'API key'
            : 'organisation',
      );
    }
    await next();
  });
  app.use('/o/:organisation_id/*', deprecationHeaders);

  route('/o/:organisation_id/protocols/http/connectors', {
    POST: {
      doc: {
        operationId: 'CreateHTTPConnector',
        summary: 'Create an HTTP connector',
        tag: 'connectors',
        body: httpConnectorCreate,
        response: created(connector),
      },
      handle: async (c) => {
        const body = await jsonBody(c, httpConnectorCreate);
        return c.json(await replayable(c, 'CreateHTTPConnector', body, (op) => createHttpConnector(op, body)), 201);
      },
    },
  });

  route('/o/:organisation_id/connectors', {
    GET: {
      doc: {
        operationId: 'ListConnectors',
        summary: 'List connectors',
        tag: 'connectors',
        query: connectorListQuery,
        response: ok(connectorPage),
      },
      // `categories` is repeated (`?categories=ERP&categories=CRM`): every value is taken.
      handle: async (c) =>
        c.json(
          await listOrganisationConnectors(
            c.var.operation,
            queryOf(c, connectorListQuery, { categories: c.req.queries('categories') }),
          ),
        ),
    },
  });

  route('/o/:organisation_id/connectors/:connector_id', {
    GET: {
      doc: {
        operationId: 'GetConnector',
        etag: 'read',
        summary: 'Get a connector',
        tag: 'connectors',
        response: ok(connector),
      },
      handle: async (c) => taggedJson(c, await getTaggedConnector(c.var.operation, { connectorId: connectorIdOf(c) })),
    },
    PUT: {
      doc: {
        operationId: 'UpdateConnector',
        etag: 'write',
        summary: 'Update a connector',
        tag: 'connectors',
        body: httpConnectorUpdate,
        response: ok(connector),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, httpConnectorUpdate);
        return etagged(c, await updateTaggedConnector(c.var.operation, { ...body, connectorId }, ifMatchOf(c)));
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteConnector',
        etag: 'write',
        summary: 'Delete a connector',
        tag: 'connectors',
        query: forceQuery,
        response: noContent,
      },
      handle: async (c) => {
        await deleteConnectorById(c.var.operation, { connectorId: connectorIdOf(c), force: forceOf(c) }, ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  route('/o/:organisation_id/connectors/:connector_id/versions', {
    POST: {
      doc: {
        operationId: 'CreateConnectorVersion',
        etag: 'source',
        summary: 'Create a draft version, optionally copied from another',
        tag: 'connector-version',
        body: connectorVersionCreate,
        response: created(connectorVersion),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const body = await jsonBody(c, connectorVersionCreate);
        // If-Match here names the source (`fromVersion`): a copy of a version changed since is a 412.
        const ifMatch = ifMatchOf(c);
        const input = { connectorId, ...body };
        return c.json(
          await replayable(c, 'CreateConnectorVersion', { ...input, ifMatch }, (op) =>
            createConnectorVersion(op, input, ifMatch),
          ),
          201,
        );
      },
    },
    GET: {
      doc: {
        operationId: 'ListConnectorVersions',
        summary: 'List versions (deprecated=true|false: only deprecated, or only other, versions)',
        tag: 'connector-version',
        query: versionListQuery,
        response: ok(connectorVersionPage),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        return c.json(await listConnectorVersions(c.var.operation, { connectorId, ...queryOf(c, versionListQuery) }));
      },
    },
  });

  route(version, {
    GET: {
      doc: {
        operationId: 'GetConnectorVersion',
        etag: 'read',
        summary: 'Get a version (or latest / default)',
        tag: 'connector-version',
        response: ok(connectorVersion),
      },
      handle: async (c) => taggedJson(c, await getTaggedConnectorVersion(c.var.operation, versionOf(c))),
    },
    PUT: {
      doc: {
        operationId: 'UpdateConnectorVersion',
        etag: 'write',
        summary: 'Update a version: description (drafts); isDefault and deprecation (published)',
        tag: 'connector-version',
        body: connectorVersionUpdate,
        response: ok(connectorVersion),
      },
      handle: async (c) => {
        const target = versionOf(c);
        const body = await jsonBody(c, connectorVersionUpdate);
        return etagged(c, await updateTaggedVersion(c.var.operation, { ...body, ...target }, ifMatchOf(c)));
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteConnectorVersion',
        etag: 'write',
        summary: 'Delete a version',
        tag: 'connector-version',
        query: forceQuery,
        response: noContent,
      },
      handle: async (c) => {
        await deleteConnectorVersion(c.var.operation, { ...versionOf(c), force: forceOf(c) }, ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  route(`${version}/publish`, {
    POST: {
      doc: {
        operationId: 'PublishConnector',
        etag: 'write',
        summary: 'Publish a draft (with dryRun=true: what publishing would do, changing nothing)',
        tag: 'connector-version',
        query: publishQuery,
        response: ok(z.union([connectorVersionChanged, publishCheck])),
      },
      handle: async (c) => {
        const dryRun = await publishDryRun(c);
        if (dryRun) return dryRun;
        const target = versionOf(c);
        const ifMatch = ifMatchOf(c);
        return etagged(
          c,
          await replayable(c, 'PublishConnector', { ...target, ifMatch }, (op) =>
            publishTaggedVersion(op, target, ifMatch),
          ),
        );
      },
    },
  });

  route(`${version}/unpublish`, {
    POST: {
      doc: {
        operationId: 'UnpublishConnector',
        etag: 'write',
        summary: 'Make a published version a draft again',
        tag: 'connector-version',
        response: ok(connectorVersionChanged),
      },
      handle: async (c) => {
        const target = versionOf(c);
        const ifMatch = ifMatchOf(c);
        return etagged(
          c,
          await replayable(c, 'UnpublishConnector', { ...target, ifMatch }, (op) =>
            unpublishTaggedVersion(op, target, ifMatch),
          ),
        );
      },
    },
  });

  subscriptionRoutes(route);
  versionDiffRoutes(route);
  versionExportRoutes(route);
  importRoutes(route);

  route(`${version}/actions`, {
    GET: {
      doc: {
        operationId: 'GetActions',
        summary: 'List actions',
        tag: 'actions',
        query: childListQuery,
        response: ok(actionPage),
      },
      handle: async (c) => c.json(await listActions(c.var.operation, queryOf(c, childListInput, versionOf(c)))),
    },
    POST: {
      doc: {
        operationId: 'CreateAction',
        summary: 'Create an action',
        tag: 'actions',
        body: actionCreate,
        response: created(action),
      },
      handle: async (c) => {
        const target = versionOf(c);
        const input = { ...(await jsonBody(c, actionCreate)), ...target };
        return c.json(await replayable(c, 'CreateAction', input, (op) => createAction(op, input)), 201);
      },
    },
  });

  route(`${version}/actions/:action_name`, {
    GET: {
      doc: { operationId: 'GetAction', etag: 'read', summary: 'Get an action', tag: 'actions', response: ok(action) },
      handle: async (c) =>
        taggedJson(
          c,
          await getTaggedAction(c.var.operation, { ...versionOf(c), actionName: nameOf(c, 'action_name') }),
        ),
    },
    PUT: {
      doc: {
        operationId: 'UpdateAction',
        etag: 'write',
        summary: 'Replace an action',
        tag: 'actions',
        body: actionUpdate,
        response: ok(action),
      },
      handle: async (c) => {
        const target = { ...versionOf(c), actionName: nameOf(c, 'action_name') };
        return etagged(
          c,
          await updateTaggedAction(c.var.operation, { ...(await jsonBody(c, actionUpdate)), ...target }, ifMatchOf(c)),
        );
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteAction',
        etag: 'condition',
        summary: 'Delete an action',
        tag: 'actions',
        response: noContent,
      },
      handle: async (c) => {
        await deleteAction(c.var.operation, { ...versionOf(c), actionName: nameOf(c, 'action_name') }, ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  route(`${version}/triggers`, {
    GET: {
      doc: {
        operationId: 'GetTriggers',
        summary: 'List triggers',
        tag: 'triggers',
        query: childListQuery,
        response: ok(triggerPage),
      },
      handle: async (c) => c.json(await listTriggers(c.var.operation, queryOf(c, childListInput, versionOf(c)))),
    },
    POST: {
      doc: {
        operationId: 'CreateTrigger',
        summary: 'Create a trigger',
        tag: 'triggers',
        body: triggerCreate,
        response: created(trigger),
      },
      handle: async (c) => {
        const target = versionOf(c);
        const input = { ...(await jsonBody(c, triggerCreate)), ...target };
        return c.json(await replayable(c, 'CreateTrigger', input, (op) => createTrigger(op, input)), 201);
      },
    },
  });

  route(`${version}/triggers/:trigger_name`, {
    GET: {
      doc: {
        operationId: 'GetTrigger',
        etag: 'read',
        summary: 'Get a trigger',
        tag: 'triggers',
        response: ok(trigger),
      },
      handle: async (c) =>
        taggedJson(
          c,
          await getTaggedTrigger(c.var.operation, { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') }),
        ),
    },
    PUT: {
      doc: {
        operationId: 'UpdateTrigger',
        etag: 'write',
        summary: 'Replace a trigger',
        tag: 'triggers',
        body: triggerUpdate,
        response: ok(trigger),
      },
      handle: async (c) => {
        const target = { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') };
        return etagged(
          c,
          await updateTaggedTrigger(
            c.var.operation,
            { ...(await jsonBody(c, triggerUpdate)), ...target },
            ifMatchOf(c),
          ),
        );
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteTrigger',
        etag: 'condition',
        summary: 'Delete a trigger',
        tag: 'triggers',
        response: noContent,
      },
      handle: async (c) => {
        await deleteTrigger(c.var.operation, { ...versionOf(c), triggerName: nameOf(c, 'trigger_name') }, ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  route(`${version}/definitions`, {
    GET: {
      doc: {
        operationId: 'GetDefinitions',
        summary: 'List definitions',
        tag: 'definitions',
        query: childListQuery,
        response: ok(definitionPage),
      },
      handle: async (c) =>
        c.json(await listVersionDefinitions(c.var.operation, queryOf(c, childListInput, versionOf(c)))),
    },
    POST: {
      doc: {
        operationId: 'CreateDefinitions',
        summary: 'Create definitions, which may refer to each other',
        tag: 'definitions',
        body: definitionsCreate,
        response: created(definitions),
      },
      handle: async (c) => {
        const target = versionOf(c);
        const input = { ...(await jsonBody(c, definitionsCreate)), ...target };
        return c.json(
          await replayable(c, 'CreateDefinitions', input, (op) => createVersionDefinitions(op, input)),
          201,
        );
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteDefinitions',
        summary: 'Delete definitions by ids and names, or all (412 while something refers to one, unless force=true)',
        tag: 'definitions',
        query: forceQuery,
        body: definitionsDelete,
        response: noContent,
      },
      handle: async (c) => {
        const target = { ...versionOf(c), force: forceOf(c) };
        await deleteVersionDefinitions(c.var.operation, { ...(await jsonBody(c, definitionsDelete)), ...target });
        return c.body(null, 204);
      },
    },
  });

  route(`${version}/definitions/:definition_name`, {
    GET: {
      doc: {
        operationId: 'GetDefinition',
        etag: 'read',
        summary: 'Get a definition',
        tag: 'definitions',
        response: ok(definition),
      },
      handle: async (c) =>
        taggedJson(
          c,
          await getTaggedDefinition(c.var.operation, {
            ...versionOf(c),
            definitionName: nameOf(c, 'definition_name'),
          }),
        ),
    },
    PUT: {
      doc: {
        operationId: 'UpdateDefinition',
        etag: 'write',
        summary: 'Update a definition',
        tag: 'definitions',
        body: definitionUpdate,
        response: ok(definition),
      },
      handle: async (c) => {
        const target = { ...versionOf(c), definitionName: nameOf(c, 'definition_name') };
        return etagged(
          c,
          await updateTaggedDefinition(
            c.var.operation,
            { ...(await jsonBody(c, definitionUpdate)), ...target },
            ifMatchOf(c),
          ),
        );
      },
    },
    DELETE: {
      doc: {
        operationId: 'DeleteDefinition',
        etag: 'condition',
        summary: 'Delete a definition (412 while something refers to it, unless force=true)',
        tag: 'definitions',
        query: forceQuery,
        response: noContent,
      },
      handle: async (c) => {
        const target = { ...versionOf(c), definitionName: nameOf(c, 'definition_name'), force: forceOf(c) };
        await deleteVersionDefinition(c.var.operation, target, ifMatchOf(c));
        return c.body(null, 204);
      },
    },
  });

  // A definition's `url`: its schema as stored, as a type a schema can have (else text/plain). Stored
  // text from any caller is served on the API's origin: the browser must neither sniff it into a
  // page nor, whatever it renders, run or load anything from it.
  route('/o/:organisation_id/schemas/:connector_id/:version/:schema_filename', {
    GET: {
      doc: {
        operationId: 'GetRawSchema',
        summary: 'Get a definition’s raw schema',
        tag: 'definitions',
        response: { status: 200, schema: z.string(), mediaType: '*/*' },
      },
      handle: async (c) => {
        const id = ulid.safeParse((c.req.param('schema_filename') ?? '').replace(/\.[a-z]+$/, ''));
        if (!id.success) throw notFound('schema');
        const schema = await getRawSchema(c.var.operation, { ...versionOf(c), definitionId: id.data });
        return c.body(schema.content, 200, {
          'content-type': schema.contentType,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        });
      },
    },
  });

  // Key management is ours (the reference has none): for users signed in with an id_token.
  route('/o/:organisation_id/api-keys', {
    POST: {
      doc: {
        operationId: 'CreateAPIKey',
        summary: 'Create an API key (shown once)',
        tag: 'api-keys',
        body: apiKeyCreate,
        response: created(apiKeyCreated),
      },
      handle: async (c) => {
        const body = await jsonBody(c, apiKeyCreate);
        return c.json(await replayable(c, 'CreateAPIKey', body, (op) => createApiKey(op, body)), 201);
      },
    },
    GET: {
      doc: {
        operationId: 'ListAPIKeys',
        summary: 'List API keys',
        tag: 'api-keys',
        query: pageQuery,
        response: ok(apiKeyList),
      },
      handle: async (c) => c.json(await listOrganisationApiKeys(c.var.operation, queryOf(c, pageQuery))),
    },
  });

  route('/o/:organisation_id/api-keys/:key_id', {
    DELETE: {
      doc: { operationId: 'RevokeAPIKey', summary: 'Revoke an API key', tag: 'api-keys', response: noContent },
      handle: async (c) => {
        const id = ulid.safeParse(c.req.param('key_id'));
        if (!id.success) throw notFound('API key');
        await revokeApiKey(c.var.operation, { id: id.data });
        return c.body(null, 204);
      },
    },
  });

  catalogRoutes(route);
  connectionRoutes(route);
  libraryRoutes(route);
  return { app, documented };
}
