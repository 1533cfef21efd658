import {
  actionCreateInput,
  actionGetInput,
  actionUpdateInput,
  definitionGetInput,
  definitionDeleteInput,
  childListInput,
  definitionsCreateInput,
  definitionsDeleteInput,
  definitionUpdateInput,
  triggerCreateInput,
  triggerGetInput,
  triggerUpdateInput,
  apiKeyCreate,
  apiKeyListInput,
  apiKeyRevokeInput,
  connectorDeleteInput,
  connectorGetInput,
  connectorUpdateInput,
  connectorListInput,
  connectorVersionCreateInput,
  connectorVersionDeleteInput,
  connectorVersionUpdateInput,
  connectorVersionGetInput,
  connectorVersionListInput,
  httpConnectorCreate,
  fromVersionIfMatchInput,
  ifMatchInput,
  importConnectorInput,
  importVersionInput,
} from '@connect/contracts';
import { importHttpConnector, importHttpConnectorVersion } from './operations/imports.js';
import { z } from 'zod';
import { createApiKey, listOrganisationApiKeys, revokeApiKey } from './operations/api-keys.js';
import {
  createHttpConnector,
  deleteConnectorById,
  getConnectorById,
  getTaggedConnector,
  listOrganisationConnectors,
  updateTaggedConnector,
} from './operations/connectors.js';
import {
  createConnectorVersion,
  getConnectorVersion,
  getTaggedConnectorVersion,
  listConnectorVersions,
} from './operations/connector-versions.js';
import {
  deleteConnectorVersion,
  publishTaggedVersion,
  unpublishTaggedVersion,
  updateTaggedVersion,
} from './operations/version-lifecycle.js';
import {
  createVersionDefinitions,
  deleteVersionDefinition,
  deleteVersionDefinitions,
  getTaggedDefinition,
  getVersionDefinition,
  listVersionDefinitions,
  updateTaggedDefinition,
} from './operations/definitions.js';
import {
  createAction,
  createTrigger,
  deleteAction,
  deleteTrigger,
  getAction,
  getTaggedAction,
  getTaggedTrigger,
  getTrigger,
  listActions,
  listTriggers,
  updateTaggedAction,
  updateTaggedTrigger,
} from './operations/http-operations.js';
import { catalogRouter, connectorLabelProcedures } from './catalog-router.js';
import { connectionRouters } from './connection-router.js';
import { keyed } from './keyed.js';
import { libraryRouter } from './library-router.js';
import { subscriptionsRouter } from './subscriptions-router.js';
import { versionDiffsRouter } from './version-diff-router.js';
import { versionExportsRouter } from './version-export-router.js';
import { protectedProcedure, router } from './trpc.js';

/**
 * The tRPC surface: the same operations as REST, validated by the same schemas. The mutations that
 * are POSTs in REST take an Idempotency-Key (`keyed`); their keys are kept apart from REST's.
 */
