import {
  apiKeyCreate,
  apiKeyRevokeInput,
  connectorGetInput,
  connectorListInput,
  connectorVersionCreateInput,
  connectorVersionGetInput,
  connectorVersionListInput,
  httpConnectorCreate,
} from '@connect/contracts';
import { createApiKey, listOrganisationApiKeys, revokeApiKey } from '../operations/api-keys';
import { createHttpConnector, getConnectorById, listOrganisationConnectors } from '../operations/connectors';
import { createConnectorVersion, getConnectorVersion, listConnectorVersions } from '../operations/connector-versions';
import { protectedProcedure, router } from './init';

/** The tRPC surface: the same operations as REST, validated by the same schemas. */
export const appRouter = router({
  connectors: router({
    create: protectedProcedure.input(httpConnectorCreate).mutation(({ ctx, input }) => createHttpConnector(ctx, input)),
    get: protectedProcedure.input(connectorGetInput).query(({ ctx, input }) => getConnectorById(ctx, input)),
    list: protectedProcedure.input(connectorListInput).query(({ ctx, input }) => listOrganisationConnectors(ctx, input)),
  }),
  connectorVersions: router({
    create: protectedProcedure
      .input(connectorVersionCreateInput)
      .mutation(({ ctx, input }) => createConnectorVersion(ctx, input)),
    get: protectedProcedure.input(connectorVersionGetInput).query(({ ctx, input }) => getConnectorVersion(ctx, input)),
    list: protectedProcedure.input(connectorVersionListInput).query(({ ctx, input }) => listConnectorVersions(ctx, input)),
  }),
  apiKeys: router({
    create: protectedProcedure.input(apiKeyCreate).mutation(({ ctx, input }) => createApiKey(ctx, input)),
    list: protectedProcedure.query(({ ctx }) => listOrganisationApiKeys(ctx)),
    revoke: protectedProcedure.input(apiKeyRevokeInput).mutation(({ ctx, input }) => revokeApiKey(ctx, input)),
  }),
});

export type AppRouter = typeof appRouter;
export type { ApiErrorData } from './init';
