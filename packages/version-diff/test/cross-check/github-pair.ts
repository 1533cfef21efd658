import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { VersionDiff, VersionSnapshot } from '@connect/contracts';
import { diffVersions } from '../../src/index.js';
import { type ToolVerdict, openApiDiff } from './openapi-diff.js';
import { snapshotOfOpenApi } from './snapshot-of-openapi.js';

// Two published releases of GitHub's REST API description (from @octokit/openapi) compared operation by
// operation: the version diff on the two documents imported as versions, openapi-diff on each operation
// written as a document of its own with the components it reaches. (openapi-diff runs out of memory on
// a whole document of this size, and takes seconds per operation, so only operations whose documents
// differ in more than documentation are given to it.)

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const DOCUMENTATION = new Set(['summary', 'externalDocs', 'examples', 'example', 'title', 'operationId', 'tags']);
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function githubDocument(release: string): Json {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve(`@octokit/openapi/generated/${release}.json`), 'utf8')) as Json;
}

/** A value without documentation: descriptions emptied (a response needs one), other prose and `x-` fields dropped. */
function undocumented(value: unknown, keysAreNames = false): unknown {
  if (Array.isArray(value)) return value.map((item) => undocumented(item));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, member] of Object.entries(value)) {
    if (keysAreNames) out[key] = undocumented(member);
    else if (key === 'description') out[key] = '';
    else if (!DOCUMENTATION.has(key) && !key.startsWith('x-')) out[key] = undocumented(member, key === 'properties');
  }
  return out;
}

/** One operation of a document as a document of its own, with every component it reaches; null when absent. */
function operationDocument(document: Json, path: string, method: string): Json | null {
  const item = isObject(document.paths) ? document.paths[path] : undefined;
  if (!isObject(item) || !isObject(item[method])) return null;
  const components = isObject(document.components) ? document.components : {};
  const reached: Record<string, Json> = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const member of value) visit(member);
    else if (isObject(value)) {
      for (const [key, member] of Object.entries(value)) {
        if (key !== '$ref' || typeof member !== 'string') {
          visit(member);
          continue;
        }
        const [, , section, name] = member.split('/');
        if (section === undefined || name === undefined || reached[section]?.[name] !== undefined) continue;
        const target = isObject(components[section]) ? components[section][name] : undefined;
        reached[section] = { ...reached[section], [name]: target };
        visit(target);
      }
    }
  };
  const pathItem = {
    ...(item.parameters === undefined ? {} : { parameters: item.parameters }),
    [method]: item[method],
  };
  visit(pathItem);
  return {
    openapi: '3.0.3',
    info: { title: path, version: '1' },
    paths: { [path]: undocumented(pathItem) },
    components: undocumented(reached),
  };
}

const emptyDocument = { openapi: '3.0.3', info: { title: 'none', version: '1' }, paths: {} };

/** The operation's name in the imported version, and the definitions it reaches there. */
function operationIn(version: VersionSnapshot, path: string, method: string) {
  const action = version.actions.find((a) => a.path === path && a.method === method.toUpperCase());
  if (!action) return undefined;
  const refs = new Map(version.definitions.map((d) => [d.name, d.refs]));
  const reached = new Set<string>();
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    for (const ref of refs.get(name) ?? []) reach(ref);
  };
  for (const name of action.requestBody?.definitions ?? []) reach(name);
  for (const response of action.responses) for (const name of response.definitions) reach(name);
  return { name: action.name, reached };
}

export interface OperationVerdicts {
  operation: string;
  /** The version diff: whether a breaking change reaches this operation, and those changes' pointers. */
  ours: boolean;
  breakingPointers: string[];
  /** openapi-diff's verdict on the operation's two documents; `unchanged` when they are equal. */
  tool: ToolVerdict | { kind: 'unchanged' };
}

export interface GithubCrossCheck {
  diff: VersionDiff;
  operations: OperationVerdicts[];
}

export async function githubCrossCheck(from: string, to: string, msPerOperation: number): Promise<GithubCrossCheck> {
  const documents = [githubDocument(from), githubDocument(to)] as const;
  const versions = [snapshotOfOpenApi(from, documents[0]), snapshotOfOpenApi(to, documents[1])] as const;
  const diff = diffVersions(versions[0], versions[1]);

  const keys = new Set<string>();
  for (const document of documents) {
    for (const [path, item] of Object.entries(isObject(document.paths) ? document.paths : {})) {
      for (const method of METHODS)
        if (isObject(item) && isObject(item[method])) keys.add(`${method.toUpperCase()} ${path}`);
    }
  }
  const operations: OperationVerdicts[] = [];
  for (const key of [...keys].sort()) {
    const [method = '', path = ''] = key.split(' ');
    const sides = versions.map((v) => operationIn(v, path, method.toLowerCase()));
    const names = new Set(sides.flatMap((s) => (s ? [s.name] : [])));
    const reached = new Set(sides.flatMap((s) => (s ? [...s.reached] : [])));
    const breakingPointers = diff.changes
      .filter((c) => c.breaking && (c.kind === 'definition' ? reached.has(c.name) : names.has(c.name)))
      .map((c) => c.pointer);
    const [before, after] = documents.map((d) => operationDocument(d, path, method.toLowerCase()));
    const unchanged = JSON.stringify(before) === JSON.stringify(after);
    operations.push({
      operation: key,
      ours: breakingPointers.length > 0,
      breakingPointers,
      tool: unchanged
        ? { kind: 'unchanged' }
        : await openApiDiff(before ?? emptyDocument, after ?? emptyDocument, msPerOperation),
    });
  }
  return { diff, operations };
}
