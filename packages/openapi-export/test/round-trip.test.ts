import type { ActionCreate, AuthSchemeConfig, DefinitionCreate, TriggerCreate } from '@connect/contracts';
import { importOpenApi, type ImportMapping } from '@connect/openapi-import';
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportOpenApi, type ExportedVersion } from '../src/index.js';
import { comparable } from './comparable.js';

const methods = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
const mediaTypes = ['application/json', 'application/xml', 'text/plain', 'application/problem+json'];
const statuses = [200, 201, 204, 400, 404, 500];
// Names as a version may hold them, but for a leading or trailing `_`, which the import trims.
const word = fc
  .string({ unit: fc.constantFrom('a', 'b', 'c', 'X', 'Y', 'Z', '0', '1', '9', '_', '-'), minLength: 1, maxLength: 10 })
  .map((w) => `k${w}k`);
const text = fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined });

/** Definitions that link each other (cycles too) from schema positions, with data that only looks like a link. */
const definitionsOf = (names: string[]): fc.Arbitrary<DefinitionCreate[]> =>
  fc.tuple(
    ...names.map((name) =>
      fc
        .record({
          description: text,
          links: fc.subarray(names),
          accept: fc.subarray(mediaTypes, { minLength: 1 }),
          type: fc.constantFrom('object', 'string', undefined),
        })
        .map(({ description, links, accept, type }) => {
          const schema: Record<string, unknown> = {};
          if (type !== undefined) schema.type = type;
          if (description !== undefined) schema.description = description;
          if (links.length > 0) {
            schema.properties = Object.fromEntries(links.map((to, i) => [`p${String(i)}`, { $ref: `#/$defs/${to}` }]));
            schema.anyOf = [{ items: { $ref: `#/$defs/${links[0] ?? ''}` } }, { enum: [{ $ref: '#/info' }] }];
          }
          return {
            name,
            accept,
            // A description is the schema's own (as an import gives) or none.
            ...(description === undefined ? {} : { description }),
            schema: { contentType: 'application/schema+json', content: JSON.stringify(schema) },
          };
        }),
    ),
  );

const parametersOf = (placeholders: string[], places: readonly ('query' | 'header' | 'cookie')[]) =>
  fc
    .uniqueArray(
      fc.record({
        name: word.map((w) => `q${w}`),
        in: fc.constantFrom(...places),
        required: fc.boolean(),
        type: fc.constantFrom('string', 'number', 'integer', 'boolean'),
        withDefault: fc.boolean(),
      }),
      { selector: (p) => `${p.in}:${p.name}`, maxLength: 4 },
    )
    .map((list) => [
      ...placeholders.map((name) => ({
        name,
        in: 'path' as const,
        required: true,
        type: 'string' as const,
        default: undefined,
      })),
      ...list.map(({ withDefault, ...p }) => ({
        ...p,
        default: withDefault ? ({ string: 'x', number: 1.5, integer: 2, boolean: true } as const)[p.type] : undefined,
      })),
    ]);

const operationParts = (definitions: string[]) =>
  fc.record({
    method: fc.constantFrom(...methods),
    summary: text,
    description: text,
    requestBody: fc.option(
      fc.record({
        required: fc.boolean(),
        links: fc.subarray(definitions, { maxLength: Math.min(3, definitions.length) }),
      }),
      { nil: undefined },
    ),
    responses: fc.uniqueArray(
      fc.record({
        status: fc.constantFrom<number | null>(...statuses, null),
        links: fc.subarray(definitions, { maxLength: Math.min(3, definitions.length) }),
      }),
      { selector: (r) => r.status, maxLength: 4 },
    ),
  });

type Parts = {
  method: (typeof methods)[number];
  summary: string | undefined;
  description: string | undefined;
  requestBody: { required: boolean; links: string[] } | undefined;
  responses: { status: number | null; links: string[] }[];
};
const links = (names: string[]) => names.map((name) => ({ definition: { name } }));
const common = (name: string, parts: Parts) => ({
  type: 'http' as const,
  name,
  method: parts.method,
  ...(parts.summary === undefined ? {} : { summary: parts.summary }),
  ...(parts.description === undefined ? {} : { description: parts.description }),
  ...(parts.requestBody === undefined
    ? {}
    : { requestBody: { required: parts.requestBody.required, definitions: links(parts.requestBody.links) } }),
  responses: parts.responses.map((r) => ({ status: r.status, definitions: links(r.links) })),
});

