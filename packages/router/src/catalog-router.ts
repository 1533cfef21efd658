import {
  connectorCategoriesUpdateInput,
  connectorTagsUpdateInput,
  ifMatchInput,
  pageQuery,
  uploadUrlInput,
} from '@connect/contracts';
import { z } from 'zod';
import { listCategories, updateConnectorCategories, updateConnectorTags } from './operations/connector-labels.js';
import { listAuthSchemes, listProtocols } from './operations/protocols.js';
import { getProtocolUploadUrl } from './operations/upload-urls.js';
import { protectedProcedure, router } from './trpc.js';

/** `connectors.updateTags` and `connectors.updateCategories`: each answers the connector's new entity tag. */
export const connectorLabelProcedures = {
  updateTags: protectedProcedure
    .input(connectorTagsUpdateInput.extend(ifMatchInput.shape))
    .mutation(({ ctx, input: { ifMatch, ...input } }) => updateConnectorTags(ctx, input, ifMatch)),
  updateCategories: protectedProcedure
    .input(connectorCategoriesUpdateInput.extend(ifMatchInput.shape))
    .mutation(({ ctx, input: { ifMatch, ...input } }) => updateConnectorCategories(ctx, input, ifMatch)),
};

/** What connectors can be made of and labelled with: the same lists as REST's. */
export const catalogRouter = router({
  categories: protectedProcedure.query(() => listCategories()),
  protocols: protectedProcedure
    .input(pageQuery.optional())
    .query(({ ctx, input }) => listProtocols(ctx, input ?? { first: 20 })),
  authSchemes: protectedProcedure
    .input(pageQuery.and(z.object({ protocolSlug: z.string().max(64) })))
    .query(({ ctx, input }) => listAuthSchemes(ctx, input)),
  /** GetProtocolUploadURL: where to PUT a document to import, and the URL to import it from. */
  uploadUrl: protectedProcedure.input(uploadUrlInput).query(({ ctx, input }) => getProtocolUploadUrl(ctx, input)),
});
