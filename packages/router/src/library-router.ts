import { connectorListInput, libraryImportInput } from '@connect/contracts';
import { keyed } from './keyed.js';
import { importPublicConnectorVersion, listPublicConnectors } from './operations/library.js';
import { protectedProcedure, router } from './trpc.js';

/** The public library: the same operations as REST's ListPublicConnectors and ImportPublicConnectorVersion. */
export const libraryRouter = router({
  list: protectedProcedure.input(connectorListInput).query(({ ctx, input }) => listPublicConnectors(ctx, input)),
  importVersion: protectedProcedure
    .input(libraryImportInput)
    .mutation(({ ctx, input }) =>
      keyed(ctx, 'trpc:library.importVersion', input, (op) => importPublicConnectorVersion(op, input)),
    ),
});
