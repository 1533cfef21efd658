import { z } from 'zod';
import { httpConnectorCreate, connector } from './connector.js';
import { definition } from './definition.js';
import { validationMessage } from './errors.js';
import { action, trigger } from './http-operation.js';
import { limitTable } from './limits.js';
import { ulid, versionName } from './names.js';

// ImportHTTPConnector and ImportHTTPConnectorVersion (docs/import.md): a connector, or a version of
// one, made from an API description. The document comes as a multipart upload (`file`, with a
// JSON `metadata` part), by URL (`schemaURL`, a JSON body), or inline (`document`, tRPC).

/** What the document is written in: OpenAPI (Swagger 2.0, OpenAPI 3.0 and 3.1). */
export const importFormat = z.literal('openapi', { error: 'must be "openapi"' });

/** How the document's text is written; told from its media type or its text when left out. */
export const importFiletype = z.enum(['json', 'yaml'], { error: 'must be "json" or "yaml"' });

/**
 * What a connector import may set beside the document: its name (else the document's
 * `info.title`), the first version's name (else `info.version`) and the base URL (else
 * `servers[0].url`).
 */
const connectorOverrides = {
  name: httpConnectorCreate.shape.name.optional(),
  version: versionName.optional(),
  baseUrl: httpConnectorCreate.shape.baseUrl.optional(),
};

/** The `metadata` part of ImportHTTPConnector's multipart body. */
export const importConnectorMetadata = z.object({ format: importFormat, ...connectorOverrides });
export type ImportConnectorMetadata = z.infer<typeof importConnectorMetadata>;

/** The `metadata` part of ImportHTTPConnectorVersion's multipart body. */
export const importVersionMetadata = z.object({ format: importFormat, version: versionName });
export type ImportVersionMetadata = z.infer<typeof importVersionMetadata>;

/** A URL to read the document from (this deployment's upload URLs, or public https). */
const schemaURL = z
  .string()
  .min(1, 'must not be empty')
  .max(limitTable.urlLength.default, `must be at most ${String(limitTable.urlLength.default)} characters`);

/** The document as text in the request, or where to read it (`schemaURL`, as the reference has it). */
const documentSource = {
  /** The document's text, JSON or YAML (the request's size limit bounds it). */
  document: z.string().min(1, 'must not be empty').optional(),
  schemaURL: schemaURL.optional(),
  filetype: importFiletype.optional(),
};

const oneSource = (value: { document?: string | undefined; schemaURL?: string | undefined }, ctx: z.RefinementCtx) => {
  if ((value.document === undefined) === (value.schemaURL === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['document'], message: 'give either document (its text) or schemaURL' });
  }
};

/**
 * ImportHTTPConnector's JSON body (the reference's HTTPConnectorFromURLCreate, and `document` for
 * the text itself) and its tRPC input.
 */
export const importConnectorInput = z
  .object({ format: importFormat, ...documentSource, ...connectorOverrides })
  .superRefine(oneSource);
export type ImportConnectorInput = z.infer<typeof importConnectorInput>;

const versionImportFields = { format: importFormat, version: versionName, ...documentSource };

/**
 * ImportHTTPConnectorVersion's JSON body (the reference's HTTPConnectorVersionFromURLCreate, and
 * `document` for the text itself).
 */
export const importVersionBody = z.object(versionImportFields).superRefine(oneSource);
export type ImportVersionBody = z.infer<typeof importVersionBody>;

/** ImportHTTPConnectorVersion as a tRPC procedure takes it. */
export const importVersionInput = z.object({ connectorId: ulid, ...versionImportFields }).superRefine(oneSource);
export type ImportVersionInput = z.infer<typeof importVersionInput>;

/**
 * What an import made (the reference's ImportHTTPConnectorResult): the connector, the new version's
 * definitions, actions and triggers, and a message for everything of the document that has no
 * place in a version. The lists are bounded in bytes: a message says when one holds fewer than
 * the version has (its list route pages them all).
 */
export const importHttpConnectorResult = z.object({
  connector,
  definitions: z.array(definition),
  actions: z.array(action),
  triggers: z.array(trigger),
  messages: z.array(validationMessage),
});
export type ImportHttpConnectorResult = z.infer<typeof importHttpConnectorResult>;
