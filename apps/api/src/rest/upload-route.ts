import { uploadPutQuery } from '@connect/contracts';
import { ApiError, grantOfUploadUrl, invalidArgument } from '@connect/router';
import type { Context } from 'hono';
import type { AppEnv } from '../hono-env.js';
import { storeUpload, uploadExists } from '../import/upload-store.js';
import { deploymentKeyring } from '../keyring.js';
import { requestLimits } from '../rate-limit.js';
import { noContent, type OperationDoc } from './documented-route.js';

/** The upload itself as the OpenAPI document shows it: public (`security: []`), authorised by its signature. */
export const uploadDocumentDoc: OperationDoc = {
  operationId: 'UploadImportDocument',
  summary:
    'PUT the document to the uploadUrl of GetProtocolUploadURL: its signature authorises it (public; once, within five minutes, with the signed Content-Type and Content-Length; docs/import.md)',
  tag: 'protocols',
  query: uploadPutQuery,
  response: noContent,
  public: true,
};

/**
 * PUT /uploads/{id}?…&signature=…: stores one document to import. No credential of ours comes
 * with it (any HTTP client can send the file), so like the OAuth 2.0 redirect it is rate-limited
 * by client address, and the signed query is what allows it. Needs no database.
 */
export async function uploadDocument(c: Context<AppEnv>): Promise<Response> {
  await requestLimits(c.env, (name) => c.req.header(name)).admit(null);
  const keyring = deploymentKeyring(c.env);
  if (!keyring) throw new ApiError('internal', 'the service is misconfigured (its credential key); see its log');
  const grant = await grantOfUploadUrl(await keyring(), c.req.param('upload_id') ?? '', c.req.query());
  if (!grant) throw new ApiError('permission_denied', 'the upload URL is not valid (its signature does not hold)');
  if (grant.expires * 1000 <= Date.now()) {
    throw new ApiError('permission_denied', 'the upload URL has expired; ask GetProtocolUploadURL for another');
  }
  const contentType = (c.req.header('content-type') ?? '').trim().toLowerCase();
  if (contentType !== grant.contentType) {
    throw invalidArgument('Content-Type', `must be ${grant.contentType}, the type the upload URL was signed for`);
  }
  const length = String(grant.contentLength);
  const body: ReadableStream<Uint8Array> | null = c.req.raw.body;
  if (c.req.header('content-length') !== length || body === null) {
    throw invalidArgument('Content-Length', `must be ${length}, the length the upload URL was signed for`);
  }
  const used = () => new ApiError('already_exists', 'the upload URL was used already; ask for another');
  // A cheap refusal of a second use before its body is read; the conditional write decides races.
  if (await uploadExists(c.env.UPLOADS, grant.id)) throw used();
  const outcome = await storeUpload(c.env.UPLOADS, grant, body);
  if (outcome === 'used') throw used();
  if (outcome === 'wrong_length') {
    throw invalidArgument('Content-Length', `the body was not ${length} bytes long; nothing was kept`);
  }
  return c.body(null, 204);
}
