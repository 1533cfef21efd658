import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { importOpenApi, type ImportMapping } from '@connect/openapi-import';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { exportOpenApi } from '../src/index.js';
import { comparable } from './comparable.js';

// GitHub's REST API description (OpenAPI 3.0.3): about 1,200 operations and 1,470 definitions.
const require = createRequire(import.meta.url);
const github: unknown = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
);

function imported(document: unknown): ImportMapping {
  const result = importOpenApi(document);
  if ('problems' in result) throw new Error(`refused: ${JSON.stringify(result.problems.slice(0, 3))}`);
  return result;
}

/** How many `$ref`s to example components the mapped definitions hold (in their examples). */
const examplesRefs = (mapping: ImportMapping) =>
  mapping.definitions.reduce((n, d) => n + d.schema.content.split('"$ref":"#/components/examples/').length - 1, 0);

describe("GitHub's REST API: import, export, import", { timeout: 60_000 }, () => {
  const first = imported(github);
  const document = exportOpenApi({
    connector: { name: 'GitHub', baseUrl: first.baseUrl },
    version: { name: '1' },
    actions: first.actions,
    triggers: first.triggers,
    definitions: first.definitions,
    authSchemeConfigs: first.authSchemeConfigs,
  });

  it('exports everything the import mapped, as a valid OpenAPI 3.1 document', async () => {
    expect(document['x-connect-unexported']).toBeUndefined();
    // GitHub's examples hold `$ref`s to `components.examples`, which a version has no place for.
    expect(document['x-connect-unresolved-refs']).toBe(examplesRefs(first));
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
  });

  it('imports back to the same actions, triggers, definitions, links and configs', () => {
    const second = imported(structuredClone(document));
    expect(second.baseUrl).toBe(first.baseUrl);
    expect(second.actions).toHaveLength(first.actions.length);
    expect(second.definitions).toHaveLength(first.definitions.length);
    const schemas = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    // Where an example held a `$ref` to an example component, it now holds it as x-connect-unresolved-ref.
    const expected = first.definitions.map((d) => ({
      ...d,
      schema: {
        ...d.schema,
        content: d.schema.content.replaceAll(
          '"$ref":"#/components/examples/',
          '"x-connect-unresolved-ref":"#/components/examples/',
        ),
      },
    }));
    expect(comparable(second, false)).toEqual(comparable({ ...first, definitions: expected }, false));
    // A description that is not the schema's own (OpenAPI 3.0's nullable moves it into anyOf) is carried beside it.
    for (const d of first.definitions) {
      const back = second.definitions.find((s) => s.name === d.name);
      expect(back?.description ?? schemas[d.name]?.['x-connect-description']).toBe(d.description);
    }
    expect(second.authSchemeConfigs).toEqual(first.authSchemeConfigs);
    // What the second import reports is only what OpenAPI 3.1 itself leaves out.
    expect(second.unmapped).toEqual([]);
  });
});