export const appRouter = router({
  ...connectionRouters,
  connectors: router({
    create: protectedProcedure
      .input(httpConnectorCreate)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectors.create', input, (op) => createHttpConnector(op, input)),
      ),
    /** ImportHTTPConnector: a connector and its first draft version from an OpenAPI document. */
    import: protectedProcedure
      .input(importConnectorInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectors.import', input, (op) => importHttpConnector(op, input)),
      ),
    get: protectedProcedure.input(connectorGetInput).query(({ ctx, input }) => getConnectorById(ctx, input)),
    getTagged: protectedProcedure.input(connectorGetInput).query(({ ctx, input }) => getTaggedConnector(ctx, input)),
    list: protectedProcedure
      .input(connectorListInput)
      .query(({ ctx, input }) => listOrganisationConnectors(ctx, input)),
    update: protectedProcedure
      .input(connectorUpdateInput.extend(ifMatchInput.shape))
      .mutation(
        async ({ ctx, input: { ifMatch, ...input } }) => (await updateTaggedConnector(ctx, input, ifMatch)).body,
      ),
    delete: protectedProcedure
      .input(connectorDeleteInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteConnectorById(ctx, input, ifMatch)),
    ...connectorLabelProcedures,
  }),
  catalog: catalogRouter,
  library: libraryRouter,
  connectorVersions: router({
    create: protectedProcedure
      .input(connectorVersionCreateInput.extend(fromVersionIfMatchInput.shape))
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.create', input, (op) => {
          const { fromVersionIfMatch, ...version } = input;
          return createConnectorVersion(op, version, fromVersionIfMatch);
        }),
      ),
    /** ImportHTTPConnectorVersion: a new draft version of the connector from an OpenAPI document. */
    import: protectedProcedure
      .input(importVersionInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.import', input, (op) => importHttpConnectorVersion(op, input)),
      ),
    get: protectedProcedure.input(connectorVersionGetInput).query(({ ctx, input }) => getConnectorVersion(ctx, input)),
    getTagged: protectedProcedure
      .input(connectorVersionGetInput)
      .query(({ ctx, input }) => getTaggedConnectorVersion(ctx, input)),
    list: protectedProcedure
      .input(connectorVersionListInput)
      .query(({ ctx, input }) => listConnectorVersions(ctx, input)),
    update: protectedProcedure
      .input(connectorVersionUpdateInput.extend(ifMatchInput.shape))
      .mutation(async ({ ctx, input: { ifMatch, ...input } }) => (await updateTaggedVersion(ctx, input, ifMatch)).body),
    delete: protectedProcedure
      .input(connectorVersionDeleteInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteConnectorVersion(ctx, input, ifMatch)),
    publish: protectedProcedure.input(connectorVersionGetInput.extend(ifMatchInput.shape)).mutation(({ ctx, input }) =>
      keyed(ctx, 'trpc:connectorVersions.publish', input, async (op) => {
        const { ifMatch, ...version } = input;
        return (await publishTaggedVersion(op, version, ifMatch)).body;
      }),
    ),
    unpublish: protectedProcedure
      .input(connectorVersionGetInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.unpublish', input, async (op) => {
          const { ifMatch, ...version } = input;
          return (await unpublishTaggedVersion(op, version, ifMatch)).body;
        }),
      ),
  }),
  actions: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listActions(ctx, input)),
    get: protectedProcedure.input(actionGetInput).query(({ ctx, input }) => getAction(ctx, input)),
    getTagged: protectedProcedure.input(actionGetInput).query(({ ctx, input }) => getTaggedAction(ctx, input)),
    create: protectedProcedure
      .input(actionCreateInput)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:actions.create', input, (op) => createAction(op, input))),
    update: protectedProcedure
      .input(z.intersection(actionUpdateInput, ifMatchInput))
      .mutation(async ({ ctx, input: { ifMatch, ...input } }) => (await updateTaggedAction(ctx, input, ifMatch)).body),
    delete: protectedProcedure
      .input(actionGetInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteAction(ctx, input, ifMatch)),
  }),
  triggers: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listTriggers(ctx, input)),
    get: protectedProcedure.input(triggerGetInput).query(({ ctx, input }) => getTrigger(ctx, input)),
    getTagged: protectedProcedure.input(triggerGetInput).query(({ ctx, input }) => getTaggedTrigger(ctx, input)),
    create: protectedProcedure
      .input(triggerCreateInput)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:triggers.create', input, (op) => createTrigger(op, input))),
    update: protectedProcedure
      .input(z.intersection(triggerUpdateInput, ifMatchInput))
      .mutation(async ({ ctx, input: { ifMatch, ...input } }) => (await updateTaggedTrigger(ctx, input, ifMatch)).body),
    delete: protectedProcedure
      .input(triggerGetInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteTrigger(ctx, input, ifMatch)),
  }),
  definitions: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listVersionDefinitions(ctx, input)),
    get: protectedProcedure.input(definitionGetInput).query(({ ctx, input }) => getVersionDefinition(ctx, input)),
    getTagged: protectedProcedure.input(definitionGetInput).query(({ ctx, input }) => getTaggedDefinition(ctx, input)),
    /** Bulk: definitions of one request may refer to each other. */
    create: protectedProcedure
      .input(definitionsCreateInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:definitions.create', input, (op) => createVersionDefinitions(op, input)),
      ),
    update: protectedProcedure
      .input(definitionUpdateInput.extend(ifMatchInput.shape))
      .mutation(
        async ({ ctx, input: { ifMatch, ...input } }) => (await updateTaggedDefinition(ctx, input, ifMatch)).body,
      ),
    delete: protectedProcedure
      .input(definitionDeleteInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteVersionDefinition(ctx, input, ifMatch)),
    deleteMany: protectedProcedure
      .input(definitionsDeleteInput)
      .mutation(({ ctx, input }) => deleteVersionDefinitions(ctx, input)),
  }),
  subscriptions: subscriptionsRouter,
  versionDiffs: versionDiffsRouter,
  versionExports: versionExportsRouter,
  apiKeys: router({
    create: protectedProcedure
      .input(apiKeyCreate)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:apiKeys.create', input, (op) => createApiKey(op, input))),
    list: protectedProcedure.input(apiKeyListInput).query(({ ctx, input }) => listOrganisationApiKeys(ctx, input)),
    revoke: protectedProcedure.input(apiKeyRevokeInput).mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
  }),
});

export type AppRouter = typeof appRouter;
