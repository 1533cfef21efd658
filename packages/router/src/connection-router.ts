import { authSchemeConfigDeleteInput, authSchemeConfigUpsertInput, ifMatchInput } from '@connect/contracts';
import { deleteConnectorAuthSchemeConfig, upsertConnectorAuthSchemeConfig } from './operations/auth-scheme-configs.js';
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
};
