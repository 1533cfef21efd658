import type { Dialect } from './document.js';
import { isObject, pointer, unescapeSegment, type Json } from './json.js';
import type { UnmappedList } from './result.js';

const componentPrefix = '#/components/schemas/';

// Keywords whose values are schemas, by how they hold them; every other keyword's value is data
// (property names, enum values, examples) and is copied as it is.
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

/** How schemas are written as definitions' JSON Schema. */
export interface SchemaContext {
  dialect: Dialect;
  /** The definition a component schema became, or undefined when it has none. */
  definitionOf: (component: string) => string | undefined;
  unmapped: UnmappedList;
}

/**
 * A `$ref` as a definition link: `#/components/schemas/X[/rest]` → `#/$defs/{X's definition}[/rest]`.
 * Undefined for a target that is no definition.
 */
function linkOf(ref: string, context: SchemaContext): string | undefined {
  if (!ref.startsWith(componentPrefix)) return undefined;
  const [first = '', ...rest] = ref.slice(componentPrefix.length).split('/');
  const component = unescapeSegment(first);
  const name = component === undefined ? undefined : context.definitionOf(component);
  return name === undefined ? undefined : ['#/$defs/' + name, ...rest].join('/');
}

/** The component a schema is a bare `$ref` to (what a body links directly), if it is one. */
export function componentOf(schema: unknown): string | undefined {
  if (!isObject(schema) || typeof schema.$ref !== 'string' || !schema.$ref.startsWith(componentPrefix))
    return undefined;
  const segments = schema.$ref.slice(componentPrefix.length).split('/');
  return segments.length === 1 ? unescapeSegment(segments[0] ?? '') : undefined;
}

/** OpenAPI 3.0's `exclusiveMinimum: true` beside `minimum` is JSON Schema's `exclusiveMinimum: n`. */
function exclusiveBounds(out: Json): void {
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      Reflect.deleteProperty(out, bound);
    } else {
      Reflect.deleteProperty(out, flag);
    }
  }
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: a `null` type (and value, for an enum). */
function nullable(out: Json): Json {
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  // No single type to widen (a `$ref` or a composition): either the schema or null.
  return { anyOf: [out, { type: 'null' }] };
}

/** A schema of the document as a definition's JSON Schema, its `$ref`s rewritten as definition links. */
export function toJsonSchema(schema: unknown, at: string, context: SchemaContext): unknown {
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    const here = at + pointer(key);
    if (key === '$ref' && typeof value === 'string') {
      const link = linkOf(value, context);
      if (link === undefined) {
        // Only component schemas become definitions; another target cannot be linked.
        context.unmapped.add(here, `refers to ${value}, which is no definition: written as {} (any value)`);
      } else {
        out.$ref = link;
      }
    } else if (key.startsWith('x-')) {
      // Specification extensions are vendor notes (GitHub's hold JSON Patches with `$ref`s of
      // their own): no validator reads them, and a version's schemas stay plain JSON Schema.
    } else if (key === 'nullable' && context.dialect === '3.0') {
      // Applied below, once the other keywords are in place.
    } else if (schemaMaps.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub, here + pointer(name), context)]),
      );
    } else if ((schemaLists.has(key) || key === 'items') && Array.isArray(value)) {
      out[key] = (value as unknown[]).map((sub, index) => toJsonSchema(sub, here + pointer(index), context));
    } else if (schemaValues.has(key)) {
      out[key] = toJsonSchema(value, here, context);
    } else if (key === 'discriminator' && isObject(value) && isObject(value.mapping)) {
      const mapping = Object.entries(value.mapping).map(([name, ref]): [string, unknown] => [
        name,
        typeof ref === 'string' ? (linkOf(ref, context) ?? ref) : ref,
      ]);
      out[key] = { ...value, mapping: Object.fromEntries(mapping) };
    } else {
      out[key] = value;
    }
  }
  if (context.dialect === '3.1') return out;
  exclusiveBounds(out);
  return schema.nullable === true ? nullable(out) : out;
}