/** Any version whose every part OpenAPI can hold: the round trip must give all of it back. */
const version: fc.Arbitrary<ExportedVersion> = fc
  .record({
    definitionNames: fc.uniqueArray(word, { maxLength: 6 }),
    actionNames: fc.uniqueArray(
      word.map((w) => `a${w}$`),
      { maxLength: 5 },
    ),
    triggerNames: fc.uniqueArray(word, { maxLength: 3 }),
  })
  .chain(({ definitionNames, actionNames, triggerNames }) =>
    fc.record({
      definitions: definitionsOf(definitionNames),
      actions: fc.tuple(
        ...actionNames.map((name, index) =>
          fc
            .tuple(
              operationParts(definitionNames),
              fc.subarray(['id', 'sub']),
              parametersOf([], ['query', 'header', 'cookie']),
            )
            .chain(([parts, placeholders, rest]) =>
              parametersOf(placeholders, ['query', 'header', 'cookie']).map(
                (parameters): ActionCreate => ({
                  ...common(name, parts),
                  // A path per action, so that no two share a method and path.
                  path: `/r${String(index)}${placeholders.map((p) => `/{{ param.${p} }}`).join('')}`,
                  parameters: [...parameters.filter((p) => p.in === 'path'), ...rest],
                }),
              ),
            ),
        ),
      ),
      triggers: fc.tuple(
        ...triggerNames.map((name) =>
          fc.tuple(operationParts(definitionNames), parametersOf([], ['query', 'header', 'cookie'])).map(
            ([parts, parameters]): TriggerCreate => ({
              ...common(name, parts),
              parameters: parameters.flatMap((p) => (p.in === 'path' ? [] : [{ ...p, in: p.in }])),
            }),
          ),
        ),
      ),
    }),
  )
  .map(({ definitions, actions, triggers }) => ({
    connector: { name: 'Generated', baseUrl: 'https://api.example.com' },
    version: { name: '1.0.0' },
    definitions,
    actions,
    triggers,
    authSchemeConfigs: [],
  }));

function imported(document: unknown): ImportMapping {
  const result = importOpenApi(document);
  if ('problems' in result) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result;
}

describe('import(export(v)) for any version', () => {
  it('gives back the same actions, triggers, definitions and links', () => {
    fc.assert(
      fc.property(version, (v) => {
        const document = exportOpenApi(v);
        expect(document['x-connect-unexported']).toBeUndefined();
        const back = imported(structuredClone(document));
        expect(back.unmapped).toEqual([]);
        expect(back.baseUrl).toBe('https://api.example.com');
        expect(comparable(back)).toEqual(comparable(v));
      }),
      { numRuns: 200 },
    );
  });

  it('is a valid OpenAPI 3.1 document', { timeout: 60_000 }, async () => {
    const validator = new Validator();
    await fc.assert(
      fc.asyncProperty(version, async (v) => {
        const result = await validator.validate(exportOpenApi(v));
        expect(result.errors ?? []).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('carries what the import recomputes in extensions: accept lists, descriptions apart from the schema', () => {
    fc.assert(
      fc.property(version, fc.string({ minLength: 1, maxLength: 20 }), (v, apart) => {
        const first = v.definitions[0];
        if (first !== undefined) first.description = `${apart} (not the schema's)`;
        const schemas =
          ((exportOpenApi(v).components ?? {}) as { schemas?: Record<string, Record<string, unknown>> }).schemas ?? {};
        for (const d of v.definitions) {
          expect(schemas[d.name]?.['x-connect-accept']).toEqual(d.accept);
          const own = (JSON.parse(d.schema.content) as { description?: string }).description;
          expect(schemas[d.name]?.['x-connect-description']).toBe(d.description === own ? undefined : d.description);
        }
      }),
    );
  });
});

describe('auth scheme configs', () => {
  it('that OpenAPI can hold come back with their ids', () => {
    const configs: AuthSchemeConfig[] = [
      { id: 'key', description: 'Key', schemeType: 'api-key', name: 'X-Key', in: 'query' },
      { id: 'basic', description: '', schemeType: 'basic-auth' },
      { id: 'mtls', description: '', schemeType: 'certificate' },
      {
        id: 'code',
        description: '',
        schemeType: 'oauth2',
        authorizeUrl: 'https://a.example.com/authorize',
        tokenUrl: 'https://a.example.com/token',
        scopes: [{ name: 'read', description: 'Read' }, { name: 'write' }],
        defaultScopes: [],
        pkce: true,
        grant: { grantType: 'authorization_code' },
      },
      {
        id: 'machine',
        description: '',
        schemeType: 'oauth2',
        // The import carries the token URL in the authorize URL of grants without one.
        authorizeUrl: 'https://a.example.com/token',
        tokenUrl: 'https://a.example.com/token',
        scopes: [],
        defaultScopes: [],
        pkce: true,
        grant: { grantType: 'client_credentials' },
      },
    ];
    const back = imported(
      exportOpenApi({
        connector: { name: 'C' },
        version: { name: 'v' },
        actions: [],
        triggers: [],
        definitions: [],
        authSchemeConfigs: configs,
      }),
    );
    expect(back.authSchemeConfigs).toEqual(configs);
  });
});
