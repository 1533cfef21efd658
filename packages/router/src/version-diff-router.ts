import { versionDiffInput } from '@connect/contracts';
import { z } from 'zod';
import { diffConnectorVersions } from './operations/version-diff.js';
import { protectedProcedure, router } from './trpc.js';

/** The diff of two versions of a connector: the same operation as REST's `…/versions/{a}/diff/{b}`. */
export const versionDiffsRouter = router({
  get: protectedProcedure
    .input(versionDiffInput.extend({ breakingOnly: z.boolean().optional() }))
    .query(({ ctx, input }) => diffConnectorVersions(ctx, input)),
});
