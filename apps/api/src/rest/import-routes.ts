import {
  importConnectorInput,
  importConnectorMetadata,
  importHttpConnectorResult,
  importVersionBody,
  importVersionMetadata,
} from '@connect/contracts';
import { ApiError, invalidArgument } from '@connect/router';
import { importHttpConnector, importHttpConnectorVersion, type DocumentField } from '@connect/router/operations';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../hono-env.js';
import { created, type routeRegistrar } from './documented-route.js';
import { connectorIdOf, jsonBody, replayable } from './request.js';

/** The document of a multipart import as the operations take it inline, with its metadata. */
async function multipartImport<S extends z.ZodType<object>>(
  c: Context<AppEnv>,
  metadataSchema: S,
): Promise<z.infer<S> & { document: string; filetype?: 'json' | 'yaml' | undefined }> {
  let form: Record<string, string | File>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new ApiError('invalid_argument', 'the request body is not valid multipart/form-data');
  }
  const { file, metadata } = form;
  if (file === undefined) throw invalidArgument('file', 'is required: the document to import');
  if (metadata === undefined) throw invalidArgument('metadata', 'is required: a JSON object with format "openapi"');
  const metadataText = typeof metadata === 'string' ? metadata : await metadata.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadataText);
  } catch {
    throw invalidArgument('metadata', 'must be a JSON object');
  }
  // Parsed under `metadata`, so a refused field is named `metadata.format`.
  const { metadata: fields } = z.object({ metadata: metadataSchema }).parse({ metadata: parsed }) as {
    metadata: z.infer<S>;
  };
  const document = typeof file === 'string' ? file : await file.text();
  // The part's media type or file name says JSON or YAML; else the text does.
  const hint = typeof file === 'string' ? '' : `${file.type} ${file.name}`;
  const filetype = /json\b/i.test(hint) ? 'json' : /ya?ml\b/i.test(hint) ? 'yaml' : undefined;
  if (document.length === 0) throw invalidArgument('file', 'is empty');
  return { ...fields, document, filetype };
}

const isMultipart = (c: Context<AppEnv>) => /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');

/**
 * ImportHTTPConnector and ImportHTTPConnectorVersion. Each takes the document as a multipart upload
 * (`file`, and `metadata` as JSON) or a JSON body naming its `schemaURL` (or holding its text as
 * `document`). A document that cannot be imported is a 400 whose fields and messages name JSON
 * Pointers into it.
 */
export function importRoutes(route: ReturnType<typeof routeRegistrar>): void {
  route('/o/:organisation_id/protocols/http/import', {
    POST: {
      doc: {
        operationId: 'ImportHTTPConnector',
        summary: 'Create a connector and its first draft version from an OpenAPI document',
        tag: 'connectors',
        body: importConnectorInput,
        multipart: importConnectorMetadata,
        response: created(importHttpConnectorResult),
      },
      handle: async (c) => {
        const multipart = isMultipart(c);
        const input = multipart
          ? await multipartImport(c, importConnectorMetadata)
          : await jsonBody(c, importConnectorInput);
        const field: DocumentField = multipart ? 'file' : 'document';
        return c.json(
          await replayable(c, 'ImportHTTPConnector', input, (op) => importHttpConnector(op, input, field)),
          201,
        );
      },
    },
  });

  route('/o/:organisation_id/connector/:connector_id/http/import', {
    POST: {
      doc: {
        operationId: 'ImportHTTPConnectorVersion',
        summary: 'Create a draft version of a connector from an OpenAPI document',
        tag: 'connector-version',
        body: importVersionBody,
        multipart: importVersionMetadata,
        response: created(importHttpConnectorResult),
      },
      handle: async (c) => {
        const connectorId = connectorIdOf(c);
        const multipart = isMultipart(c);
        const body = multipart ? await multipartImport(c, importVersionMetadata) : await jsonBody(c, importVersionBody);
        const input = { connectorId, ...body };
        const field: DocumentField = multipart ? 'file' : 'document';
        return c.json(
          await replayable(c, 'ImportHTTPConnectorVersion', input, (op) =>
            importHttpConnectorVersion(op, input, field),
          ),
          201,
        );
      },
    },
  });
}
