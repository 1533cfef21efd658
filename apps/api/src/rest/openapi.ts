import {
  action,
  actionCreate,
  actionPage,
  actionUpdate,
  apiKey,
  apiKeyCreate,
  apiKeyCreated,
  apiKeyList,
  connector,
  connectorPage,
  connectorVersion,
  connectorVersionChanged,
  connectorVersionCreate,
  connectorVersionPage,
  connectorVersionUpdate,
  definition,
  definitionPage,
  definitions,
  definitionsCreate,
  definitionsDelete,
  definitionUpdate,
  errorBody,
  httpConnectorCreate,
  httpConnectorUpdate,
  linkedDefinition,
  trigger,
  triggerCreate,
  triggerPage,
  triggerUpdate,
} from '@connect/contracts';
import { z } from 'zod';
import type { DocumentedRoute, OperationDoc } from './documented-route.js';

// The OpenAPI 3.1 document, built from the routes as registered (so it lists exactly what is
// served) and the zod schemas they validate with (so no shape is written a second time).

type JsonSchema = Record<string, unknown>;

/** Request bodies, named as the reference names them; converted as what a client may send. */
const inputs: [z.ZodType, string][] = [
  [httpConnectorCreate, 'HTTPConnectorCreate'],
  [httpConnectorUpdate, 'HTTPConnectorUpdate'],
  [connectorVersionCreate, 'ConnectorVersionCreate'],
  [connectorVersionUpdate, 'ConnectorVersionUpdate'],
  [actionCreate, 'ActionCreate'],
  [actionUpdate, 'ActionUpdate'],
  [triggerCreate, 'TriggerCreate'],
  [triggerUpdate, 'TriggerUpdate'],
  [definitionsCreate, 'DefinitionsCreate'],
  [definitionUpdate, 'DefinitionUpdate'],
  [definitionsDelete, 'DefinitionsDelete'],
  [apiKeyCreate, 'APIKeyCreate'],
];

/** Response bodies; converted as what the API sends. */
const outputs: [z.ZodType, string][] = [
  [connector, 'Connector'],
  [connectorPage, 'ConnectorPage'],
  [connectorVersion, 'ConnectorVersion'],
  [connectorVersionPage, 'ConnectorVersionsPage'],
  [connectorVersionChanged, 'PublishConnectorResponse'],
  [action, 'Action'],
  [actionPage, 'ActionPage'],
  [trigger, 'Trigger'],
  [triggerPage, 'TriggerPage'],
  [definition, 'Definition'],
  [linkedDefinition, 'LinkedDefinition'],
  [definitionPage, 'DefinitionPage'],
  [definitions, 'Definitions'],
  [apiKey, 'APIKey'],
  [apiKeyCreated, 'APIKeyCreated'],
  [apiKeyList, 'APIKeyList'],
  [errorBody, 'Error'],
];

const componentUri = (id: string) => `#/components/schemas/${id}`;

