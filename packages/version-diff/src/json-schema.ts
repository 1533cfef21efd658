import { type Found, type Side, pointer, sameJson } from './changes.js';

// Changes between two JSON Schemas, judged by where the schema reaches callers: what they send
// (`request`) must not become stricter, what they receive (`response`) must not become looser or
// lose what they relied on. A schema used on both sides is judged by both.

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a change is breaking on any of `sides`, given what it does to each side. */
const breaks = (sides: ReadonlySet<Side>, on: { request: boolean; response: boolean }): boolean =>
  (sides.has('request') && on.request) || (sides.has('response') && on.response);

type Emit = (found: Found) => void;

/** Keywords that only document: a change to them changes no caller's outcome. */
const documentation = new Set([
  'title',
  'description',
  'examples',
  'example',
  'default',
  'deprecated',
  '$comment',
  'readOnly',
  'writeOnly',
  '$id',
  '$schema',
  '$anchor',
]);
/** Lower bounds: a larger value (or a new one) is stricter. */
const lowerBounds = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
/** Upper bounds: a smaller value (or a new one) is stricter. */
const upperBounds = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
/** Keywords holding one subschema, compared recursively. */
const subschemas = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
]);
/** Keywords the rules below handle by name. */
const handled = new Set([
  'type',
  'enum',
  'format',
  'pattern',
  '$ref',
  'properties',
  'required',
  '$defs',
  'definitions',
  'allOf',
  'anyOf',
  'oneOf',
]);

/** The types a schema allows, or null for any (no `type`). */
function typesOf(schema: Schema): Set<string> | null {
  const type = schema.type;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === 'string'));
  return null;
}

/** The values of `from` (null: any) that `to` (null: any) does not allow. */
function lost<T>(from: readonly T[] | null, to: readonly T[] | null): T[] | 'all-but-listed' {
  if (to === null) return [];
  if (from === null) return 'all-but-listed';
  return from.filter((value) => !to.some((other) => sameJson(value, other)));
}

const listOf = (set: Set<string> | null) => (set ? [...set].sort() : null);
const enumOf = (schema: Schema): unknown[] | null => (Array.isArray(schema.enum) ? schema.enum : null);
const some = (values: unknown[] | 'all-but-listed') => values === 'all-but-listed' || values.length > 0;

/**
 * Records every change from schema `before` to `after` (parsed JSON) at pointer `at`. Both must be
 * JSON values; `true` and `{}` are the same schema.
 */
export function schemaChanges(before: unknown, after: unknown, at: string, sides: ReadonlySet<Side>, emit: Emit): void {
  const b = before === true ? {} : before;
  const a = after === true ? {} : after;
  if (sameJson(b, a)) return;
  if (!isSchema(b) || !isSchema(a)) {
    emit({
      change: 'changed',
      pointer: at,
      before,
      after,
      breaking: sides.size > 0,
      reason: 'the schema was replaced as a whole',
    });
    return;
  }
  typeChange(b, a, at, sides, emit);
  enumChange(b, a, at, sides, emit);
  for (const keyword of ['format', 'pattern'] as const) constraintChange(keyword, b, a, at, sides, emit);
  if (!sameJson(b.$ref, a.$ref)) {
    emit({
      change: b.$ref === undefined ? 'added' : a.$ref === undefined ? 'removed' : 'changed',
      pointer: `${at}${pointer('$ref')}`,
      before: b.$ref,
      after: a.$ref,
      breaking: sides.size > 0,
      reason: 'the schema refers to another definition: what is sent and received follows it',
    });
  }
  propertyChanges(b, a, at, sides, emit);
  for (const keyword of ['$defs', 'definitions']) namedSchemas(keyword, b, a, at, sides, emit);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) combinator(keyword, b, a, at, sides, emit);
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  for (const key of [...keys].sort()) {
    if (handled.has(key) || sameJson(b[key], a[key])) continue;
    const here = `${at}${pointer(key)}`;
    const change = b[key] === undefined ? 'added' : a[key] === undefined ? 'removed' : 'changed';
    if (subschemas.has(key)) {
      subschemaChange(key, b[key], a[key], here, sides, emit);
    } else if (documentation.has(key)) {
      emit({
        change,
        pointer: here,
        before: b[key],
        after: a[key],
        breaking: false,
        reason: `${key} only documents the schema`,
      });
    } else if (lowerBounds.has(key) || upperBounds.has(key)) {
      boundChange(key, b[key], a[key], here, sides, emit);
    } else {
      emit({
        change,
        pointer: here,
        before: b[key],
        after: a[key],
        breaking: sides.size > 0,
        reason: `${key} changed; the diff does not judge this keyword, so it counts as breaking`,
      });
    }
  }
}

