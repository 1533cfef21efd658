import type { JsonObject } from './input.js';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolves(document: JsonObject, ref: string): boolean {
  if (ref === '#') return true;
  if (!ref.startsWith('#/')) return false;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = (node as unknown[])[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return false;
  }
  return node !== undefined;
}

/**
 * The document with every `$ref` that points at nothing in it written `x-connect-unresolved-ref`,
 * wherever it is: readers of OpenAPI documents (validators, code generators) resolve every `$ref`
 * key, even one inside an example, and refuse the whole document for one they cannot. Schemas'
 * links are handled where they are written; this catches data, such as an example that holds a
 * `$ref` to an `examples` component the version has no place for.
 */
export function withoutDanglingRefs(document: JsonObject): number {
  let count = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node as unknown[]) visit(item);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string' && !resolves(document, node.$ref)) {
        node['x-connect-unresolved-ref'] = node.$ref;
        Reflect.deleteProperty(node, '$ref');
        count += 1;
      }
      for (const value of Object.values(node)) visit(value);
    }
  };
  visit(document);
  return count;
}
