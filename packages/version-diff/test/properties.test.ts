import fc from 'fast-check';
import type { VersionChange, VersionSnapshot } from '@connect/contracts';
import { describe, expect, it } from 'vitest';
import { diffVersions } from '../src/index.js';

// Random versions built from small pools of names, so that two of them share children often.
const names = fc.constantFrom('a', 'b', 'c');
const jsonType = fc.constantFrom('string', 'integer', 'boolean');
const property = fc.record({
  type: jsonType,
  enum: fc.option(fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { minLength: 1 }), { nil: undefined }),
  format: fc.option(fc.constantFrom('email', 'uuid'), { nil: undefined }),
  pattern: fc.option(fc.constantFrom('^a', '^b'), { nil: undefined }),
});
const schema = fc.record({
  properties: fc.dictionary(names, property, { maxKeys: 3 }),
  required: fc.uniqueArray(names, { maxLength: 3 }),
});
const definition = fc.record({
  name: fc.constantFrom('Order', 'Line', 'Error'),
  schema,
  description: fc.constantFrom('', 'd'),
});
const parameter = fc.record({
  name: names,
  in: fc.constantFrom('query', 'header'),
  required: fc.boolean(),
  type: fc.constantFrom('string', 'integer'),
});
const operation = fc.record({
  name: names,
  method: fc.constantFrom('GET', 'POST'),
  path: fc.constantFrom('/x', '/y'),
  parameters: fc.uniqueArray(parameter, { selector: (p) => `${p.in}:${p.name}`, maxLength: 3 }),
  requestBody: fc.option(
    fc.record({
      required: fc.boolean(),
      definitions: fc.uniqueArray(fc.constantFrom('Order', 'Line'), { maxLength: 2 }),
    }),
    { nil: undefined },
  ),
  responses: fc.uniqueArray(
    fc.record({
      status: fc.constantFrom(200, 404, null),
      definitions: fc.uniqueArray(fc.constantFrom('Order', 'Error'), { maxLength: 2 }),
    }),
    { selector: (r) => r.status, maxLength: 3 },
  ),
});
const snapshot = (name: string) =>
  fc
    .record({
      actions: fc.uniqueArray(operation, { selector: (o) => o.name, maxLength: 3 }),
      triggers: fc.uniqueArray(operation, { selector: (o) => o.name, maxLength: 2 }),
      definitions: fc.uniqueArray(definition, { selector: (d) => d.name, maxLength: 3 }),
    })
    .map(
      (v): VersionSnapshot => ({
        name,
        actions: v.actions.map((o) => ({ ...o, summary: '', description: '' })),
        triggers: v.triggers.map((o) => ({ ...o, path: undefined, summary: '', description: '' })),
        definitions: v.definitions.map((d) => ({
          id: `${name}-${d.name}`,
          name: d.name,
          description: d.description,
          accept: ['application/json'],
          contentType: 'application/schema+json',
          content: JSON.stringify({ type: 'object', ...d.schema }),
          refs: [],
        })),
      }),
    );

/** A change as its mirror image: what `diff(b, a)` says of the change `diff(a, b)` found. */
const mirrored = (c: VersionChange) => ({
  pointer: c.pointer,
  kind: c.kind,
  name: c.name,
  change: c.change === 'added' ? 'removed' : c.change === 'removed' ? 'added' : 'changed',
  before: c.after,
  after: c.before,
});
const shape = (c: VersionChange) => ({
  pointer: c.pointer,
  kind: c.kind,
  name: c.name,
  change: c.change,
  before: c.before,
  after: c.after,
});

describe('properties of the diff', () => {
  it('finds nothing between a version and itself', () => {
    fc.assert(
      fc.property(snapshot('1.0.0'), (v) => {
        const diff = diffVersions(v, v);
        expect(diff.changes).toEqual([]);
        expect(diff.breaking).toBe(false);
        expect(diff.suggestedBump).toBeNull();
      }),
    );
  });

  it('diff(b, a) mirrors diff(a, b): the same pointers, additions and removals swapped, before and after swapped', () => {
    fc.assert(
      fc.property(snapshot('1.0.0'), snapshot('2.0.0'), (a, b) => {
        const forward = diffVersions(a, b).changes.map(mirrored);
        const backward = diffVersions(b, a).changes.map(shape);
        expect(backward).toEqual(forward);
      }),
    );
  });

  it('gives every change a reason and a pointer into the child it names', () => {
    fc.assert(
      fc.property(snapshot('1.0.0'), snapshot('2.0.0'), (a, b) => {
        for (const change of diffVersions(a, b).changes) {
          expect(change.reason.length).toBeGreaterThan(0);
          expect(change.pointer.startsWith(`/${change.kind}s/${change.name}`)).toBe(true);
        }
      }),
    );
  });
});