function typeChange(b: Schema, a: Schema, at: string, sides: ReadonlySet<Side>, emit: Emit): void {
  const before = listOf(typesOf(b));
  const after = listOf(typesOf(a));
  if (sameJson(before, after)) return;
  const narrowed = lost(before, after);
  const widened = lost(after, before);
  emit({
    change: b.type === undefined ? 'added' : a.type === undefined ? 'removed' : 'changed',
    pointer: `${at}${pointer('type')}`,
    before: b.type,
    after: a.type,
    breaking: breaks(sides, { request: some(narrowed), response: some(widened) }),
    reason: some(narrowed)
      ? some(widened)
        ? 'the type changed: values of the old type are refused, and values of a new type may be returned'
        : 'the type was narrowed: values callers could send before are refused'
      : 'the type was widened: values of a new type may be returned',
  });
}

function enumChange(b: Schema, a: Schema, at: string, sides: ReadonlySet<Side>, emit: Emit): void {
  const before = enumOf(b);
  const after = enumOf(a);
  if (sameJson(before, after)) return;
  const narrowed = some(lost(before, after));
  const widened = some(lost(after, before));
  emit({
    change: before === null ? 'added' : after === null ? 'removed' : 'changed',
    pointer: `${at}${pointer('enum')}`,
    before: b.enum,
    after: a.enum,
    breaking: breaks(sides, { request: narrowed, response: widened }),
    reason:
      narrowed && widened
        ? 'the allowed values changed: some are no longer accepted, and new ones may be returned'
        : narrowed
          ? 'the allowed values were narrowed: callers sending a removed value are refused'
          : widened
            ? 'the allowed values were widened: callers may receive a value they do not know'
            : 'the allowed values were reordered',
  });
}

/** `format` or `pattern`: a new or changed one is stricter for senders, a lost or changed one looser for receivers. */
function constraintChange(
  keyword: 'format' | 'pattern',
  b: Schema,
  a: Schema,
  at: string,
  sides: ReadonlySet<Side>,
  emit: Emit,
): void {
  if (sameJson(b[keyword], a[keyword])) return;
  const added = b[keyword] === undefined;
  const removed = a[keyword] === undefined;
  emit({
    change: added ? 'added' : removed ? 'removed' : 'changed',
    pointer: `${at}${pointer(keyword)}`,
    before: b[keyword],
    after: a[keyword],
    breaking: breaks(sides, { request: !removed, response: !added }),
    reason: added
      ? `a ${keyword} was added: sent values must now match it`
      : removed
        ? `the ${keyword} was removed: received values need no longer match it`
        : `the ${keyword} changed: sent and received values follow another rule`,
  });
}

function boundChange(
  key: string,
  before: unknown,
  after: unknown,
  at: string,
  sides: ReadonlySet<Side>,
  emit: Emit,
): void {
  const lower = lowerBounds.has(key);
  const numbers =
    (before === undefined || typeof before === 'number') && (after === undefined || typeof after === 'number');
  // A bound added is stricter; removed, looser; moved, stricter or looser by its direction.
  const stricter =
    !numbers || after === undefined ? !numbers : before === undefined ? true : lower ? after > before : after < before;
  const looser =
    !numbers || before === undefined ? !numbers : after === undefined ? true : lower ? after < before : after > before;
  emit({
    change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
    pointer: at,
    before,
    after,
    breaking: breaks(sides, { request: stricter, response: looser }),
    reason: stricter
      ? `${key} is stricter: values callers could send before may be refused`
      : `${key} is looser: callers may receive values outside the old bound`,
  });
}

