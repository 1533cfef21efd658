import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';
import { mapped, openapi30 } from './mapped.js';

const ok = { responses: {} };

describe('names', () => {
  it('sanitises operationIds and falls back to method and path', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/repos/{owner}/{repo}': { get: { operationId: 'repos/get content', ...ok }, delete: ok },
          '/': { get: { operationId: '???', ...ok } },
        },
      }),
    );
    expect(mapping.actions.map((action) => action.name)).toEqual([
      'repos_get_content',
      'delete_repos_owner_repo',
      'operation',
    ]);
  });

  it('gives colliding names the first free suffix, in document order', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/a': { get: { operationId: 'get a', ...ok }, post: { operationId: 'get_a', ...ok } },
          '/b': { get: { operationId: 'get/a', ...ok }, put: { operationId: 'get_a_2', ...ok } },
        },
      }),
    );
    expect(mapping.actions.map((action) => action.name)).toEqual(['get_a', 'get_a_2', 'get_a_3', 'get_a_2_2']);
  });

  it('keeps names within 128 characters, suffix included', () => {
    const long = 'x'.repeat(200);
    const mapping = mapped(
      openapi30({ paths: { '/a': { get: { operationId: long, ...ok }, post: { operationId: long, ...ok } } } }),
    );
    expect(mapping.actions.map((action) => action.name)).toEqual(['x'.repeat(128), `${'x'.repeat(126)}_2`]);
  });

  it('makes definition names valid, and inline definitions unique beside component ones', () => {
    const mapping = mapped(
      openapi30({
        paths: {
          '/a': {
            get: {
              operationId: 'list$a',
              responses: { 200: { content: { 'application/json': { schema: { type: 'integer' } } } } },
            },
          },
        },
        components: { schemas: { list_a_response_200: { type: 'string' }, 'Order.v2': { type: 'object' } } },
      }),
    );
    expect(mapping.definitions.map((definition) => definition.name)).toEqual([
      'list_a_response_200',
      'Order_v2',
      'list_a_response_200_2',
    ]);
    expect(mapping.actions[0]?.name).toBe('list$a');
  });

  it('gives the same document the same names every time', () => {
    const document = openapi30({
      paths: { '/a': { get: { operationId: 'x', ...ok }, post: { operationId: 'x', ...ok } } },
    });
    expect(importOpenApi(document)).toEqual(importOpenApi(structuredClone(document)));
  });
});
