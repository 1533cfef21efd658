import { type ImportDocumentSource, invalidArgument, uploadIdOfUrl } from '@connect/router';
import { readPublicDocument } from './public-document.js';
import { readUpload } from './upload-store.js';

/** Who is importing, as the Worker knows it for the request. */
export interface ImportCaller {
  organisationId: string;
  /** Where the request reached the REST API: this deployment's upload URLs start here. */
  restBase: string;
  /** The deployment's `importDocumentBytes`. */
  maxBytes: number;
}

/** A public host gets this long for the whole document (all redirects included). */
export const publicFetchDeadlineMs = 5_000;

/**
 * The Worker's source of documents imported by URL: this deployment's own upload URLs are read
 * from the UPLOADS bucket (the caller's organisation's uploads only), any other URL is fetched
 * from a public https host (public-document.ts). `fetcher` is the Worker's fetch; tests pass theirs.
 */
export function importDocuments(
  env: Env,
  caller: ImportCaller,
  fetcher: (input: string, init: RequestInit) => Promise<Response> = (input, init) => fetch(input, init),
): ImportDocumentSource {
  return {
    read: async (url, signal) => {
      const uploadId = uploadIdOfUrl(caller.restBase, url);
      if (uploadId === null) throw invalidArgument('schemaURL', 'is not an upload URL of this API');
      if (uploadId !== undefined) {
        const document = await readUpload(env.UPLOADS, uploadId, caller.organisationId);
        if (!document) {
          throw invalidArgument('schemaURL', 'names no uploaded document (never uploaded, expired, or not yours)');
        }
        return document;
      }
      return readPublicDocument(url, {
        fetch: fetcher,
        maxBytes: caller.maxBytes,
        deadlineMs: publicFetchDeadlineMs,
        signal,
      });
    },
  };
}
