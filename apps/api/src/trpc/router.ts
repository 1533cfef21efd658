import {
  apiKeyCreate,
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
import { protectedProcedure, router } from './init';

/** The tRPC surface: the same operations as REST, validated by the same schemas. */
export const appRouter = router({
  connectors: router({
    create: protectedProcedure.input(httpConnectorCreate).mutation(({ ctx, input }) => createHttpConnector(ctx, input)),
    get: protectedProcedure.input(connectorGetInput).query(({ ctx, input }) => getConnectorById(ctx, input)),
    list: protectedProcedure.input(connectorListInput).query(({ ctx, input }) => listOrganisationConnectors(ctx, input)),
    update: protectedProcedure.input(connectorUpdateInput).mutation(({ ctx, input }) => updateHttpConnector(ctx, input)),
    delete: protectedProcedure.input(connectorDeleteInput).mutation(({ ctx, input }) => deleteConnectorById(ctx, input)),
  }),
  connectorVersions: router({
    create: protectedProcedure
      .input(connectorVersionCreateInput)
      .mutation(({ ctx, input }) => createConnectorVersion(ctx, input)),
    get: protectedProcedure.input(connectorVersionGetInput).query(({ ctx, input }) => getConnectorVersion(ctx, input)),
    list: protectedProcedure.input(connectorVersionListInput).query(({ ctx, input }) => listConnectorVersions(ctx, input)),
    update: protectedProcedure
      .input(connectorVersionUpdateInput)
      .mutation(({ ctx, input }) => updateConnectorVersion(ctx, input)),
    delete: protectedProcedure
      .input(connectorVersionDeleteInput)
      .mutation(({ ctx, input }) => deleteConnectorVersion(ctx, input)),
    publish: protectedProcedure
      .input(connectorVersionGetInput)
      .mutation(({ ctx, input }) => publishConnectorVersion(ctx, input)),
    unpublish: protectedProcedure
      .input(connectorVersionGetInput)
      .mutation(({ ctx, input }) => unpublishConnectorVersion(ctx, input)),
  }),
  apiKeys: router({
    create: protectedProcedure.input(apiKeyCreate).mutation(({ ctx, input }) => createApiKey(ctx, input)),
    list: protectedProcedure.query(({ ctx }) => listOrganisationApiKeys(ctx)),
    revoke: protectedProcedure.input(apiKeyRevokeInput).mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
  }),
});

export type AppRouter = typeof appRouter;
export type { ApiErrorData } from './init';
