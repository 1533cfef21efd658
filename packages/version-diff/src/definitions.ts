import type { SnapshotDefinition, VersionSnapshot } from '@connect/contracts';
import { type Found, type Side, pointer } from './changes.js';
import { schemaChanges } from './json-schema.js';

type Emit = (found: Found) => void;

/** Schemas whose content type names JSON are compared as JSON Schema; others as text. */
const isJson = (contentType: string) => /json/.test(contentType.split(';')[0] ?? '');

/** The parsed schema, or undefined when it is not JSON. */
function parsed(definition: SnapshotDefinition): unknown {
  if (definition.content === null || !isJson(definition.contentType)) return undefined;
  try {
    return JSON.parse(definition.content) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The schema with each `$ref` to a definition of its own version by URL (which holds the version's
 * name and the definition's id, both different in another version) written as the definition's
 * name, so that two versions' schemas referring to the same-named definition compare equal.
 */
export function normalisedSchema(definition: SnapshotDefinition, idsToNames: ReadonlyMap<string, string>): unknown {
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof member === 'string' ? refName(member, idsToNames) : rewrite(member);
    }
    return out;
  };
  return rewrite(parsed(definition));
}

/** `…/schemas/{connector}/{version}/{id}[.ext][#fragment]` as `definition:{name}[#fragment]`. */
function refName(ref: string, idsToNames: ReadonlyMap<string, string>): string {
  const match = /\/schemas\/[^/?#]+\/[^/?#]+\/([^/?#.]+)(?:\.[A-Za-z0-9]+)?(#.*)?$/.exec(ref);
  const name = match?.[1] === undefined ? undefined : idsToNames.get(match[1].toUpperCase());
  return name === undefined ? ref : `definition:${name}${match?.[2] ?? ''}`;
}

/**
 * Where each definition reaches callers in a version: linked from a request body (`request`), a
 * response (`response`), or through another definition's `$ref`s that is.
 */
export function definitionSides(version: VersionSnapshot): Map<string, Set<Side>> {
  const sides = new Map<string, Set<Side>>(version.definitions.map((d) => [d.name, new Set<Side>()]));
  const names = new Map(version.definitions.map((d) => [d.id, d.name]));
  const refs = new Map(version.definitions.map((d) => [d.name, d.refs.flatMap((id) => names.get(id) ?? [])]));
  const mark = (name: string, side: Side, seen = new Set<string>()): void => {
    const set = sides.get(name);
    if (!set || seen.has(name)) return;
    seen.add(name);
    set.add(side);
    for (const ref of refs.get(name) ?? []) mark(ref, side, seen);
  };
  for (const operation of [...version.actions, ...version.triggers]) {
    for (const name of operation.requestBody?.definitions ?? []) mark(name, 'request');
    for (const response of operation.responses) for (const name of response.definitions) mark(name, 'response');
  }
  return sides;
}

/** Each definition's schema, normalised (see `normalisedSchema`), by name. */
export function schemasOf(version: VersionSnapshot): Map<string, unknown> {
  const idsToNames = new Map(version.definitions.map((d) => [d.id.toUpperCase(), d.name]));
  return new Map(version.definitions.map((d) => [d.name, normalisedSchema(d, idsToNames)]));
}

/**
 * Every change to a definition present in both versions. `sides` says where it reaches callers
 * (in either version); a definition nothing links is judged as if on both sides.
 */
export function definitionChanges(
  before: SnapshotDefinition,
  after: SnapshotDefinition,
  schemas: { before: unknown; after: unknown },
  sides: ReadonlySet<Side>,
  emit: Emit,
): void {
  const at = pointer('definitions', before.name);
  const judged: ReadonlySet<Side> = sides.size > 0 ? sides : new Set<Side>(['request', 'response']);
  if (before.description !== after.description) {
    emit({
      change: 'changed',
      pointer: `${at}${pointer('description')}`,
      before: before.description,
      after: after.description,
      breaking: false,
      reason: 'the description only documents the definition',
    });
  }
  for (const type of [...new Set([...before.accept, ...after.accept])].sort()) {
    const had = before.accept.includes(type);
    if (had === after.accept.includes(type)) continue;
    // A media type dropped refuses senders using it; one added may reach receivers that cannot read it.
    const breaking = had ? judged.has('request') : judged.has('response');
    emit({
      change: had ? 'removed' : 'added',
      pointer: `${at}${pointer('accept', type)}`,
      ...(had ? { before: type } : { after: type }),
      breaking,
      reason: had ? `media type ${type} is no longer accepted` : `media type ${type} is now accepted too`,
    });
  }
  const schemaAt = `${at}${pointer('schema')}`;
  if (before.contentType !== after.contentType) {
    emit({
      change: 'changed',
      pointer: `${schemaAt}${pointer('contentType')}`,
      before: before.contentType,
      after: after.contentType,
      breaking: true,
      reason: 'the schema language changed: the shape cannot be compared, so callers must check it',
    });
    return;
  }
  // A null content is the same text as the other version's: nothing to compare.
  if (schemas.before !== undefined && schemas.after !== undefined) {
    schemaChanges(schemas.before, schemas.after, schemaAt, judged, emit);
  } else if (before.content !== null && after.content !== null && before.content !== after.content) {
    emit({
      change: 'changed',
      pointer: `${schemaAt}${pointer('content')}`,
      before: before.content,
      after: after.content,
      breaking: true,
      reason:
        'the schema is not JSON Schema (or not valid JSON), so its change cannot be judged and counts as breaking',
    });
  }
}
