import { isObject, pointer, resolveLocal, type Json } from './json.js';
import type { Problem } from './result.js';

/** The OpenAPI dialect a document is written in: 3.0's schemas are not yet JSON Schema. */
export type Dialect = '3.0' | '3.1';

// Keys whose values are example data, not OpenAPI objects: a `$ref` key inside them is content.
const dataKeys = new Set(['example', 'const', 'enum']);

/**
 * How deep a document may nest. The mapping recurses into schemas, and a Worker's stack is small;
 * real documents stay far below (GitHub's nests about 30 deep).
 */
export const maxDepth = 256;

/**
 * Every `$ref` of the document: external ones are refused (a version is self-contained, and the
 * Worker fetches nothing while importing) and local ones must point at something. Iterative, so a
 * deeply nested document cannot exhaust the stack; one nested past `maxDepth` is refused.
 */
export function refProblems(document: Json): Problem[] {
  const problems: Problem[] = [];
  // `data`: inside example data, where a `$ref` key is content; its depth is still bounded.
  const pending: { node: unknown; path: string; depth: number; data: boolean }[] = [
    { node: document, path: '', depth: 0, data: false },
  ];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === undefined) break;
    const { node, path, depth, data } = item;
    if (depth > maxDepth && typeof node === 'object' && node !== null) {
      return [{ pointer: path, message: `nests deeper than ${String(maxDepth)} levels` }];
    }
    if (Array.isArray(node)) {
      (node as unknown[]).forEach((child, index) =>
        pending.push({ node: child, path: path + pointer(index), depth: depth + 1, data }),
      );
      continue;
    }
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      const at = path + pointer(key);
      if (key === '$ref' && typeof value === 'string' && !data) {
        if (!value.startsWith('#')) {
          problems.push({
            pointer: at,
            message: `refers to ${value}, outside the document: a version is self-contained`,
          });
        } else if (resolveLocal(document, value) === undefined) {
          problems.push({ pointer: at, message: `refers to ${value}, which is not in the document` });
        }
      } else {
        pending.push({ node: value, path: at, depth: depth + 1, data: data || dataKeys.has(key) });
      }
    }
  }
  // The walk is depth-first from the end; document order reads better.
  return problems.reverse();
}

/** Where each part the mapping reads must be an object (or absent). */
const objectParts: string[][] = [
  ['info'],
  ['paths'],
  ['webhooks'],
  ['components'],
  ['components', 'schemas'],
  ['components', 'parameters'],
  ['components', 'requestBodies'],
  ['components', 'responses'],
  ['components', 'securitySchemes'],
];

function shapeProblems(document: Json): Problem[] {
  const problems: Problem[] = [];
  for (const path of objectParts) {
    let node: unknown = document;
    for (const key of path) node = isObject(node) ? node[key] : undefined;
    if (node !== undefined && !isObject(node))
      problems.push({ pointer: pointer(...path), message: 'must be an object' });
  }
  if (!isObject(document.info)) problems.push({ pointer: '/info', message: 'is required' });
  if (document.servers !== undefined && !Array.isArray(document.servers)) {
    problems.push({ pointer: '/servers', message: 'must be an array' });
  }
  return problems;
}

/** The document's dialect, or the problems that make it no OpenAPI 3.0 or 3.1 document at all. */
export function checkDocument(document: unknown): { dialect: Dialect; document: Json } | { problems: Problem[] } {
  if (!isObject(document))
    return { problems: [{ pointer: '', message: 'must be an OpenAPI document (a JSON object)' }] };
  if (document.swagger !== undefined) {
    return {
      problems: [{ pointer: '/swagger', message: 'Swagger 2.0 is not imported yet: convert it to OpenAPI 3 first' }],
    };
  }
  const version = document.openapi;
  if (typeof version !== 'string') return { problems: [{ pointer: '/openapi', message: 'is required (a string)' }] };
  const dialect = /^3\.0\.\d+$/.test(version) ? '3.0' : /^3\.1\.\d+$/.test(version) ? '3.1' : undefined;
  if (dialect === undefined) {
    return { problems: [{ pointer: '/openapi', message: `is ${version}; only OpenAPI 3.0.x and 3.1.x are imported` }] };
  }
  const problems = [...shapeProblems(document), ...refProblems(document)];
  return problems.length > 0 ? { problems } : { dialect, document };
}
