import { type ImportDocumentSource, invalidArgument } from '@connect/router';

/**
 * The Worker's source of documents imported by URL. Until upload URLs and the public-URL fetcher
 * land, every URL is refused with a 400 naming `schemaURL`; a document can still be sent inline.
 */
export function importDocuments(): ImportDocumentSource {
  return {
    read: () =>
      Promise.reject(invalidArgument('schemaURL', 'importing from a URL is not available in this deployment')),
  };
}
