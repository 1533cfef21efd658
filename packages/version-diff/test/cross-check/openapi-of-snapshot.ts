import type { SnapshotOperation, VersionSnapshot } from '@connect/contracts';

// A version written as the OpenAPI 3.0 document an export of it would be, so that an OpenAPI diff tool
// can judge the same pair of versions the version diff judges. Only what both tools compare is written:
// actions as operations, their parameters, bodies and responses, definitions as component schemas.

type Json = Record<string, unknown>;

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON Schema type an OpenAPI 3.0 parameter can carry. */
const parameterSchema = (type: string) => ({
  type: ['string', 'integer', 'number', 'boolean', 'array'].includes(type) ? type : 'string',
});

function content(definitions: string[], accept: ReadonlyMap<string, string[]>): Json {
  const out: Json = {};
  for (const name of definitions) {
    for (const type of accept.get(name) ?? ['application/json']) out[type] = { schema: schemaRef(name) };
  }
  return out;
}

function operation(action: SnapshotOperation, accept: ReadonlyMap<string, string[]>): Json {
  const responses: Json = {};
  for (const response of action.responses) {
    const body = content(response.definitions, accept);
    responses[response.status === null ? 'default' : String(response.status)] = {
      description: '',
      ...(Object.keys(body).length > 0 ? { content: body } : {}),
    };
  }
  return {
    operationId: action.name,
    parameters: action.parameters.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.in === 'path' ? true : p.required,
      schema: parameterSchema(p.type),
    })),
    ...(action.requestBody
      ? {
          requestBody: {
            required: action.requestBody.required,
            content: content(action.requestBody.definitions, accept),
          },
        }
      : {}),
    responses,
  };
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON Schema in OpenAPI 3.0's dialect: a type that allows `null` beside one other is written `nullable`. */
function openApiSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiSchemaOf);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === 'properties' && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, openApiSchemaOf(s)]))
        : openApiSchemaOf(value);
  }
  const types = Array.isArray(schema.type) ? schema.type : undefined;
  if (types?.length === 2 && types.includes('null')) {
    out.type = types.find((t) => t !== 'null');
    out.nullable = true;
  }
  return out;
}

/** The OpenAPI 3.0 document of a version's actions and definitions. */
export function openApiOfSnapshot(version: VersionSnapshot): Json {
  const accept = new Map(version.definitions.map((d) => [d.name, d.accept]));
  const paths: Record<string, Json> = {};
  for (const action of version.actions) {
    const path = action.path ?? `/${action.name}`;
    paths[path] = { ...paths[path], [action.method.toLowerCase()]: operation(action, accept) };
  }
  const schemas: Json = {};
  for (const definition of version.definitions) {
    schemas[definition.name] = definition.content === null ? {} : openApiSchemaOf(JSON.parse(definition.content));
  }
  return { openapi: '3.0.3', info: { title: version.name, version: version.name }, paths, components: { schemas } };
}
