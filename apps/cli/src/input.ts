import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from './errors';

/**
 * The content of a JSON or YAML file (`-` reads stdin). `.json` files are parsed as JSON, for
 * JSON's own error messages; anything else as YAML, which also reads JSON.
 */
export async function readDataFile(path: string): Promise<unknown> {
  let source: string;
  try {
    source = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const json = extname(path).toLowerCase() === '.json';
  // Loaded only here: most commands read no file, and every command pays for what main loads.
  const parseYaml = json ? null : (await import('yaml')).parse;
  try {
    return parseYaml === null ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    throw new UsageError(
      `${path} is not valid ${json ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export type DataObject = Record<string, unknown>;

export function isObject(value: unknown): value is DataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One object or a list of objects, as a list: lets a file hold one action or several. The API
 * validates the objects themselves; only their being objects is checked here.
 */
export function objectsOf(content: unknown, path: string, what: string): DataObject[] {
  const items = Array.isArray(content) ? (content as unknown[]) : [content];
  if (items.length === 0) throw new UsageError(`${path} holds no ${what}`);
  items.forEach((item, index) => {
    if (!isObject(item)) {
      throw new UsageError(
        `${path}: ${Array.isArray(content) ? `item ${String(index)}` : 'the content'} must be an object (a ${what})`,
      );
    }
  });
  return items as DataObject[];
}

/** Definitions from a file: a list, `{ definitions: [...] }`, or a single definition. */
export function definitionsOf(content: unknown, path: string): DataObject[] {
  if (isObject(content) && 'definitions' in content) {
    if (!Array.isArray(content.definitions)) throw new UsageError(`${path}: definitions must be a list`);
    return objectsOf(content.definitions, path, 'definition');
  }
  return objectsOf(content, path, 'definition');
}