function propertyChanges(b: Schema, a: Schema, at: string, sides: ReadonlySet<Side>, emit: Emit): void {
  const before = isSchema(b.properties) ? b.properties : {};
  const after = isSchema(a.properties) ? a.properties : {};
  const requiredBefore = new Set(Array.isArray(b.required) ? b.required.filter((r) => typeof r === 'string') : []);
  const requiredAfter = new Set(Array.isArray(a.required) ? a.required.filter((r) => typeof r === 'string') : []);
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const name of names) {
    const here = `${at}${pointer('properties', name)}`;
    if (!(name in before)) {
      const required = requiredAfter.has(name);
      emit({
        change: 'added',
        pointer: here,
        after: after[name],
        breaking: breaks(sides, { request: required, response: false }),
        reason: required
          ? `property "${name}" was added as required: callers that do not send it are refused`
          : `property "${name}" was added as optional`,
      });
    } else if (!(name in after)) {
      const closed = a.additionalProperties === false;
      emit({
        change: 'removed',
        pointer: here,
        before: before[name],
        breaking: breaks(sides, { request: closed, response: true }),
        reason: closed
          ? `property "${name}" was removed and others are not allowed: callers sending it are refused, and receivers lose it`
          : `property "${name}" was removed: callers that read it no longer get it`,
      });
    } else {
      schemaChanges(before[name], after[name], here, sides, emit);
    }
  }
  const both = names.filter((name) => name in before && name in after);
  const nowRequired = both.filter((name) => requiredAfter.has(name) && !requiredBefore.has(name));
  const noLonger = both.filter((name) => requiredBefore.has(name) && !requiredAfter.has(name));
  if (nowRequired.length === 0 && noLonger.length === 0) return;
  emit({
    change: 'changed',
    pointer: `${at}${pointer('required')}`,
    before: b.required,
    after: a.required,
    breaking: breaks(sides, { request: nowRequired.length > 0, response: noLonger.length > 0 }),
    reason: [
      nowRequired.length > 0 ? `now required: ${nowRequired.join(', ')} (callers that leave them out are refused)` : '',
      noLonger.length > 0 ? `no longer required: ${noLonger.join(', ')} (receivers may not get them)` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
}

/** `$defs` (or `definitions`): named subschemas, compared by name; adding or dropping one changes nothing by itself. */
function namedSchemas(keyword: string, b: Schema, a: Schema, at: string, sides: ReadonlySet<Side>, emit: Emit): void {
  const before = isSchema(b[keyword]) ? b[keyword] : {};
  const after = isSchema(a[keyword]) ? a[keyword] : {};
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const here = `${at}${pointer(keyword, name)}`;
    if (name in before && name in after) schemaChanges(before[name], after[name], here, sides, emit);
    else
      emit({
        change: name in before ? 'removed' : 'added',
        pointer: here,
        before: before[name],
        after: after[name],
        breaking: false,
        reason: `a local schema was ${name in before ? 'removed' : 'added'}; what refers to it is judged where it does`,
      });
  }
}

/** `allOf` adds constraints with each entry; `anyOf` and `oneOf` add alternatives. Compared by position. */
function combinator(
  keyword: 'allOf' | 'anyOf' | 'oneOf',
  b: Schema,
  a: Schema,
  at: string,
  sides: ReadonlySet<Side>,
  emit: Emit,
): void {
  const before = Array.isArray(b[keyword]) ? b[keyword] : [];
  const after = Array.isArray(a[keyword]) ? a[keyword] : [];
  const count = Math.max(before.length, after.length);
  for (let i = 0; i < count; i++) {
    const here = `${at}${pointer(keyword, i)}`;
    if (i < before.length && i < after.length) {
      schemaChanges(before[i], after[i], here, sides, emit);
      continue;
    }
    const added = i >= before.length;
    // An entry added to allOf is one more rule (stricter); to anyOf/oneOf, one more alternative (looser).
    const stricter = keyword === 'allOf' ? added : !added;
    emit({
      change: added ? 'added' : 'removed',
      pointer: here,
      before: before[i],
      after: after[i],
      breaking: breaks(sides, { request: stricter, response: !stricter }),
      reason: stricter
        ? `${keyword} is stricter: values callers could send before may be refused`
        : `${keyword} is looser: callers may receive values of another shape`,
    });
  }
}

/** A keyword holding one subschema: compared inside when both have it; new is stricter, gone is looser. */
function subschemaChange(
  key: string,
  before: unknown,
  after: unknown,
  at: string,
  sides: ReadonlySet<Side>,
  emit: Emit,
): void {
  // `additionalProperties: true` (or an empty schema) allows what its absence allows.
  const open = (value: unknown) => value === undefined || value === true || sameJson(value, {});
  if (open(before) && open(after)) return;
  if (!open(before) && !open(after)) {
    schemaChanges(before, after, at, sides, emit);
    return;
  }
  const added = open(before);
  emit({
    change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
    pointer: at,
    before,
    after,
    breaking: breaks(sides, { request: added, response: !added }),
    reason: added
      ? `${key} now constrains the value: values callers could send before may be refused`
      : `${key} no longer constrains the value: callers may receive values of another shape`,
  });
}
