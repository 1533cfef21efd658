// The API's procedures and the rules around them, apart from any runtime: the Worker serves them
// over REST and tRPC, and the typed client takes its types from here.
export { ApiError, describeFailure, invalidArgument, limitExceeded, notFound, toApiError } from './api-error.js';
export { ApiKeyCache, apiKeyCache } from './api-key-cache.js';
export type { Caller } from './caller.js';
export type { IdempotencyRequest, OperationContext } from './context.js';
export type { ExportCache } from './export-cache.js';
export type { ImportDocument, ImportDocumentSource } from './import/document-source.js';
export { checkIdempotencyKey, idempotencyKeyHeader, keyed } from './keyed.js';
export { type AppRouter, appRouter } from './router.js';
export { type ApiErrorData, type TrpcContext, operationOf, toTrpcError, trpcContext } from './trpc.js';
export {
  grantOfUploadUrl,
  newUploadId,
  signedUploadUrl,
  type UploadGrant,
  uploadIdOfUrl,
  uploadObjectUrl,
  uploadsPath,
  uploadUrlLifetimeSeconds,
} from './uploads/upload-grant.js';
