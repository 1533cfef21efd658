import { z } from 'zod';

/**
 * The media types an import takes, as an upload URL names them (`content_type`): JSON and YAML,
 * exactly as written here (no parameters). The PUT must send the same `Content-Type`.
 */
export const importMediaTypes = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/vnd.oai.openapi',
  'application/vnd.oai.openapi+json',
] as const;
export type ImportMediaType = (typeof importMediaTypes)[number];

/**
 * GetProtocolUploadURL's query. The length is checked against the deployment's
 * `importDocumentBytes` by the operation (a limit a deployment may change cannot be in the schema).
 */
export const uploadUrlQuery = z.object({
  content_type: z.enum(importMediaTypes, { error: `must be one of ${importMediaTypes.join(', ')}` }),
  content_length: z
    .string({ error: 'is required: the exact size in bytes of the document to upload' })
    .regex(/^[1-9][0-9]{0,15}$/, 'must be a whole number of bytes, at least 1'),
});
export type UploadUrlQuery = z.infer<typeof uploadUrlQuery>;

/** The same request as the typed client sends it (`catalog.uploadUrl`). */
export const uploadUrlInput = z.object({
  protocolSlug: z.string().max(64),
  contentType: z.enum(importMediaTypes, { error: `must be one of ${importMediaTypes.join(', ')}` }),
  contentLength: z
    .number()
    .int('must be a whole number of bytes')
    .min(1, 'must be at least 1 byte')
    .max(Number.MAX_SAFE_INTEGER),
});
export type UploadUrlInput = z.infer<typeof uploadUrlInput>;

/** The reference's `SignedURL`: where to PUT the document, and the URL an import then names as `schemaURL`. */
export const signedUrl = z.object({
  uploadUrl: z.url(),
  url: z.url(),
});
export type SignedUrl = z.infer<typeof signedUrl>;

/**
 * The query of an `uploadUrl`, as GetProtocolUploadURL writes it: what the upload may be and the
 * signature over it. Documented for the OpenAPI document; the Worker checks the signature, not this shape.
 */
export const uploadPutQuery = z.object({
  organisation_id: z.string(),
  content_type: z.enum(importMediaTypes),
  content_length: z.string(),
  expires: z.string().describe('Unix time in seconds: five minutes after the URL was issued'),
  signature: z.string().describe('`<key id>.<HMAC-SHA-256, base64url>` over the other parameters and the id'),
});
