import { actionCreate, authSchemeConfig, definitionCreate, triggerCreate } from '@connect/contracts';
import { expect } from 'vitest';
import { importOpenApi, type ImportMapping } from '../src/index.js';

/** A small OpenAPI 3.0 document around `rest`. */
export const openapi30 = (rest: Record<string, unknown>) => ({
  openapi: '3.0.3',
  info: { title: 'Shop', version: '1' },
  paths: {},
  ...rest,
});

/** A small OpenAPI 3.1 document around `rest`. */
export const openapi31 = (rest: Record<string, unknown>) => ({
  openapi: '3.1.0',
  info: { title: 'Shop', version: '1' },
  ...rest,
});

/** The mapping of a document that must be importable, every body checked by its contract. */
export function mapped(document: unknown): ImportMapping {
  const result = importOpenApi(document);
  if ('problems' in result) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  for (const action of result.actions) expect(actionCreate.parse(action)).toBeDefined();
  for (const trigger of result.triggers) expect(triggerCreate.parse(trigger)).toBeDefined();
  for (const definition of result.definitions) expect(definitionCreate.parse(definition)).toBeDefined();
  for (const config of result.authSchemeConfigs) expect(authSchemeConfig.parse(config)).toBeDefined();
  expect(result.unmapped.filter((entry) => entry.reason.startsWith('was not mappable'))).toEqual([]);
  return result;
}

/** The JSON Schema a definition holds, parsed. */
export function schemaOf(mapping: ImportMapping, name: string): unknown {
  const definition = mapping.definitions.find((d) => d.name === name);
  if (definition === undefined) throw new Error(`no definition ${name}`);
  return JSON.parse(definition.schema.content);
}
