import {
  actionCreateInput,
  actionGetInput,
  actionUpdateInput,
  definitionGetInput,
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
} from '@connect/contracts';
import { createApiKey, listOrganisationApiKeys, revokeApiKey } from './operations/api-keys.js';
import {
  createHttpConnector,
  deleteConnectorById,
  getConnectorById,
  listOrganisationConnectors,
  updateHttpConnector,
} from './operations/connectors.js';
import { createConnectorVersion, getConnectorVersion, listConnectorVersions } from './operations/connector-versions.js';
import {
  deleteConnectorVersion,
  publishConnectorVersion,
  unpublishConnectorVersion,
  updateConnectorVersion,
} from './operations/version-lifecycle.js';
import {
  createVersionDefinitions,
  deleteVersionDefinition,
  deleteVersionDefinitions,
  getVersionDefinition,
  listVersionDefinitions,
  updateVersionDefinition,
} from './operations/definitions.js';
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
} from './operations/http-operations.js';
import { keyed } from './keyed.js';
import { protectedProcedure, router } from './trpc.js';

/**
 * The tRPC surface: the same operations as REST, validated by the same schemas. The mutations that
 * are POSTs in REST take an Idempotency-Key (`keyed`); their keys are kept apart from REST's.
 */
export const appRouter = router({
  connectors: router({
    create: protectedProcedure
      .input(httpConnectorCreate)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectors.create', input, (op) => createHttpConnector(op, input)),
      ),
    get: protectedProcedure.input(connectorGetInput).query(({ ctx, input }) => getConnectorById(ctx, input)),
    list: protectedProcedure
      .input(connectorListInput)
      .query(({ ctx, input }) => listOrganisationConnectors(ctx, input)),
    update: protectedProcedure
      .input(connectorUpdateInput)
      .mutation(({ ctx, input }) => updateHttpConnector(ctx, input)),
    delete: protectedProcedure
      .input(connectorDeleteInput)
      .mutation(({ ctx, input }) => deleteConnectorById(ctx, input)),
  }),
  connectorVersions: router({
    create: protectedProcedure
      .input(connectorVersionCreateInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.create', input, (op) => createConnectorVersion(op, input)),
      ),
    get: protectedProcedure.input(connectorVersionGetInput).query(({ ctx, input }) => getConnectorVersion(ctx, input)),
    list: protectedProcedure
      .input(connectorVersionListInput)
      .query(({ ctx, input }) => listConnectorVersions(ctx, input)),
    update: protectedProcedure
      .input(connectorVersionUpdateInput)
      .mutation(({ ctx, input }) => updateConnectorVersion(ctx, input)),
    delete: protectedProcedure
      .input(connectorVersionDeleteInput)
      .mutation(({ ctx, input }) => deleteConnectorVersion(ctx, input)),
    publish: protectedProcedure
      .input(connectorVersionGetInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.publish', input, (op) => publishConnectorVersion(op, input)),
      ),
    unpublish: protectedProcedure
      .input(connectorVersionGetInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connectorVersions.unpublish', input, (op) => unpublishConnectorVersion(op, input)),
      ),
  }),
  actions: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listActions(ctx, input)),
    get: protectedProcedure.input(actionGetInput).query(({ ctx, input }) => getAction(ctx, input)),
    create: protectedProcedure
      .input(actionCreateInput)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:actions.create', input, (op) => createAction(op, input))),
    update: protectedProcedure.input(actionUpdateInput).mutation(({ ctx, input }) => updateAction(ctx, input)),
    delete: protectedProcedure.input(actionGetInput).mutation(({ ctx, input }) => deleteAction(ctx, input)),
  }),
  triggers: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listTriggers(ctx, input)),
    get: protectedProcedure.input(triggerGetInput).query(({ ctx, input }) => getTrigger(ctx, input)),
    create: protectedProcedure
      .input(triggerCreateInput)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:triggers.create', input, (op) => createTrigger(op, input))),
    update: protectedProcedure.input(triggerUpdateInput).mutation(({ ctx, input }) => updateTrigger(ctx, input)),
    delete: protectedProcedure.input(triggerGetInput).mutation(({ ctx, input }) => deleteTrigger(ctx, input)),
  }),
  definitions: router({
    list: protectedProcedure.input(childListInput).query(({ ctx, input }) => listVersionDefinitions(ctx, input)),
    get: protectedProcedure.input(definitionGetInput).query(({ ctx, input }) => getVersionDefinition(ctx, input)),
    /** Bulk: definitions of one request may refer to each other. */
    create: protectedProcedure
      .input(definitionsCreateInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:definitions.create', input, (op) => createVersionDefinitions(op, input)),
      ),
    update: protectedProcedure
      .input(definitionUpdateInput)
      .mutation(({ ctx, input }) => updateVersionDefinition(ctx, input)),
    delete: protectedProcedure
      .input(definitionGetInput)
      .mutation(({ ctx, input }) => deleteVersionDefinition(ctx, input)),
    deleteMany: protectedProcedure
      .input(definitionsDeleteInput)
      .mutation(({ ctx, input }) => deleteVersionDefinitions(ctx, input)),
  }),
  apiKeys: router({
    create: protectedProcedure
      .input(apiKeyCreate)
      .mutation(({ ctx, input }) => keyed(ctx, 'trpc:apiKeys.create', input, (op) => createApiKey(op, input))),
    list: protectedProcedure.input(apiKeyListInput).query(({ ctx, input }) => listOrganisationApiKeys(ctx, input)),
    revoke: protectedProcedure.input(apiKeyRevokeInput).mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
  }),
});

export type AppRouter = typeof appRouter;
