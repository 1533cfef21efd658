import {
  authSchemeConfigDeleteInput,
  authSchemeConfigUpsertInput,
  connectionCreateInput,
  connectionGetInput,
  connectionListInput,
  connectionUpdateInput,
  ifMatchInput,
  oauth2InitialiseInput,
  oauth2RefreshInput,
} from '@connect/contracts';
import { z } from 'zod';
import { keyed } from './keyed.js';
import { deleteConnectorAuthSchemeConfig, upsertConnectorAuthSchemeConfig } from './operations/auth-scheme-configs.js';
import {
  createConnectorConnection,
  deleteConnectorConnection,
  getConnectorConnection,
  getTaggedConnection,
  listConnectorConnections,
  updateConnectorConnection,
} from './operations/connections.js';
import { initialiseOAuth2Connection, refreshOAuth2Connection } from './operations/oauth2.js';
import { protectedProcedure, router } from './trpc.js';

/**
 * The tRPC procedures of connector authentication (auth scheme configs, connections, OAuth 2.0),
 * merged into the app router; the same operations as the REST routes.
 */
export const connectionRouters = {
  authSchemeConfigs: router({
    upsert: protectedProcedure
      .input(authSchemeConfigUpsertInput.extend(ifMatchInput.shape))
      .mutation(
        async ({ ctx, input: { ifMatch, ...input } }) =>
          (await upsertConnectorAuthSchemeConfig(ctx, input, ifMatch)).body,
      ),
    delete: protectedProcedure
      .input(authSchemeConfigDeleteInput.extend(ifMatchInput.shape))
      .mutation(
        async ({ ctx, input: { ifMatch, ...input } }) =>
          (await deleteConnectorAuthSchemeConfig(ctx, input, ifMatch)).body,
      ),
  }),
  connections: router({
    list: protectedProcedure.input(connectionListInput).query(({ ctx, input }) => listConnectorConnections(ctx, input)),
    get: protectedProcedure.input(connectionGetInput).query(({ ctx, input }) => getConnectorConnection(ctx, input)),
    getTagged: protectedProcedure.input(connectionGetInput).query(({ ctx, input }) => getTaggedConnection(ctx, input)),
    create: protectedProcedure
      .input(connectionCreateInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:connections.create', input, (op) => createConnectorConnection(op, input)),
      ),
    update: protectedProcedure
      .input(z.intersection(connectionUpdateInput, ifMatchInput))
      .mutation(
        async ({ ctx, input: { ifMatch, ...input } }) => (await updateConnectorConnection(ctx, input, ifMatch)).body,
      ),
    delete: protectedProcedure
      .input(connectionGetInput.extend(ifMatchInput.shape))
      .mutation(({ ctx, input: { ifMatch, ...input } }) => deleteConnectorConnection(ctx, input, ifMatch)),
  }),
  oauth2: router({
    initialise: protectedProcedure
      .input(oauth2InitialiseInput)
      .mutation(({ ctx, input }) =>
        keyed(ctx, 'trpc:oauth2.initialise', input, (op) => initialiseOAuth2Connection(op, input)),
      ),
    refresh: protectedProcedure
      .input(oauth2RefreshInput)
      .mutation(({ ctx, input }) => refreshOAuth2Connection(ctx, 'trpc:oauth2.refresh', input)),
  }),
};
