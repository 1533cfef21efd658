import type { DefinitionCreate } from '@connect/contracts';
import type { JsonObject, Unexported } from './input.js';

const linkPrefix = '#/$defs/';
const componentPrefix = '#/components/schemas/';
const jsonSchemaTypes = new Set(['application/schema+json', 'application/json']);

// The keywords whose values are schemas, as `importOpenApi` walks them: a `$ref` anywhere else
// (an example, an enum value) is data and is left as it is, on the way out as on the way in.
const schemaMaps = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const schemaValues = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'contains',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 6901: the value at `path` (segments after `#/`) inside `root`, or undefined. */
function resolvePointer(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = /^\d+$/.test(segment) ? (node as unknown[])[Number(segment)] : undefined;
    else if (isObject(node)) node = Object.hasOwn(node, segment) ? node[segment] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** The parsed JSON Schemas of the definitions that hold one, by name. */
export type ParsedSchemas = Map<string, unknown>;

/** A definition's JSON Schema, parsed, or undefined when it holds another kind of schema or no JSON. */
export function parsedSchema(definition: DefinitionCreate): unknown {
  if (!jsonSchemaTypes.has(definition.schema.contentType.split(';')[0]?.trim() ?? '')) return undefined;
  try {
    return JSON.parse(definition.schema.content) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A link `#/$defs/{name}[/rest]` as the component it names, `#/components/schemas/{name}[/rest]`;
 * undefined when there is no such definition (a link cut by a forced delete) or `rest` points at
 * nothing in it, since a `$ref` to nothing makes the document unreadable.
 */
function componentRef(ref: string, schemas: ParsedSchemas): string | undefined {
  if (!ref.startsWith(linkPrefix)) return undefined;
  const [name = '', ...rest] = ref.slice(linkPrefix.length).split('/');
  if (!schemas.has(name)) return undefined;
  if (rest.length > 0 && resolvePointer(schemas.get(name), rest) === undefined) return undefined;
  return componentPrefix + ref.slice(linkPrefix.length);
}

/** A JSON Schema with its definition links written as component `$ref`s (see `componentRef`). */
export function withComponentRefs(schema: unknown, schemas: ParsedSchemas, cut: (ref: string) => void): unknown {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      const ref = componentRef(value, schemas);
      if (ref === undefined) {
        // Kept where a reader can see it, as an extension: a `$ref` to nothing would refuse the document.
        out['x-connect-unresolved-ref'] = value;
        cut(value);
      } else out.$ref = ref;
    } else if (schemaMaps.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, withComponentRefs(sub, schemas, cut)]),
      );
    } else if ((schemaLists.has(key) || key === 'items') && Array.isArray(value)) {
      out[key] = (value as unknown[]).map((sub) => withComponentRefs(sub, schemas, cut));
    } else if (schemaValues.has(key)) {
      out[key] = withComponentRefs(value, schemas, cut);
    } else if (key === 'discriminator' && isObject(value) && isObject(value.mapping)) {
      const mapping = Object.entries(value.mapping).map(([name, ref]): [string, unknown] => [
        name,
        typeof ref === 'string' ? (componentRef(ref, schemas) ?? ref) : ref,
      ]);
      out[key] = { ...value, mapping: Object.fromEntries(mapping) };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * `components.schemas`: each definition's JSON Schema under its name, links as component `$ref`s.
 * What a schema object has no keyword for travels as extensions (which `importOpenApi` drops):
 * `x-connect-accept`, `x-connect-description` when it is not the schema's own `description`, and
 * `x-connect-schema` for a schema that is no JSON Schema (XML Schema, text that is no JSON).
 */
export function componentSchemas(
  definitions: DefinitionCreate[],
  unexported: Unexported[],
): { schemas: JsonObject; parsed: ParsedSchemas } {
  // Every definition is a component, those without a JSON Schema as an object of extensions.
  const own = new Map<string, unknown>();
  const parsed: ParsedSchemas = new Map();
  for (const definition of definitions) {
    const schema = parsedSchema(definition);
    const usable = isObject(schema) || typeof schema === 'boolean' ? schema : undefined;
    own.set(definition.name, usable);
    parsed.set(definition.name, usable ?? {});
  }
  const schemas: JsonObject = {};
  for (const definition of definitions) {
    const schema = own.get(definition.name);
    const cut = (ref: string) =>
      unexported.push({
        kind: 'link',
        name: definition.name,
        reason: `links ${ref}, which is no definition of this version: kept as x-connect-unresolved-ref`,
      });
    const extras: JsonObject = { 'x-connect-accept': definition.accept };
    if (schema === undefined) extras['x-connect-schema'] = definition.schema;
    const described = isObject(schema) && typeof schema.description === 'string' ? schema.description : undefined;
    if ((definition.description ?? '') !== '' && definition.description !== described)
      extras['x-connect-description'] = definition.description;
    if (typeof schema === 'boolean') {
      // `true`/`false` are whole schemas with no room for extensions; the accept list is the default.
      schemas[definition.name] = schema;
      continue;
    }
    schemas[definition.name] = { ...(withComponentRefs(schema ?? {}, parsed, cut) as JsonObject), ...extras };
  }
  return { schemas, parsed };
}
