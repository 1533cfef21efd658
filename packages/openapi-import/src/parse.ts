import { upgradeFromTwoToThree } from '@scalar/openapi-upgrader/2.0-to-3.0';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { maxDepth, refProblems } from './document.js';
import { isObject, type Json } from './json.js';
import type { ImportRefusal, Problem } from './result.js';
import { specProblems, type SpecVersion } from './spec-validation.js';

/** How a document's text is written, when the caller says: else it is told from the text. */
export type DocumentSyntax = 'json' | 'yaml';

export interface ParseOptions {
  /** `json` or `yaml` as the caller gave it (a `filetype`, or a media type naming either). */
  syntax?: DocumentSyntax | undefined;
  /** The most UTF-8 bytes the text may have. */
  maxBytes: number;
}

/** A document read and validated: an OpenAPI 3.0 or 3.1 object, ready for `importOpenApi`. */
export interface ParsedDocument {
  document: Json;
  /** The version it was written in: a Swagger 2.0 document is converted to OpenAPI 3.0. */
  writtenIn: SpecVersion;
}

/** `json` or `yaml` from a media type or a file type (`application/x-yaml`, `yaml`, `.yml`), else undefined. */
export function syntaxOf(hint: string | null | undefined): DocumentSyntax | undefined {
  const type = (hint ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (/(^|[/+.])json$/.test(type)) return 'json';
  if (/(^|[/+.-])ya?ml$/.test(type)) return 'yaml';
  return undefined;
}

const refusal = (pointer: string, message: string): ImportRefusal => ({ problems: [{ pointer, message }] });

/** UTF-8 length, counted without building the bytes. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The text as a value: JSON when said or when it starts like JSON, else YAML (of which JSON is a
 * subset). YAML aliases are capped (the yaml package's default of 100) so a small text cannot
 * expand into a huge document; a nesting that exhausts a parser's stack is refused as too deep.
 */
function parseText(text: string, syntax: DocumentSyntax | undefined): { value: unknown } | ImportRefusal {
  const json = syntax === 'json' || (syntax === undefined && /^\s*[{[]/.test(text));
  try {
    if (json) return { value: JSON.parse(text) as unknown };
    return { value: parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }) as unknown };
  } catch (error) {
    if (error instanceof RangeError) return refusal('', `nests deeper than ${String(maxDepth)} levels`);
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at ? ` at line ${String(at.line)}, column ${String(at.col)}` : '';
      return refusal('', `is not valid YAML${where}: ${error.message.split('\n')[0] ?? ''}`);
    }
    const message = error instanceof Error ? error.message : String(error);
    return refusal('', `is not valid ${json ? 'JSON' : 'YAML'}: ${message}`);
  }
}

/** The first place nested deeper than `maxDepth`, walking iteratively (validators recurse). */
function tooDeep(value: unknown): Problem | null {
  const pending: { node: unknown; path: string; depth: number }[] = [{ node: value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === undefined) break;
    const { node, path, depth } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return { pointer: path, message: `nests deeper than ${String(maxDepth)} levels` };
    const entries = Array.isArray(node) ? (node as unknown[]).entries() : Object.entries(node);
    for (const [key, child] of entries) {
      pending.push({
        node: child,
        path: `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`,
        depth: depth + 1,
      });
    }
  }
  return null;
}

/**
 * An uploaded or fetched document's text as an OpenAPI 3.x object: parsed (JSON or YAML), bounded
 * (`maxBytes`, nesting depth), validated against the OpenAPI schema of the version it declares
 * (Swagger 2.0, OpenAPI 3.0 or 3.1) and, for Swagger 2.0, converted to OpenAPI 3.0. Anything wrong
 * is a refusal whose problems name JSON Pointers into the document as sent. External `$ref`s are
 * refused here for Swagger 2.0 (its pointers change on conversion), and by `importOpenApi` else.
 */
export function parseImportDocument(text: string, options: ParseOptions): ParsedDocument | ImportRefusal {
  const bytes = utf8Length(text);
  if (bytes > options.maxBytes) {
    return refusal('', `is ${String(bytes)} bytes; a document may have at most ${String(options.maxBytes)}`);
  }
  const parsed = parseText(text, options.syntax);
  if ('problems' in parsed) return parsed;
  const { value } = parsed;
  if (!isObject(value)) return refusal('', 'must be an OpenAPI document (a JSON or YAML object)');
  const deep = tooDeep(value);
  if (deep) return { problems: [deep] };
  const declared = value.swagger ?? value.openapi;
  const field = value.swagger !== undefined ? '/swagger' : '/openapi';
  if (declared === undefined) return refusal('/openapi', 'is required: the OpenAPI version the document is written in');
  const version: SpecVersion | undefined =
    value.swagger !== undefined
      ? declared === '2.0'
        ? '2.0'
        : undefined
      : typeof declared === 'string' && /^3\.0\.\d+$/.test(declared)
        ? '3.0'
        : typeof declared === 'string' && /^3\.1\.\d+$/.test(declared)
          ? '3.1'
          : undefined;
  if (version === undefined) {
    return refusal(field, `is ${JSON.stringify(declared)}; Swagger 2.0, OpenAPI 3.0.x and 3.1.x are imported`);
  }
  const problems = specProblems(value, version);
  if (problems.length > 0) return { problems };
  if (version !== '2.0') return { document: value, writtenIn: version };
  const external = refProblems(value).filter((problem) => problem.message.includes('outside the document'));
  if (external.length > 0) return { problems: external };
  try {
    const converted = upgradeFromTwoToThree(structuredClone(value)) as unknown;
    if (!isObject(converted)) return refusal('/swagger', 'could not be converted to OpenAPI 3.0');
    return { document: converted, writtenIn: '2.0' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return refusal('/swagger', `could not be converted to OpenAPI 3.0: ${message}`);
  }
}
