import { connectorVersionGetInput, versionDiffInput } from '@connect/contracts';
import { z } from 'zod';
import { checkPublishVersion } from './operations/publish-check.js';
import { diffConnectorVersions } from './operations/version-diff.js';
import { protectedProcedure, router } from './trpc.js';

/** The diff of two versions of a connector (REST's `…/versions/{a}/diff/{b}`), and the dry run of publish. */
export const versionDiffsRouter = router({
  get: protectedProcedure
    .input(versionDiffInput.extend({ breakingOnly: z.boolean().optional() }))
    .query(({ ctx, input }) => diffConnectorVersions(ctx, input)),
  /** A dry run of `connectorVersions.publish`: what publishing would do, changing nothing. */
  publishCheck: protectedProcedure
    .input(connectorVersionGetInput)
    .query(({ ctx, input }) => checkPublishVersion(ctx, input)),
});
