import { definitionNamePattern, operationNamePattern } from '@connect/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';
import { mapped, openapi30 } from './mapped.js';

// Any strings as operationIds and schema names, colliding ones included (a small alphabet makes
// collisions after sanitising likely).
const wantedName = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('a', 'A', '_', '-', '$', '/', ' ', '.'), maxLength: 6 }),
);

const documentOf = (operationIds: string[], schemaNames: string[]) =>
  openapi30({
    paths: Object.fromEntries(
      operationIds.map((operationId, index) => [
        `/p${String(index)}`,
        {
          get: {
            operationId,
            responses: { 200: { content: { 'application/json': { schema: { type: 'integer', minimum: index } } } } },
          },
        },
      ]),
    ),
    components: { schemas: Object.fromEntries(schemaNames.map((name) => [name, { type: 'string' }])) },
  });

describe('names, for any document', () => {
  it('are valid, unique and the same on every import', () => {
    fc.assert(
      fc.property(
        fc.array(wantedName, { maxLength: 12 }),
        fc.uniqueArray(wantedName, { maxLength: 12 }),
        (ids, schemas) => {
          const document = documentOf(ids, schemas);
          const mapping = mapped(document);
          const actions = mapping.actions.map((action) => action.name);
          const definitions = mapping.definitions.map((definition) => definition.name);
          expect(actions).toHaveLength(ids.length);
          expect(definitions).toHaveLength(schemas.length + ids.length);
          for (const name of actions) expect(name).toMatch(operationNamePattern);
          for (const name of definitions) expect(name).toMatch(definitionNamePattern);
          expect(new Set(actions).size).toBe(actions.length);
          expect(new Set(definitions).size).toBe(definitions.length);
          expect(importOpenApi(structuredClone(document))).toEqual(mapping);
        },
      ),
    );
  });
});
