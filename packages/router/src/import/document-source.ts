/** A document to import, as read from where the caller pointed. */
export interface ImportDocument {
  /** The document's text (JSON or YAML). */
  text: string;
  /** The media type it was served or uploaded with, when known. */
  contentType: string | null;
}

/**
 * Reads the document an import names by URL: this deployment's own upload URLs (see
 * GetProtocolUploadURL) and public https URLs. It refuses with an ApiError (400 naming the field
 * `schemaURL`, or 502/503 when the remote host fails) and never reaches a private address.
 */
export interface ImportDocumentSource {
  read(url: string, signal?: AbortSignal): Promise<ImportDocument>;
}
