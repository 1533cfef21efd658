import { protocolCatalog, type SignedUrl, type UploadUrlInput } from '@connect/contracts';
import { invalidArgument, notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { newUploadId, signedUploadUrl, uploadUrlLifetimeSeconds } from '../uploads/upload-grant.js';
import { keyringOf } from './connections.js';

/** The protocols whose connectors can be imported from a document: HTTP (OpenAPI) only. */
const importingProtocols: readonly string[] = ['http'];

/**
 * GetProtocolUploadURL: a signed URL to PUT one import document to (five minutes, once), and the
 * URL an import then names as `schemaURL`. Signing only: no database work.
 */
export async function getProtocolUploadUrl(ctx: OperationContext, input: UploadUrlInput): Promise<SignedUrl> {
  const protocol = protocolCatalog.find((p) => p.slug === input.protocolSlug);
  if (!protocol) throw notFound('protocol');
  if (!importingProtocols.includes(protocol.slug)) {
    throw invalidArgument('protocol_slug', `connectors of ${protocol.slug} are not imported from documents`);
  }
  const max = ctx.limits.importDocumentBytes;
  if (input.contentLength > max) {
    const error = invalidArgument('content_length', `is over the limit importDocumentBytes (${String(max)} bytes)`);
    error.limit = { name: 'importDocumentBytes', value: max };
    throw error;
  }
  const keyring = await keyringOf(ctx);
  return signedUploadUrl(keyring, ctx.restBase, {
    id: newUploadId(),
    organisationId: ctx.organisationId,
    contentType: input.contentType,
    contentLength: input.contentLength,
    expires: Math.floor(Date.now() / 1000) + uploadUrlLifetimeSeconds,
  });
}
