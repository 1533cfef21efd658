import { connectorVersionGetInput } from '@connect/contracts';
import { exportConnectorVersion } from './operations/version-export.js';
import { protectedProcedure, router } from './trpc.js';

/** A version as an OpenAPI 3.1 document (REST's `…/versions/{version}/openapi.json`). */
export const versionExportsRouter = router({
  get: protectedProcedure
    .input(connectorVersionGetInput)
    .query(async ({ ctx, input }) => (await exportConnectorVersion(ctx, input)).document),
});
