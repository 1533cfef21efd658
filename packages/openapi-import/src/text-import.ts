import { importOpenApi } from './import.js';
import { parseImportDocument, type ParseOptions } from './parse.js';
import type { ImportMapping, ImportRefusal } from './result.js';
import type { SpecVersion } from './spec-validation.js';

export type TextImportOptions = ParseOptions;

/**
 * A document's text (JSON or YAML; Swagger 2.0, OpenAPI 3.0 or 3.1) mapped to a version's
 * children: `parseImportDocument`, then `importOpenApi`. `writtenIn` says which version the text
 * was, `title` and `infoVersion` its `info.title` and `info.version`; for Swagger 2.0 the pointers of `unmapped` are into the converted OpenAPI 3.0 document.
 */
export function importOpenApiText(
  text: string,
  options: TextImportOptions,
):
  | (ImportMapping & { writtenIn: SpecVersion; title: string | undefined; infoVersion: string | undefined })
  | ImportRefusal {
  const parsed = parseImportDocument(text, options);
  if ('problems' in parsed) return parsed;
  const mapped = importOpenApi(parsed.document);
  if ('problems' in mapped) return mapped;
  const info = parsed.document.info;
  const field = (name: string) => {
    const value = typeof info === 'object' && info !== null ? (info as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return { ...mapped, writtenIn: parsed.writtenIn, title: field('title'), infoVersion: field('version') };
}
