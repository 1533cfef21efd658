import { limitTable, type ActionCreate } from '@connect/contracts';
import { isObject, pointer, resolveLocal, storable, type Json } from './json.js';
import type { UnmappedList } from './result.js';

export type Parameter = ActionCreate['parameters'][number];
type Scalar = Parameter['type'];

const scalars = new Set<string>(['string', 'number', 'integer', 'boolean']);
const places = new Set<string>(['path', 'query', 'header', 'cookie']);
// OpenAPI says these header parameters are ignored: the body and auth scheme decide them.
const ignoredHeaders = new Set(['accept', 'content-type', 'authorization']);

/** A local `$ref` followed to what it names (chains too, cycles stopped), with where that is. */
export function follow(document: Json, value: unknown, at: string): { value: unknown; at: string } {
  const seen = new Set<string>();
  let current = { value, at };
  while (isObject(current.value) && typeof current.value.$ref === 'string' && !seen.has(current.value.$ref)) {
    const ref = current.value.$ref;
    seen.add(ref);
    current = { value: resolveLocal(document, ref), at: ref.slice(1) };
  }
  return current;
}

/** The one scalar type a parameter's schema has, or what it is instead (for the report). */
function typeOf(document: Json, schema: unknown): string {
  const resolved = follow(document, schema, '').value;
  if (!isObject(resolved)) return 'untyped';
  const type = resolved.type;
  const types = Array.isArray(type) ? type.filter((t) => t !== 'null') : [type];
  if (types.length === 1 && typeof types[0] === 'string') {
    return types[0];
  }
  if (type === undefined && Array.isArray(resolved.enum) && resolved.enum.every((v) => typeof v === 'string'))
    return 'string';
  return types.length > 1 ? 'multi-typed' : 'untyped';
}

/**
 * An operation's parameters: the path item's, overridden by the operation's of the same name and
 * place. A parameter whose schema is no single scalar (an array, an object, a composition) is kept
 * as a string — the caller sends it serialized — and reported, as its schema and style are lost.
 */
export function mapParameters(
  document: Json,
  lists: { value: unknown; at: string }[],
  unmapped: UnmappedList,
  allowPath: boolean,
): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const list of lists) {
    if (list.value === undefined) continue;
    if (!Array.isArray(list.value)) {
      unmapped.add(list.at, 'is not an array of parameters');
      continue;
    }
    (list.value as unknown[]).forEach((raw, index) => {
      const { value, at } = follow(document, raw, list.at + pointer(index));
      const mapped = isObject(value) ? mapParameter(document, value, at, unmapped, allowPath) : undefined;
      if (!isObject(value)) unmapped.add(at, 'is not a parameter object');
      if (mapped !== undefined) byKey.set(`${mapped.in}:${mapped.name}`, mapped);
    });
  }
  const parameters = [...byKey.values()];
  const max = limitTable.parametersPerOperation.default;
  if (parameters.length > max) {
    unmapped.add(
      lists.at(-1)?.at ?? '',
      `has ${String(parameters.length)} parameters; the first ${String(max)} are kept`,
    );
  }
  return parameters.slice(0, max);
}

function mapParameter(
  document: Json,
  parameter: Json,
  at: string,
  unmapped: UnmappedList,
  allowPath: boolean,
): Parameter | undefined {
  const { name, in: place } = parameter;
  if (typeof name !== 'string' || name === '' || typeof place !== 'string' || !places.has(place)) {
    unmapped.add(at, 'needs a name and an in of path, query, header or cookie');
    return undefined;
  }
  if (place === 'path' && !allowPath) {
    unmapped.add(at, 'a trigger has no path, so no path parameters');
    return undefined;
  }
  if (place === 'header' && ignoredHeaders.has(name.toLowerCase())) {
    unmapped.add(at, `a ${name} header parameter is ignored, as OpenAPI says`);
    return undefined;
  }
  const cleanName = storable(name, 256);
  if (cleanName.changed)
    unmapped.add(`${at}/name`, 'cut or cleaned to the 256 storable characters a parameter name may hold');
  let type = typeOf(document, parameter.schema);
  if (!scalars.has(type)) {
    const what = parameter.schema === undefined ? 'has no schema (content-typed parameter)' : `is ${type}`;
    unmapped.add(at, `${what}: kept as a string parameter, its schema and serialization are not expressible`);
    type = 'string';
  }
  const mapped: Parameter = {
    name: cleanName.text,
    in: place as Parameter['in'],
    required: place === 'path' || parameter.required === true,
    type: type as Scalar,
    default: undefined,
  };
  const schema = follow(document, parameter.schema, '').value;
  const fallback = isObject(schema) ? schema.default : undefined;
  if (typeof fallback === 'number' || typeof fallback === 'boolean') mapped.default = fallback;
  else if (typeof fallback === 'string' && fallback.length <= 4096) mapped.default = storable(fallback).text;
  else if (fallback !== undefined && fallback !== null) {
    unmapped.add(`${at}/schema/default`, 'is no string, number or boolean (of at most 4,096 characters): left out');
  }
  return mapped;
}