/** Converts a set of named schemas together, so shared ones become `$ref`s to each other. */
function components(named: [z.ZodType, string][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: componentUri,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  for (const schema of Object.values(schemas)) {
    // The registry names each schema by `$id`; in the document the component's key names it.
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

function schemaFor(schema: z.ZodType, named: [z.ZodType, string][], io: 'input' | 'output'): JsonSchema {
  const id = named.find(([s]) => s === schema)?.[1];
  if (id) return { $ref: componentUri(id) };
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/o/:organisation_id/x` → `/o/{organisation_id}/x`, and the names of its parameters. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const errorResponse = {
  description: 'Error: `code` says which (see docs/api.md, Errors), `fields` which input is wrong',
  content: { 'application/json': { schema: { $ref: componentUri('Error') } } },
};

const etagHeader = {
  ETag: { description: 'The strong entity tag of the representation', schema: { type: 'string' } },
};

/** The conditional-request headers and answers of an operation with `etag` (see `OperationDoc`). */
function conditional(etag: OperationDoc['etag']): { parameters: JsonSchema[]; responses: Record<string, JsonSchema> } {
  if (etag === undefined) return { parameters: [], responses: {} };
  if (etag === 'read') {
    return {
      parameters: [
        {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'Entity tags (or `*`): when the representation has one, the answer is 304',
          schema: { type: 'string' },
        },
      ],
      responses: { '304': { description: 'Not Modified: the representation still has that tag', headers: etagHeader } },
    };
  }
  return {
    parameters: [
      {
        name: 'If-Match',
        in: 'header',
        required: false,
        description:
          etag === 'source'
            ? 'Entity tags of which the source version (`fromVersion`) must still have one, else 412'
            : 'Entity tags of which the resource must still have one, else 412 and nothing changes',
        schema: { type: 'string' },
      },
    ],
    responses: { '412': { ...errorResponse, description: 'Precondition Failed: the resource has changed' } },
  };
}

/**
 * Every POST takes an Idempotency-Key: its first answer is kept and replayed to a retry (see
 * docs/api.md, Safe retries).
 */
const idempotency = {
  parameter: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes the request safe to retry: 1–255 printable ASCII characters, unique per request. The first ' +
      'answer (status and body) is kept for 24 hours per organisation, key and operation, and a retry ' +
      'with the same request gets it back with `Idempotent-Replayed: true`; the same key with another ' +
      'request is 422 `idempotency_key_reused`, a retry while the first still runs 409 `idempotency_key_in_use`.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
  replayed: {
    'Idempotent-Replayed': {
      description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    },
  },
  responses: {
    '409': { ...errorResponse, description: 'Conflict (`idempotency_key_in_use` among others)' },
    '422': { ...errorResponse, description: 'Unprocessable Content: `idempotency_key_reused`' },
  },
};

/** The document for `routes`, served under `serverUrl`. */
export function openApiDocument(routes: DocumentedRoute[], serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { method, path, doc } of routes) {
    const { path: openPath, params } = openApiPath(path);
    const conditions = conditional(doc.etag);
    // Reads and changes of a tagged resource answer with its tag (a copy's 201 does not).
    const tagged = doc.etag === 'read' || (doc.etag === 'write' && doc.response.status === 200);
    const keyed = method === 'POST';
    const headers = { ...(tagged ? etagHeader : {}), ...(keyed ? idempotency.replayed : {}) };
    const operation: JsonSchema = {
      operationId: doc.operationId,
      summary: doc.summary,
      tags: [doc.tag],
      ...(doc.public ? { security: [] } : {}),
      parameters: [
        ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(doc.query ? queryParameters(doc.query) : []),
        ...conditions.parameters,
        ...(keyed ? [idempotency.parameter] : []),
      ],
      ...(doc.body
        ? {
            requestBody: {
              required: true,
              content: {
                ...(doc.multipart
                  ? {
                      'multipart/form-data': {
                        schema: {
                          type: 'object',
                          properties: {
                            file: { type: 'string', format: 'binary', description: 'The document to import' },
                            metadata: schemaFor(doc.multipart, inputs, 'input'),
                          },
                          required: ['file', 'metadata'],
                        },
                      },
                    }
                  : {}),
                'application/json': { schema: schemaFor(doc.body, inputs, 'input') },
              },
            },
          }
        : {}),
      responses: {
        [String(doc.response.status)]:
          doc.response.status === 204
            ? { description: 'No Content' }
            : {
                description: doc.response.status === 201 ? 'Created' : 'OK',
                ...(Object.keys(headers).length > 0 ? { headers } : {}),
                content: {
                  [doc.response.mediaType ?? 'application/json']: {
                    schema: schemaFor(doc.response.schema, outputs, 'output'),
                  },
                },
              },
        ...conditions.responses,
        ...(keyed ? idempotency.responses : {}),
        default: errorResponse,
      },
    };
    (paths[openPath] ??= {})[method.toLowerCase()] = operation;
  }
  paths['/openapi.json'] = {
    get: {
      operationId: 'GetOpenAPIDocument',
      summary: 'This document',
      tags: ['meta'],
      security: [],
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Connect API',
      version: '1',
      description: 'Versioned connectors: connectors, versions and their actions, triggers and definitions.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: ['connectors', 'connector-version', 'actions', 'triggers', 'definitions', 'api-keys', 'meta'].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`ck_…`) or an id_token from the identity provider',
        },
      },
      schemas: { ...components(inputs, 'input'), ...components(outputs, 'output') },
    },
  };
}
