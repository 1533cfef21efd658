import type { SnapshotDefinition, SnapshotOperation, SnapshotParameter, VersionSnapshot } from '@connect/contracts';

// An OpenAPI 3.0 document read as the version an import of it makes: each operation an action named by
// its operationId, each component schema a definition, each inline body or response schema a
// definition named after where it is (`{operationId}.request`, `{operationId}.response.{status}`).
// Schemas are turned into JSON Schema as an import does (`nullable` → a `null` type), and `$ref`s
// between component schemas are kept, so the version diff follows them.

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const componentName = (ref: string, section: string) =>
  ref.startsWith(`#/components/${section}/`) ? ref.slice(`#/components/${section}/`.length) : undefined;

/** OpenAPI 3.0's schema dialect as JSON Schema: `nullable: true` becomes a `null` type. */
export function jsonSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    // Property names are data, not keywords: recurse into their schemas only.
    out[key] =
      key === 'properties' && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, jsonSchemaOf(s)]))
        : jsonSchemaOf(value);
  }
  if (schema.nullable === true && typeof schema.type === 'string') out.type = [schema.type, 'null'];
  return out;
}

/** The component schemas a schema `$ref`s directly. */
function refsOf(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, into);
  else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      const name = key === '$ref' && typeof value === 'string' ? componentName(value, 'schemas') : undefined;
      if (name !== undefined) into.add(name);
      else refsOf(value, into);
    }
  }
  return into;
}

export function snapshotOfOpenApi(name: string, document: Json): VersionSnapshot {
  const components = isObject(document.components) ? document.components : {};
  const section = (key: string): Json => (isObject(components[key]) ? components[key] : {});
  const resolve = (value: unknown, key: string): Json => {
    if (!isObject(value)) return {};
    const ref = typeof value.$ref === 'string' ? componentName(value.$ref, key) : undefined;
    return ref === undefined ? value : resolve(section(key)[ref], key);
  };

  const definitions = new Map<string, SnapshotDefinition>();
  const define = (defName: string, schema: unknown, mediaType: string) => {
    const known = definitions.get(defName);
    if (known) {
      if (!known.accept.includes(mediaType)) known.accept = [...known.accept, mediaType].sort();
      return;
    }
    definitions.set(defName, {
      id: defName,
      name: defName,
      description: isObject(schema) && typeof schema.description === 'string' ? schema.description : '',
      accept: [mediaType],
      contentType: 'application/schema+json',
      content: JSON.stringify(jsonSchemaOf(schema)),
      refs: [...refsOf(schema)].sort(),
    });
  };
  for (const [schemaName, schema] of Object.entries(section('schemas'))) define(schemaName, schema, 'application/json');

  /** The definitions a body's `content` links, inline schemas named `inlineName`. */
  const linked = (body: Json, inlineName: string): string[] => {
    const names = new Set<string>();
    const content = isObject(body.content) ? body.content : {};
    for (const [mediaType, media] of Object.entries(content)) {
      if (!isObject(media) || !isObject(media.schema)) continue;
      const ref = typeof media.schema.$ref === 'string' ? componentName(media.schema.$ref, 'schemas') : undefined;
      const defName = ref ?? inlineName;
      define(defName, ref === undefined ? media.schema : section('schemas')[ref], mediaType);
      names.add(defName);
    }
    return [...names].sort();
  };

  const actions: SnapshotOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opName = typeof op.operationId === 'string' ? op.operationId : `${method} ${path}`;
      const parameters = new Map<string, SnapshotParameter>();
      for (const raw of [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ]) {
        const p = resolve(raw, 'parameters');
        if (typeof p.name !== 'string' || typeof p.in !== 'string') continue;
        const schema = isObject(p.schema) ? p.schema : {};
        parameters.set(`${p.in} ${p.name}`, {
          name: p.name,
          in: p.in,
          required: p.required === true,
          type: typeof schema.type === 'string' ? schema.type : 'string',
        });
      }
      const body = op.requestBody === undefined ? undefined : resolve(op.requestBody, 'requestBodies');
      const responses = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, response]) => ({
        status: status === 'default' ? null : Number(status),
        definitions: linked(resolve(response, 'responses'), `${opName}.response.${status}`),
      }));
      actions.push({
        name: opName,
        summary: typeof op.summary === 'string' ? op.summary : '',
        description: typeof op.description === 'string' ? op.description : '',
        method: method.toUpperCase(),
        path,
        parameters: [...parameters.values()],
        ...(body
          ? { requestBody: { required: body.required === true, definitions: linked(body, `${opName}.request`) } }
          : {}),
        responses,
      });
    }
  }
  return { name, actions, triggers: [], definitions: [...definitions.values()] };
}
